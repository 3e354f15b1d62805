"""PDF documents on agreements: only real PDFs within the size limit, stored under a random name,
downloadable only through the scoped view, and findable by the text inside them. The request checks
only the size and header and stores the file; a background job reads the text within limits, and a
file it refuses (a bomb, a damaged PDF) gets a message naming its field while the rest stays saved."""

from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.documents import docx_bomb, pdf_bomb
from tests.factories import OrganizationFactory, pdf_bytes, region, regional_admin
from tests.spreadsheets import within_budget

from sinergi.core.models import Job
from sinergi.partnerships.models import AgreementDocument, AgreementParty, ReviewComment
from sinergi.partnerships.services import PartyInput, create_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def jobs_on_commit(django_capture_on_commit_callbacks, monkeypatch):
    """Jobs start on commit; inside a test's transaction, run them as each request ends, unless a test
    holds them (`jobs_on_commit["held"] = True`) to look at the state between request and job."""
    from django.test import Client

    original = Client.request
    switch = {"held": False}

    def request(self, **kwargs):
        if switch["held"]:
            return original(self, **kwargs)
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)
    return switch


@pytest.fixture
def admin():
    return regional_admin("16.71")


@pytest.fixture
def agreement(admin):
    palembang = OrganizationFactory(name="Pemkot Palembang", region=region("16.71"))
    kominfo = OrganizationFactory(name="Kominfo", region=None, kind="ministry")
    return create_agreement(
        user=admin,
        type="nota_kesepakatan",
        title="Kecakapan digital Palembang",
        start_date=date(2021, 12, 20),
        end_date=date(2026, 12, 19),
        parties=[
            PartyInput(palembang.pk, AgreementParty.Role.FIRST),
            PartyInput(kominfo.pk, AgreementParty.Role.SECOND),
        ],
    ).agreement


def upload(client, agreement, name: str, content: bytes):
    url = reverse("partnerships:manage_document_upload", args=[agreement.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content, content_type="application/pdf")})


def stored_files() -> list[str]:
    try:
        return default_storage.listdir("kerja-sama")[1]
    except FileNotFoundError:
        return []


