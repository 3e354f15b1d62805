"""A BKPSDM admin imports 1,000 ASN from Excel in a real browser: template, upload, progress,
row-level report, XLSX report with the error column, import of the valid rows only."""

import io

import openpyxl
import pytest
from tests.browsing import browser_login
from tests.conftest import ARTIFACTS
from tests.factories import IMPORT_HEADER, PASSWORD, OrganizationFactory, UserFactory, import_row, region

from sinergi.accounts.models import Organization, Role
from sinergi.core import pii
from sinergi.registration.models import Participant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = 1000


def asn_workbook(path):
    rows = [import_row(i) for i in range(1, ROWS + 1)]
    # A handful of bad rows, as people type them (file line = index + 2).
    rows[9]["nik"] = rows[9]["nik"][:15]  # line 11: 15 digits
    rows[99]["tanggal_lahir"] = "1990-01-01"  # line 101: disagrees with the NIK
    rows[199]["kode_wilayah"] = "64.72"  # line 201: Samarinda, outside Palembang
    rows[299]["nip"] = ""  # line 301: ASN without NIP
    rows[399] = dict(rows[398], nama="Nama Ketik Ulang")  # line 401: the person of line 400 again
    rows[499]["jenis_kelamin"] = "X"  # line 501
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(IMPORT_HEADER)
    for row in rows:
        sheet.append([row[c] for c in IMPORT_HEADER])
    workbook.save(path)
    return {11: "nik", 101: "nik", 201: "kode_wilayah", 301: "nip", 401: "nik", 501: "jenis_kelamin"}


def test_bkpsdm_imports_a_thousand_asn_from_excel(page, settings, tmp_path):
    settings.JOBS_SYNCHRONOUS = False  # the check runs in the background while the page shows progress
    pemkot = OrganizationFactory(name="Pemerintah Kota Palembang", region=region("16.71"))
    bkpsdm = OrganizationFactory(
        name="BKPSDM Kota Palembang", region=region("16.71"), kind=Organization.Kind.OPD, parent=pemkot
    )
    admin = UserFactory(role=Role.REGIONAL_ADMIN, organization=bkpsdm, username="admin.bkpsdm")
    browser_login(page, admin.username, PASSWORD)

    page.click("text=Impor peserta")
    page.wait_for_selector("h1:text('Impor peserta')")
    with page.expect_download() as download:
        page.click("text=Unduh templat XLSX")
    template = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert list(next(template["peserta"].iter_rows(values_only=True)))[:9] == IMPORT_HEADER

    bad = asn_workbook(tmp_path / "asn-bkpsdm.xlsx")
    page.set_input_files("#id_file", str(tmp_path / "asn-bkpsdm.xlsx"))
    page.click("text=Unggah dan periksa")
    page.wait_for_selector("h1:text('Laporan pemeriksaan impor')")
    page.wait_for_selector("text=Kesalahan per baris", timeout=120_000)  # htmx reloads when the job is done

    summary = page.locator(".import-summary").inner_text()
    assert "994" in summary and "6" in summary
    table = page.locator("table.import-errors")
    for line, field in bad.items():
        assert table.locator(f"tr:has(td.num:text-is('{line}'))").first.inner_text().split("\t")[1] == field
    assert "tidak dapat diimpor oleh kantor Anda" in table.inner_text()
    assert "NIK ini sudah ada di baris 400 berkas ini." in table.inner_text()

    page.set_viewport_size({"width": 360, "height": 740})
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "import-report-360px.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 900})

    with page.expect_download() as download:
        page.click("text=Unduh laporan lengkap (XLSX)")
    report = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    lines = list(report.iter_rows(values_only=True))
    assert lines[0][-1] == "kesalahan"
    assert len(lines) == ROWS + 1
    for line, field in bad.items():
        assert str(lines[line - 1][-1]).startswith(f"{field}: "), (line, lines[line - 1][-1])
    assert not lines[2][-1]

    page.click("text=Impor baris yang valid saja")
    page.wait_for_selector("h1:text('Hasil impor')")
    page.wait_for_selector(".import-summary", timeout=120_000)
    # Counted by the file's own NIKs: a job thread of an earlier test in this worker may still be writing.
    file_niks = {pii.keyed_hash(import_row(i)["nik"]) for i in range(1, ROWS + 1)}
    assert Participant.objects.filter(nik_hash__in=file_niks).count() == 994
    assert not Participant.objects.filter(nik_hash__in=file_niks, domicile_id="64.72").exists()
