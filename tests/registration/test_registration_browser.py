"""A citizen of Palembang, in a real browser: sign up, confirm the e-mail, fix a bad NIK, see which
classes they may apply to and why not, rank three, reorder by keyboard, submit."""

from datetime import date
from pathlib import Path

import pytest
from django.core import mail
from tests.factories import BatchFactory, ProgramFactory, TrainingClassFactory, region

from sinergi.programs.models import EligibilityRule
from sinergi.registration.models import Application, Participant
from sinergi.registration.nik import compose_nik

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
NIK = compose_nik("16.71.05", date(1998, 5, 17), "P", 21)


@pytest.fixture
def palembang_batch():
    batch = BatchFactory(name="Gelombang 1 Palembang Digital", max_choices=3)
    dasar = ProgramFactory(batch=batch, name="Literasi Digital Dasar")
    for name in (
        "Kelas Desain Grafis",
        "Kelas Pemasaran Digital",
        "Kelas Spreadsheet",
        "Kelas Keamanan Siber",
    ):
        TrainingClassFactory(program=dasar, name=name, schedule="Senin–Rabu 08.00–12.00")
    asn = ProgramFactory(batch=batch, name="Pelatihan TI ASN", target_categories=["asn"])
    EligibilityRule.objects.create(program=asn, kind="asn_only", params={})
    TrainingClassFactory(program=asn, name="Kelas Tata Kelola Data ASN")
    samarinda = ProgramFactory(batch=batch, name="Talenta Kaltim", region=region("64.72"))
    EligibilityRule.objects.create(program=samarinda, kind="domicile", params={"regions": ["64.72"]})
    TrainingClassFactory(program=samarinda, name="Kelas Samarinda", region=region("64.72"), mode="luring")
    return batch


def fits_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_palembang_citizen_signs_up_and_ranks_three_classes(page, palembang_batch):
    base = page.base_url
    page.goto(base + "/daftar/")
    page.fill("#id_full_name", "Siti Rahmawati")
    page.fill("#id_email", "siti.rahma@contoh.id")
    page.fill("#id_password1", "Palembang-Digital-2026")
    page.fill("#id_password2", "Palembang-Digital-2026")
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('Periksa e-mail Anda')")

    body = mail.outbox[-1].body
    link = next(word for word in body.split() if "/daftar/konfirmasi/" in word)
    page.goto(base + link[link.index("/daftar/") :])
    page.wait_for_selector("h1:has-text('Masuk ke Sinergi')")
    assert "Alamat e-mail terkonfirmasi" in page.content()
    page.fill("#id_username", "siti.rahma@contoh.id")
    page.fill("#id_password", "Palembang-Digital-2026")
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('Profil peserta')")

    # A NIK whose birth date disagrees with the one entered.
    page.fill("#id_nik", NIK)
    page.fill("#id_kk", "1671050101100003")
    page.fill("#id_full_name", "Siti Rahmawati")
    page.fill("#id_birth_date", "1998-05-18")
    page.check("input[name=sex][value=P]")
    page.fill("#id_phone", "081234567890")
    page.fill("#domisili-cari", "Palembang")
    page.wait_for_selector("#id_domicile option[value='64.72']", state="detached")
    page.select_option("#id_domicile", "16.71")
    page.select_option("#id_education", "s1")
    page.select_option("#id_category", "umum")
    page.check("#id_consent")
    page.click("main form.profile-form button[type=submit]")
    error = page.locator(".has-error .error").first
    assert error.inner_text() == (
        "NIK: Tanggal lahir pada NIK (17-05-1998) tidak sama dengan tanggal lahir yang diisi (18-05-1998)."
    )
    assert not Participant.objects.exists()

    page.set_viewport_size({"width": 360, "height": 800})
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "registration-profile-360px.png"), full_page=True)
    assert fits_phone(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.fill("#id_birth_date", "1998-05-17")
    page.select_option("#id_domicile", "16.71")
    page.check("#id_consent")
    page.click("main form.profile-form button[type=submit]")
    page.wait_for_selector("h1:has-text('Kelas pelatihan yang dibuka')")
    participant = Participant.objects.get()
    assert participant.nik == NIK and participant.domicile_id == "16.71"
    assert NIK not in page.content()

    # The catalogue says which classes are open to her, and why not the others.
    assert page.locator(".catalogue-class:has-text('Kelas Desain Grafis') .eligible").is_visible()
    asn_reasons = page.locator(
        ".catalogue-class:has-text('Kelas Tata Kelola Data ASN') .reasons"
    ).inner_text()
    assert "Khusus ASN; kategori Anda Umum." in asn_reasons
    assert (
        "Khusus penduduk berdomisili di Kota Samarinda"
        in page.locator(".catalogue-class:has-text('Kelas Samarinda') .reasons").inner_text()
    )

    page.click("text=Pilih dan urutkan kelas")
    page.wait_for_selector("h1:has-text('Daftar kelas')")
    for name in ("Kelas Desain Grafis", "Kelas Pemasaran Digital", "Kelas Spreadsheet"):
        page.click(f"button[aria-label='Tambahkan {name} ke pilihan']")
        page.wait_for_load_state("networkidle")
    assert page.locator("button[aria-label='Tambahkan Kelas Keamanan Siber ke pilihan']").is_disabled()
    # Reorder with the keyboard: Spreadsheet up one place.
    page.focus("button[aria-label='Naikkan Kelas Spreadsheet']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    items = page.locator("ol.ranking > li strong").all_inner_texts()
    assert items == ["Kelas Desain Grafis", "Kelas Spreadsheet", "Kelas Pemasaran Digital"]
    assert "Pilihan di atas belum dikirim." in page.content()
    page.click("text=Kirim pendaftaran")
    page.wait_for_selector("text=Pendaftaran terkirim dengan 3 pilihan kelas.")
    assert page.locator(".apply-status .badge").inner_text() == "Terkirim"
    application = Application.objects.get(participant=participant)
    assert [c.training_class.name for c in application.choices.order_by("rank")] == items
    # Ineligible classes are listed with their reasons on the apply page too.
    assert "Khusus ASN" in page.locator(".not-eligible:has-text('Kelas Tata Kelola Data ASN')").inner_text()

    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=str(ARTIFACTS / "registration-apply-360px.png"), full_page=True)
    assert fits_phone(page)
