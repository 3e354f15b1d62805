"""Web import: upload, background check with a per-row report, the XLSX report, import or cancel, scoping."""

import io

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.factories import (
    IMPORT_HEADER,
    OrganizationFactory,
    ParticipantFactory,
    UserFactory,
    import_row,
    national_admin,
    region,
    regional_admin,
)

from sinergi.accounts.models import Organization, Role
from sinergi.core.models import Job
from sinergi.registration.models import Participant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _jobs_run_on_commit(django_capture_on_commit_callbacks, monkeypatch):
    """Jobs start on commit; inside a test's transaction, run them as each request ends."""
    from django.test import Client

    original = Client.request

    def request(self, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)


def xlsx_upload(rows, name="asn.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(IMPORT_HEADER)
    for row in rows:
        sheet.append([row[c] for c in IMPORT_HEADER])
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def bkpsdm_admin():
    pemkot = OrganizationFactory(region=region("16.71"), kind=Organization.Kind.CITY_GOV)
    bkpsdm = OrganizationFactory(
        name="BKPSDM Kota Palembang", region=region("16.71"), kind=Organization.Kind.OPD, parent=pemkot
    )
    return UserFactory(role=Role.REGIONAL_ADMIN, organization=bkpsdm)


def login(client, user):
    client.force_login(user)
    return client


def upload(client, rows):
    response = client.post("/impor/peserta/", {"file": xlsx_upload(rows)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def test_bkpsdm_uploads_sees_row_errors_downloads_report_and_imports_valid_rows(client):
    login(client, bkpsdm_admin())
    rows = [import_row(i) for i in range(1, 6)]
    rows[2] = import_row(3, tanggal_lahir="1990-02-30")
    rows[3] = import_row(4, kode_wilayah="64.72")
    job = upload(client, rows)
    assert job.status == Job.Status.DONE
    assert not Participant.objects.exists()  # checking stores nothing

    page = client.get(f"/impor/peserta/{job.pk}/").content.decode()
    assert "Laporan pemeriksaan impor" in page
    assert "Impor baris yang valid saja" in page and "Batalkan (tidak mengimpor apa pun)" in page
    assert "tidak dapat diimpor oleh kantor Anda" in page
    assert "Tanggal lahir “1990-02-30” tidak dikenali" in page

    report = client.get(f"/impor/peserta/{job.pk}/laporan.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(report.content)).active
    rows_out = list(sheet.iter_rows(values_only=True))
    assert list(rows_out[0]) == [*IMPORT_HEADER, "kesalahan"]
    assert rows_out[1][-1] is None or rows_out[1][-1] == ""
    assert rows_out[3][-1].startswith("tanggal_lahir: ")
    assert rows_out[4][-1].startswith("kode_wilayah: ")
    assert rows_out[4][0] == rows[3]["nik"]  # original cells kept

    response = client.post(f"/impor/peserta/{job.pk}/keputusan/", {"keputusan": "impor"})
    done = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert done.result["created"] == 3
    assert Participant.objects.count() == 3
    assert "Hasil impor" in client.get(response["Location"]).content.decode()
    assert not default_storage.exists(job.params["path"])  # the upload is gone once imported
    # A second click changes nothing.
    client.post(f"/impor/peserta/{job.pk}/keputusan/", {"keputusan": "impor"})
    assert Job.objects.filter(kind="registration.import", params__write=True).count() == 1


def test_cancel_imports_nothing_and_deletes_the_upload(client):
    login(client, regional_admin("16.71"))
    job = upload(client, [import_row(1)])
    response = client.post(f"/impor/peserta/{job.pk}/keputusan/", {"keputusan": "batal"}, follow=True)
    assert "Impor dibatalkan; tidak ada data yang disimpan." in response.content.decode()
    assert not Participant.objects.exists()
    assert not default_storage.exists(job.params["path"])
    assert client.get(f"/impor/peserta/{job.pk}/laporan.xlsx").status_code == 404


def test_reimporting_the_same_file_changes_nothing(client):
    login(client, national_admin())
    rows = [import_row(i) for i in range(1, 4)]
    first = upload(client, rows)
    client.post(f"/impor/peserta/{first.pk}/keputusan/", {"keputusan": "impor"})
    stamps = dict(Participant.objects.values_list("pk", "updated_at"))
    second = upload(client, rows)
    assert (second.result["created"], second.result["updated"], second.result["unchanged"]) == (0, 0, 3)
    client.post(f"/impor/peserta/{second.pk}/keputusan/", {"keputusan": "impor"})
    assert dict(Participant.objects.values_list("pk", "updated_at")) == stamps


def test_template_has_the_documented_columns(client):
    login(client, regional_admin("16.71"))
    response = client.get("/impor/peserta/templat.xlsx")
    assert response["Content-Disposition"].startswith("attachment")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    header = next(workbook["peserta"].iter_rows(values_only=True))
    assert list(header)[:9] == IMPORT_HEADER
    assert list(header)[9] == "kegiatan_sebelum_pelatihan"
    assert "petunjuk" in workbook.sheetnames
    help_rows = {row[0]: row for row in workbook["petunjuk"].iter_rows(values_only=True)}
    assert "mencari_kerja" in help_rows["kegiatan_sebelum_pelatihan"][2]


def test_unreadable_upload_is_refused_by_the_job_and_deleted(client):
    """The request only stores the file; the job reads it and names the problem on the job's page."""
    login(client, regional_admin("16.71"))
    bad = SimpleUploadedFile("asn.csv", b"nama;telepon\nBudi;0812\n")
    response = client.post("/impor/peserta/", {"file": bad})
    job = Job.objects.get()
    assert response["Location"] == f"/impor/peserta/{job.pk}/"
    assert job.status == Job.Status.FAILED
    page = client.get(response["Location"]).content.decode()
    assert "Kolom wajib tidak ada di baris judul: nik, tanggal_lahir" in page
    assert not default_storage.exists(job.params["path"])
    pdf = SimpleUploadedFile("asn.pdf", b"%PDF-1.4")
    assert "Hanya berkas .xlsx atau .csv" in client.post("/impor/peserta/", {"file": pdf}).content.decode()
    assert Job.objects.count() == 1


def test_other_admins_and_participants_cannot_see_an_import(client):
    owner = regional_admin("16.71")
    login(client, owner)
    job = upload(client, [import_row(1)])
    client.logout()
    login(client, regional_admin("64.72"))
    assert client.get(f"/impor/peserta/{job.pk}/").status_code == 404
    assert client.get(f"/impor/peserta/{job.pk}/laporan.xlsx").status_code == 404
    assert client.post(f"/impor/peserta/{job.pk}/keputusan/", {"keputusan": "impor"}).status_code == 404
    client.logout()
    login(client, UserFactory(role=Role.PARTICIPANT))
    assert client.get("/impor/peserta/").status_code == 403
    assert client.get("/impor/peserta/templat.xlsx").status_code == 403


def test_regional_admin_cannot_overwrite_a_person_registered_elsewhere_nor_learn_that_they_exist(client):
    """A check-only import must not be a NIK oracle: a row whose NIK belongs to a person of another
    region reads exactly like a row that itself gives a domicile outside the office's region."""
    registered_elsewhere = import_row(1)
    ParticipantFactory(nik=registered_elsewhere["nik"], domicile=region("64.72"))
    domiciled_elsewhere = import_row(2, kode_wilayah="64.72")
    login(client, regional_admin("16.71"))
    job = upload(client, [registered_elsewhere, domiciled_elsewhere])
    assert job.result["invalid"] == 2
    first, second = (row["errors"] for row in job.result["errors"])
    assert first == second
    assert [e["field"] for e in first] == ["kode_wilayah"]
    message = first[0]["message"]
    assert "tidak dapat diimpor oleh kantor Anda" in message
    assert "NIK" not in message and "terdaftar" not in message
    assert Participant.objects.get().domicile_id == "64.72"  # the other region's person is untouched


def test_progress_endpoint_asks_the_page_to_reload_when_done(client):
    login(client, regional_admin("16.71"))
    job = upload(client, [import_row(1)])
    response = client.get(f"/impor/peserta/{job.pk}/kemajuan/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Refresh"] == "true"
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    assert "HX-Refresh" not in client.get(f"/impor/peserta/{job.pk}/kemajuan/")
    page = client.get(f"/impor/peserta/{job.pk}/").content.decode()
    assert "<progress" in page


def test_undecided_uploads_are_deleted_after_two_days(client):
    import datetime

    login(client, regional_admin("16.71"))
    job = upload(client, [import_row(1)])
    Job.objects.filter(pk=job.pk).update(created_at=job.created_at - datetime.timedelta(days=3))
    fresh = upload(client, [import_row(2)])
    client.get("/impor/peserta/")
    assert not default_storage.exists(job.params["path"])
    assert default_storage.exists(fresh.params["path"])
    page = client.get(f"/impor/peserta/{job.pk}/").content.decode()
    assert "dihapus otomatis" in page and "Impor baris yang valid saja" not in page
    assert client.post(f"/impor/peserta/{job.pk}/keputusan/", {"keputusan": "impor"}).status_code == 302
    assert not Participant.objects.exists()
