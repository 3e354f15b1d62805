"""One intake, in a real browser, as the right roles: a citizen of Palembang fills the profile and
applies on a 360-px phone, the city's officer closes registration with one action and runs the
allocation to publication, the citizen sees the offer and accepts it."""

import re
from datetime import date

import pytest
from django.core import mail
from django.utils.formats import date_format
from playwright.sync_api import expect
from tests.browsing import browser_login, serious_accessibility_problems
from tests.factories import (
    PASSWORD,
    ParticipantFactory,
    ProgramFactory,
    TrainingClassFactory,
    UserFactory,
    apply_to,
    regional_admin,
)

from sinergi.programs.models import Batch
from sinergi.registration.models import Application
from sinergi.registration.nik import compose_nik
from sinergi.selection.models import Offer, OfferStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NIK = compose_nik("16.71.05", date(1999, 3, 8), "P", 42)
CLASS = "Analis Data Dasar Palembang"


def shoot(page, name: str) -> None:
    page.screenshot(path=f"/tmp/walk-{name}.png", full_page=True)


def fits_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_citizen_applies_officer_closes_and_allocates_citizen_accepts(page, phone_page):
    officer = regional_admin("16.71")
    program = ProgramFactory(batch__name="Gelombang Jalan Utuh Palembang", name="Talenta Digital Palembang")
    batch = program.batch
    training_class = TrainingClassFactory(program=program, name=CLASS, capacity=2)
    # Someone who applied earlier, so the officer's allocation places more than the walker.
    apply_to(ParticipantFactory(user=UserFactory(), full_name="Budi Santoso"), [training_class], score=50)
    citizen = UserFactory(username="dewi.palembang", email="dewi@contoh.id")

    # --- the citizen, on a phone: profile, then the application -------------------------------
    phone = phone_page
    browser_login(phone, citizen.username, PASSWORD)
    phone.goto(phone.base_url + "/peserta/profil/")
    expect(phone.locator("h1")).to_have_text("Profil peserta")
    phone.fill("#id_nik", NIK)
    phone.fill("#id_kk", "1671050101100003")
    phone.fill("#id_full_name", "Dewi Lestari")
    phone.fill("#id_birth_date", "1999-03-08")
    phone.check("input[name=sex][value=P]")
    phone.fill("#id_phone", "081234567891")
    phone.fill("#domisili-cari", "Palembang")
    phone.wait_for_selector("#id_domicile option[value='64.72']", state="detached")
    phone.select_option("#id_domicile", "16.71")
    phone.select_option("#id_education", "s1")
    phone.select_option("#id_category", "umum")
    phone.check("#id_consent")
    assert fits_phone(phone)
    shoot(phone, "1-profile-360px")
    phone.click("main form.profile-form button[type=submit]")
    expect(phone.locator("h1")).to_have_text("Kelas pelatihan yang dibuka")
    assert NIK not in phone.content()  # masked on screen
    expect(phone.locator(f".catalogue-class:has-text('{CLASS}') .eligible")).to_be_visible()
    assert fits_phone(phone)
    shoot(phone, "2-catalogue-360px")

    phone.click("text=Pilih dan urutkan kelas")
    expect(phone.locator("h1")).to_have_text(f"Daftar kelas — {batch.name}")
    phone.click(f"button[aria-label='Tambahkan {CLASS} ke pilihan']")
    expect(phone.locator("ol.ranking > li strong")).to_have_text([CLASS])
    phone.click("text=Kirim pendaftaran")
    expect(phone.get_by_text("Pendaftaran terkirim dengan 1 pilihan kelas.")).to_be_visible()
    expect(phone.locator(".apply-status .badge")).to_have_text("Terkirim")
    assert fits_phone(phone)
    shoot(phone, "3-applied-360px")
    walker = Application.objects.get(participant__user=citizen)
    assert [c.training_class for c in walker.choices.all()] == [training_class]

    phone.goto(phone.base_url + "/hasil-seleksi/")
    expect(phone.locator("main")).to_contain_text(
        "Belum ada hasil seleksi yang diterbitkan untuk pendaftaran Anda."
    )

    # --- the officer, on a desktop: close registration, then the allocation's four steps ----------
    browser_login(page, officer.username, PASSWORD)
    page.click("nav >> text=Alokasi kursi")
    page.click(f"text={batch.name}")
    page.click("button:has-text('Tutup pendaftaran')")
    expect(page.get_by_text(f"Pendaftaran {batch.name} ditutup.")).to_be_visible()
    expect(page.locator("button:has-text('Tutup pendaftaran')")).to_have_count(0)
    batch.refresh_from_db()
    assert batch.status == Batch.Status.CLOSED
    shoot(page, "4-closed")

    page.select_option("#id_kind", "utama")
    page.click("text=Bekukan masukan dan umumkan hash")
    # The steps run as jobs: wait for what each leaves on the page, however long it takes.
    hash_box = page.locator("#input-hash")
    expect(hash_box).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    page.click("text=Tarik angka undian")
    expect(page.locator("#seed")).to_have_text(re.compile(r"^\d+$"))
    page.click("text=Jalankan simulasi")
    expect(page.get_by_text("Tinjauan hasil")).to_be_visible()
    shoot(page, "5-dry-run")
    page.fill("#id_response_days", "5")
    page.check("#id_confirm")
    page.click("main button:has-text('Terbitkan')")
    expect(page.get_by_text("Alokasi diterbitkan: 2 tawaran kursi dikirim ke peserta.")).to_be_visible()
    shoot(page, "6-published")

    # --- the citizen sees the offer and accepts it ----------------------------------------------
    phone.goto(phone.base_url + "/hasil-seleksi/")
    verdict = phone.locator(".sel-verdict")
    expect(verdict).to_have_text(f"Anda mendapat kursi di kelas {CLASS}.")
    expect(phone.locator("main")).to_contain_text("Tanpa jawaban, kursi diberikan kepada pendaftar lain.")
    assert fits_phone(phone)
    shoot(phone, "7-offer-360px")
    # One e-mail per hand-off: the application received, then the seat offered.
    to_citizen = [m for m in mail.outbox if citizen.email in m.to]
    assert [m.subject for m in to_citizen] == [
        f"Pendaftaran Anda diterima: {batch.name}",
        "Anda mendapat kursi pelatihan",
    ]
    assert CLASS in to_citizen[1].body
    phone.click("button:has-text('Terima kursi')")
    expect(phone.locator("ul.messages")).to_contain_text(
        f"Anda menerima kursi di kelas {training_class.code} “{CLASS}”, mulai "
        f"{date_format(training_class.starts_on, 'j F Y')}. Sampai jumpa di kelas!"
    )
    expect(verdict).to_have_text(f"Anda sudah menerima kursi di kelas {CLASS}.")
    expect(phone.locator("button:has-text('Terima kursi')")).to_have_count(0)
    assert fits_phone(phone)
    shoot(phone, "8-accepted-360px")
    # On the phone the menu waits behind one button, so the offer is the first thing on the screen.
    menu = phone.locator("#menu-utama")
    expect(menu).to_be_hidden()
    assert phone.locator("ul.messages").bounding_box()["y"] < 200
    phone.click("button.menu-toggle")
    expect(menu).to_be_visible()
    expect(phone.locator("button.menu-toggle")).to_have_attribute("aria-expanded", "true")
    expect(menu.locator("a").first).to_be_focused()
    shoot(phone, "8b-menu-open-360px")
    assert serious_accessibility_problems(phone) == []
    phone.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    assert Offer.objects.get(participant__user=citizen).status == OfferStatus.ACCEPTED

    # The officer's list of unanswered offers now holds only the other applicant's.
    page.goto(page.base_url + "/alokasi/tawaran-belum-dijawab/")
    expect(page.locator("main")).to_contain_text("Budi Santoso")
    expect(page.locator("main")).not_to_contain_text("Dewi Lestari")
    shoot(page, "9-unanswered")