def test_pdf_is_stored_under_a_random_name_and_found_by_its_text(client, admin, agreement):
    client.force_login(admin)
    response = upload(
        client, agreement, "NK Palembang.pdf", pdf_bytes("Sertifikasi bersama Universitas Oxford")
    )
    assert response.status_code == 302
    document = AgreementDocument.objects.get()
    assert document.original_name == "NK Palembang.pdf"
    assert "Palembang" not in document.file.name and document.file.name.startswith("kerja-sama/")
    assert "Universitas Oxford" in document.text

    search = client.get(reverse("partnerships:document_search"), {"q": "oxford"})
    assert agreement.title in search.content.decode()
    assert (
        agreement.title
        not in client.get(reverse("partnerships:document_search"), {"q": "Harvard"}).content.decode()
    )

    download = client.get(reverse("partnerships:manage_document_download", args=[agreement.pk, document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert 'attachment; filename="NK Palembang.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_file_that_is_not_a_pdf_is_refused_whatever_its_name(client, admin, agreement):
    client.force_login(admin)
    response = upload(client, agreement, "kontrak.pdf", b"MZ\x90\x00 this is an executable")
    assert response.status_code == 400
    assert "Berkas PDF: Berkas &#x27;kontrak.pdf&#x27; bukan PDF" in response.content.decode()
    assert not AgreementDocument.objects.exists() and stored_files() == []
    assert upload(client, agreement, "kontrak.docx", docx_bomb()).status_code == 400  # by its header


def test_a_damaged_pdf_is_refused_by_the_job_naming_the_field(client, admin, agreement):
    client.force_login(admin)
    broken = upload(client, agreement, "rusak.pdf", b"%PDF-1.4\n garbage without objects")
    assert broken.status_code == 302
    document = AgreementDocument.objects.get()
    assert document.text_status == AgreementDocument.TextStatus.REFUSED
    assert document.text_error.startswith("Lampiran 'rusak.pdf' ditolak: berkas rusak atau bukan PDF")
    assert document.read_job.status == Job.Status.FAILED and document.read_job.message == document.text_error
    assert stored_files() == []  # the refused bytes are not kept
    page = client.get(reverse("partnerships:manage_detail", args=[agreement.pk])).content.decode()
    assert "Lampiran &#x27;rusak.pdf&#x27; ditolak" in page and "Unggah ulang" in page
    download = reverse("partnerships:manage_document_download", args=[agreement.pk, document.pk])
    assert client.get(download).status_code == 404


def _refuse_parsing(*args, **kwargs):
    raise AssertionError("a PDF was parsed inside the upload request")


def test_the_request_only_stores_the_file_and_the_job_reads_it(
    client, admin, agreement, monkeypatch, django_capture_on_commit_callbacks, jobs_on_commit
):
    jobs_on_commit["held"] = True
    from sinergi.core import document_text
    from sinergi.partnerships import documents

    client.force_login(admin)
    url = reverse("partnerships:manage_document_upload", args=[agreement.pk])
    with monkeypatch.context() as request_path:
        request_path.setattr(document_text, "read_pdf_text", _refuse_parsing)
        request_path.setattr(documents, "read_pdf_text", _refuse_parsing)
        with django_capture_on_commit_callbacks(execute=False) as started:
            response = client.post(url, {"file": SimpleUploadedFile("nk.pdf", pdf_bytes("Kota Cerdas"))})
        assert response.status_code == 302
        document = AgreementDocument.objects.get()
        assert document.text_status == AgreementDocument.TextStatus.READING and document.text == ""
        assert document.read_job.status == Job.Status.QUEUED
        page = client.get(reverse("partnerships:manage_detail", args=[agreement.pk])).content.decode()
        assert "teks sedang dibaca" in page
        assert reverse("job_status", args=[document.read_job.pk]) in page  # the uploader watches it
    for callback in started:
        callback()
    document.refresh_from_db()
    assert document.text_status == AgreementDocument.TextStatus.READ and "Kota Cerdas" in document.text
    assert document.read_job.status == Job.Status.DONE


def test_a_pdf_bomb_is_refused_by_the_job_within_budget_and_the_comment_stays(
    client, admin, agreement, monkeypatch, django_capture_on_commit_callbacks, jobs_on_commit
):
    jobs_on_commit["held"] = True
    from sinergi.core import document_text
    from sinergi.partnerships import documents
    from sinergi.partnerships.services import transition

    transition(agreement, to_status="pembahasan", user=admin, reason="Dibahas TKKSD")
    bomb = pdf_bomb()
    assert len(bomb) < 250_000
    client.force_login(admin)
    url = reverse("partnerships:manage_comment", args=[agreement.pk])
    with monkeypatch.context() as request_path:
        request_path.setattr(document_text, "read_pdf_text", _refuse_parsing)
        request_path.setattr(documents, "read_pdf_text", _refuse_parsing)
        with django_capture_on_commit_callbacks(execute=False) as started:
            response = client.post(
                url, {"body": "Mohon dicek lampirannya.", "attachment": SimpleUploadedFile("bom.pdf", bomb)}
            )
    assert response.status_code == 302
    with within_budget(peak_mb=40, cpu_seconds=10):
        for callback in started:
            callback()
    comment = ReviewComment.objects.get()
    assert comment.body == "Mohon dicek lampirannya."  # what the officer wrote is kept
    document = comment.attachment
    document.refresh_from_db()
    assert document.text_status == AgreementDocument.TextStatus.REFUSED
    assert document.text_error == (
        "Lampiran komentar 'bom.pdf' ditolak: PDF ini terlalu berat untuk dibaca "
        "(isi halamannya jauh melebihi naskah biasa)."
    )
    page = client.get(reverse("partnerships:manage_detail", args=[agreement.pk])).content.decode()
    assert "Lampiran komentar &#x27;bom.pdf&#x27; ditolak" in page and "Mohon dicek lampirannya." in page


def test_pdf_over_the_size_limit_is_refused(client, admin, agreement, settings):
    settings.AGREEMENT_ATTACHMENT_MAX_MB = 0.01  # about 10 KB
    client.force_login(admin)
    response = upload(client, agreement, "besar.pdf", pdf_bytes(padding=12_000))
    assert response.status_code == 400
    assert "Berkas terlalu besar; ukuran maksimum 0,01 MB." in response.content.decode()
    assert not AgreementDocument.objects.exists() and stored_files() == []
    assert upload(client, agreement, "kecil.pdf", pdf_bytes()).status_code == 302


def test_download_and_search_are_scoped(client, admin, agreement):
    client.force_login(admin)
    upload(client, agreement, "nk.pdf", pdf_bytes("rahasia pembahasan"))
    document = AgreementDocument.objects.get()
    url = reverse("partnerships:manage_document_download", args=[agreement.pk, document.pk])
    client.force_login(regional_admin("64.72"))
    assert client.get(url).status_code == 404
    search = client.get(reverse("partnerships:document_search"), {"q": "rahasia"})
    assert agreement.title not in search.content.decode()
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
