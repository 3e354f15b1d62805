"""In a real browser: a participant follows the QR target of their certificate to the public verification
page; a revoked certificate shows the date and reason; a tampered JSON upload is rejected; the page
works at 360 px."""

import io
import json

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader
from tests.browsing import browser_login
from tests.factories import PASSWORD, EnrolmentFactory, ParticipantFactory, UserFactory

from sinergi.credentials import services
from sinergi.learning.models import Enrolment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def certified(live_server, settings):
    settings.SITE_URL = live_server.url  # the QR and the signed documents point at this server
    user = UserFactory(username="siti.peserta")
    participant = ParticipantFactory(full_name="Siti Rahmawati", user=user)
    enrolment = EnrolmentFactory(
        participant=participant, status=Enrolment.Status.COMPLETED, completed_at=timezone.now()
    )
    other = EnrolmentFactory(
        participant=ParticipantFactory(full_name="Budi Santoso"),
        training_class=enrolment.training_class,
        status=Enrolment.Status.COMPLETED,
        completed_at=timezone.now(),
    )
    return services.issue_credential(enrolment), services.issue_credential(other)


def test_participant_follows_the_certificate_qr_target_to_a_valid_verdict(page, certified):
    credential, _ = certified
    browser_login(page, "siti.peserta", PASSWORD)
    page.goto(page.base_url + "/sertifikat-saya/")
    pdf_href = page.get_attribute("a:has-text('Unduh PDF')", "href")
    pdf = page.request.get(page.base_url + pdf_href)
    assert pdf.headers["content-type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(pdf.body())).pages[0].extract_text().split())
    qr_target = services.verify_url(credential)
    assert qr_target in "".join(text.split())  # the printed URL (it may wrap) is the one the QR encodes
    assert f"Kode cek: {credential.check_code}" in text
    page.click("text=Keluar")
    page.goto(qr_target)
    assert page.locator(".verify-verdict").inner_text().endswith("Sertifikat sah")
    assert "Si** Ra*******" in page.content()


def test_revoked_certificate_and_tampered_upload(page, certified, tmp_path):
    credential, other = certified
    services.revoke(other, user=None, reason="Data kehadiran terbukti dipalsukan")
    page.goto(services.verify_url(other))
    verdict = page.locator(".verify-result")
    assert "Sertifikat telah dicabut" in verdict.inner_text()
    assert "Data kehadiran terbukti dipalsukan" in verdict.inner_text()
    assert "Dicabut pada" in verdict.inner_text()

    document = credential.signed
    document["credentialSubject"]["name"] = "Nama Yang Diganti"
    tampered = tmp_path / "sertifikat-diubah.json"
    tampered.write_text(json.dumps(document))
    page.goto(page.base_url + "/verify/")
    page.set_input_files("#id_berkas", str(tampered))
    page.click("text=Verifikasi berkas")
    page.wait_for_load_state("networkidle")
    text = page.locator(".verify-result").inner_text()
    assert "tidak sah" in text and "dimodifikasi" in text


def test_verification_page_on_a_phone(phone_page, certified):
    credential, _ = certified
    page = phone_page
    page.goto(services.verify_url(credential))
    assert "Sertifikat sah" in page.locator(".verify-verdict").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Lewati ke isi utama"


MM = 96 / 25.4  # CSS pixels per millimetre


@pytest.mark.parametrize("kind", ["completion", "competency"])
def test_printed_certificate_shows_holder_qr_and_link_within_one_a4_page(browser, tmp_path, settings, kind):
    """The certificate's own template and stylesheet (what WeasyPrint prints) laid out by Chromium on the
    printable area of an A4 landscape page: what the holder and an employer read must be there, the QR
    large enough to scan, and the footer clear of the text above it, also with a long name and units."""
    from tests.credentials.test_credentials_pdf import ARTIFACTS, demo_credential, with_seven_units

    from sinergi.credentials import certificate

    settings.MEDIA_ROOT = tmp_path
    credential = demo_credential(holder="Siti Rahmawati Nur Aisyah Putri Kusumawardhani")
    if kind == "competency":
        credential = with_seven_units(credential)
    width, height = round((297 - 18) * MM), round((210 - 18) * MM)  # @page margin 9 mm
    context = browser.new_context(viewport={"width": width, "height": height})
    sheet = context.new_page()
    sheet.emulate_media(media="print")
    sheet.set_content(certificate.certificate_html(credential))
    sheet.add_style_tag(content=certificate.STYLESHEET.read_text())

    ARTIFACTS.mkdir(exist_ok=True)
    sheet.screenshot(path=str(ARTIFACTS / f"credentials-certificate-{kind}.png"))
    expect(sheet.locator(".holder")).to_have_text("Siti Rahmawati Nur Aisyah Putri Kusumawardhani")
    expect(sheet.locator(".number")).to_contain_text(credential.number)
    expect(sheet.locator(".verify-url")).to_have_text(
        certificate.certificate_context(credential)["verify_url"]
    )
    qr = sheet.get_by_role("img", name="Kode QR verifikasi")
    expect(qr).to_be_visible()
    expect(qr).to_have_js_property("complete", True)
    assert qr.evaluate("img => img.naturalWidth") > 0
    if kind == "competency":
        expect(sheet.locator(".units")).to_contain_text("dan 2 unit lainnya")

    frame, inner, body, foot = (
        sheet.locator(s).bounding_box() for s in (".frame", ".inner", ".body", ".foot")
    )
    qr_box = qr.bounding_box()
    assert frame["y"] + frame["height"] <= height + 1  # the whole certificate fits on the page
    assert body["y"] + body["height"] <= foot["y"]  # the QR and signature never cover the text
    assert foot["y"] + foot["height"] <= inner["y"] + inner["height"]  # nor leave the frame
    assert qr_box["width"] >= 20 * MM and qr_box["x"] >= frame["x"]  # scannable when printed
    assert sheet.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
