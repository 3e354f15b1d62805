"""`sinergi framework load|list`: exit 0 when loaded, exit 2 with `line N: reason` and nothing loaded."""

from importlib import resources
from io import StringIO

import pytest
from django.core.management import call_command
from tests.readiness.test_frameworks import VALID

from sinergi.readiness.models import Framework, Indicator

pytestmark = pytest.mark.django_db
FOLDER = resources.files("sinergi.readiness") / "frameworks"


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("framework", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_the_shipped_frameworks_load_and_reloading_changes_nothing():
    files = [str(FOLDER / "indeks-spbe-2020.yaml"), str(FOLDER / "gerakan-100-smart-city.yaml")]
    code, out, _err = run("load", *files)
    assert code == 0
    assert "47 indikator" in out and "18 indikator" in out
    code, out, _err = run("load", *files)
    assert code == 0 and "sudah dimuat, tidak berubah" in out
    assert Framework.objects.count() == 2
    code, out, _err = run("list")
    assert "indeks-spbe\tv1\t47 indikator" in out


def test_a_bad_file_is_refused_with_its_line_and_nothing_is_loaded(tmp_path):
    good = tmp_path / "baik.yaml"
    good.write_text(VALID)
    bad = tmp_path / "rusak.yaml"
    bad.write_text(VALID.replace("weights_total: 10", "weights_total: 12"))
    code, _out, err = run("load", str(good), str(bad))
    assert code == 2
    assert "rusak.yaml: line 6: bobot framework adalah 12, tetapi bobot isinya berjumlah 10" in err
    assert Framework.objects.count() == 0  # the good file before it is rolled back too


def test_a_missing_or_non_utf8_file_exits_2(tmp_path):
    code, _out, err = run("load", str(tmp_path / "tidak-ada.yaml"))
    assert code == 2 and "Berkas tidak ditemukan" in err
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("name: Kerangka \xe9".encode("latin-1"))
    code, _out, err = run("load", str(latin))
    assert code == 2 and "bukan teks UTF-8" in err


def test_a_loaded_version_never_changes_a_new_version_is_a_new_framework(tmp_path):
    first = tmp_path / "v1.yaml"
    first.write_text(VALID)
    assert run("load", str(first))[0] == 0
    changed = tmp_path / "v1-diubah.yaml"
    changed.write_text(VALID.replace("name: Indikator satu", "name: Indikator satu (diubah)"))
    code, _out, err = run("load", str(changed))
    assert code == 2 and "versi 1 sudah dimuat dengan isi lain" in err
    assert Indicator.objects.get(code="I1").name == "Indikator satu"
    second = tmp_path / "v2.yaml"
    second.write_text(changed.read_text().replace("version: 1", "version: 2"))
    assert run("load", str(second))[0] == 0
    assert sorted(Indicator.objects.filter(code="I1").values_list("framework__version", "name")) == [
        (1, "Indikator satu"),
        (2, "Indikator satu (diubah)"),
    ]
