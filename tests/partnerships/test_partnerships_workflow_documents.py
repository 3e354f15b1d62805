"""PDF documents on agreements: only real PDFs within the size limit, stored under a random name,
downloadable only through the scoped view, and findable by the text inside them."""

from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.factories import OrganizationFactory, pdf_bytes, region, regional_admin

from sinergi.partnerships.models import AgreementDocument, AgreementParty
from sinergi.partnerships.services import PartyInput, create_agreement

pytestmark = pytest.mark.django_db


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
    broken = upload(client, agreement, "rusak.pdf", b"%PDF-1.4\n garbage without objects")
    assert "rusak atau bukan PDF yang valid" in broken.content.decode()
    assert not AgreementDocument.objects.exists() and stored_files() == []


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
