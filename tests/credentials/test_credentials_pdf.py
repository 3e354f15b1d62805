"""The printed certificate: one A4 landscape page in Indonesian, cached after the first render.

The PDF goes to test-artifacts/ to be looked at; with pdftoppm on the machine it is also rasterised
to PNG there. The browser test renders the same template and stylesheet to PNG with Chromium."""

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from tests.factories import EnrolmentFactory, ParticipantFactory, TrainingClassFactory

from sinergi.credentials import certificate, services
from sinergi.learning.models import Enrolment

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = pytest.mark.django_db


def demo_credential(holder="Siti Rahmawati Nur Aisyah"):
    training_class = TrainingClassFactory(
        program__name="Analisis Data untuk Aparatur Sipil Negara",
        program__academy__code="GTA",
        program__academy__name="Government Transformation Academy",
        program__level="menengah",
        name="Kelas Palembang A",
        hours=48,
        starts_on=dt.date(2026, 11, 2),
        ends_on=dt.date(2026, 12, 18),
        provider__name="Dinas Komunikasi dan Informatika Kota Palembang",
        provider__region=__import__("tests.factories", fromlist=["region"]).region("16.71"),
    )
    enrolment = EnrolmentFactory(
        training_class=training_class,
        participant=ParticipantFactory(full_name=holder),
        status=Enrolment.Status.COMPLETED,
        completed_at=timezone.now(),
    )
    issuer = services.ensure_issuer(training_class.provider)
    services.configure_issuer(
        issuer,
        number_pattern="DTS/{year}/{region}/{seq:06d}",
        region_code="PLG",
        signer_name="Dr. Ir. Hendra Gunawan, M.Kom.",
        signer_title="Kepala Dinas Komunikasi dan Informatika",
    )
    return services.issue_credential(enrolment)


def test_indonesian_long_date():
    assert certificate.tanggal(dt.date(2026, 12, 20)) == "20 Desember 2026"
    assert certificate.tanggal(dt.date(2027, 3, 1)) == "1 Maret 2027"


def test_certificate_pdf_is_one_a4_landscape_page_in_indonesian_and_cached():
    credential = demo_credential()
    content = certificate.certificate_pdf(credential)
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape in points
    text = " ".join(reader.pages[0].extract_text().split())
    for expected in [
        "SERTIFIKAT",
        "diberikan kepada",
        "Siti Rahmawati Nur Aisyah",
        "telah menyelesaikan pelatihan",
        "Analisis Data untuk Aparatur Sipil Negara",
        "Tingkat Menengah",
        "48 jam pelajaran",
        credential.number,
        "Kepala Dinas Komunikasi dan Informatika",
        "Dr. Ir. Hendra Gunawan, M.Kom.",
        certificate.tanggal(credential.issued_at),
        "/verify/DTS/",
    ]:
        assert expected in text, expected
    credential.refresh_from_db()
    assert credential.pdf.name.endswith(".pdf")
    assert certificate.certificate_pdf(credential) == content  # served from storage the second time

    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "credentials-certificate.pdf").write_bytes(content)
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-singlefile", str(ARTIFACTS / "credentials-certificate.pdf"),
             str(ARTIFACTS / "credentials-certificate")],
            check=True,
        )  # fmt: skip


def with_seven_units(credential):
    """The competency certificate of the same enrolment, after an LSP found it Kompeten on 7 units."""
    from tests.factories import OrganizationFactory

    from sinergi.credentials.models import Credential
    from sinergi.learning.models import CompetencyResult, CompetencyUnit

    enrolment = credential.enrolment
    program = enrolment.training_class.program
    lsp = OrganizationFactory(kind="lsp", name="LSP Teknologi Informasi Sriwijaya")
    for i in range(7):
        unit = CompetencyUnit.objects.create(
            code=f"J.620100.0{i:02d}.01", title=f"Unit kompetensi nomor {i + 1}"
        )
        unit.programs.add(program)
        CompetencyResult.objects.create(
            enrolment=enrolment, unit=unit, outcome="kompeten", assessed_at=timezone.now(), lsp=lsp
        )
    return services.issue_credential(enrolment, kind=Credential.Kind.COMPETENCY)


def test_competency_certificate_lists_units_and_stays_on_one_page():
    credential = with_seven_units(demo_credential())
    content = certificate.render_pdf(credential)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "SERTIFIKAT KOMPETENSI" in text and "KOMPETEN" in text
    assert "J.620100.000.01" in text and "dan 2 unit lainnya" in text
    assert "Berlaku sampai" in text
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "credentials-certificate-competency.pdf").write_bytes(content)


def pdf_text(content: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())


def test_a_pdf_kept_under_another_public_address_is_rendered_again(settings):
    """The QR and the printed link point to SITE_URL; after the address changes the stored copy is
    replaced, never handed out with the old address."""
    settings.SITE_URL = "http://127.0.0.1:8000"
    credential = demo_credential()
    first = certificate.certificate_pdf(credential)
    assert "http://127.0.0.1:8000/verify/" in pdf_text(first)
    old_name = credential.pdf.name

    settings.SITE_URL = "https://sinergi.contoh.go.id"
    credential.refresh_from_db()
    second = certificate.certificate_pdf(credential)
    text = pdf_text(second)
    assert "https://sinergi.contoh.go.id/verify/" in text and "127.0.0.1" not in text
    credential.refresh_from_db()
    assert credential.pdf.name != old_name
    assert not credential.pdf.storage.exists(old_name)  # the copy with the wrong address is gone
    assert certificate.certificate_pdf(credential) == second  # and the new one is kept


def test_the_download_carries_the_public_address(client, settings):
    settings.SITE_URL = "https://sinergi.contoh.go.id"
    from tests.factories import UserFactory

    credential = demo_credential()
    participant = credential.enrolment.participant
    participant.user = UserFactory()
    participant.save(update_fields=["user"])
    client.force_login(participant.user)
    response = client.get(reverse("credentials:pdf", args=[credential.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="sertifikat-DTS-2026-PLG-000001.pdf"'
    assert "https://sinergi.contoh.go.id/verify/" in pdf_text(response.content)
    assert "testserver" not in pdf_text(response.content)
