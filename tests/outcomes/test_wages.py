"""The minimum-wage table ships empty (no guessed figures); `sinergi load_minimum_wages` loads a CSV
with each figure's source, naming every bad row and loading nothing when one is bad."""

import pytest
from django.core.management import CommandError, call_command

from sinergi.outcomes.models import MinimumWage

pytestmark = pytest.mark.django_db


def write(tmp_path, text):
    path = tmp_path / "ump.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_no_figures_ship_with_the_platform():
    assert not MinimumWage.objects.exists()


def test_a_csv_with_sources_loads_and_a_second_load_replaces(tmp_path):
    text = (
        "kode_provinsi;tahun;ump;sumber;tautan\n16;2026;3.500.000;Uji: Kepgub rekaan;\n64;2026;3500000;Uji;\n"
    )
    call_command("load_minimum_wages", write(tmp_path, text))
    assert MinimumWage.objects.count() == 2
    call_command("load_minimum_wages", write(tmp_path, text.replace("3.500.000", "3.600.000")))
    assert MinimumWage.objects.get(province_id="16").amount == 3_600_000


def test_bad_rows_are_named_and_nothing_is_loaded(tmp_path):
    text = "kode_provinsi,tahun,ump,sumber\n16,2026,3500000,Uji\n16.71,26,tiga juta,\n"
    with pytest.raises(CommandError) as caught:
        call_command("load_minimum_wages", write(tmp_path, text))
    message = str(caught.value)
    assert "Baris 3, kode_provinsi: “16.71” bukan kode provinsi." in message
    assert "Baris 3, tahun" in message and "Baris 3, ump" in message and "Baris 3, sumber" in message
    assert not MinimumWage.objects.exists()


def test_a_missing_column_is_named(tmp_path):
    with pytest.raises(CommandError, match="Kolom wajib tidak ada: sumber"):
        call_command("load_minimum_wages", write(tmp_path, "kode_provinsi,tahun,ump\n16,2026,3500000\n"))
