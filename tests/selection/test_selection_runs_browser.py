"""In a browser: the regional admin runs the four steps, a participant reads their result on a phone
and declines, the admin backfills the freed seat."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from tests.browsing import browser_login
from tests.factories import (
    PASSWORD,
    ParticipantFactory,
    ProgramFactory,
    TrainingClassFactory,
    UserFactory,
    apply_to,
    regional_admin,
)

from sinergi.selection.models import Offer, OfferStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_out(page):
    page.click("text=Keluar")
    page.wait_for_load_state("networkidle")


def _run_steps(page):
    hash_text = page.locator("#input-hash").inner_text()
    assert re.fullmatch(r"[0-9a-f]{64}", hash_text)
    assert page.locator("#seed").count() == 0  # the hash is out, the seed is not drawn yet
    page.click("text=Tarik angka undian")
    assert page.locator("#seed").inner_text().isdigit()
    page.click("text=Jalankan simulasi")
    page.wait_for_selector("text=Tinjauan hasil")
    assert page.locator("text=Per wilayah domisili").count() == 1
    page.fill("#id_response_days", "5")
    page.check("#id_confirm")
    page.click("main button:has-text('Terbitkan')")
    page.wait_for_selector("text=Alokasi diterbitkan")
    return hash_text


def test_admin_allocates_participant_declines_admin_backfills(page, phone_page):
    admin = regional_admin("16.71")
    program = ProgramFactory(
        batch__name="DTS Palembang Uji Peramban",
        batch__registration_closes=timezone.now() - dt.timedelta(hours=1),
    )
    first = TrainingClassFactory(program=program, capacity=1, name="Analis Data Dasar")
    second = TrainingClassFactory(program=program, capacity=1, name="Pemrograman Web Dasar")
    people = []
    for score, name in [(90, "Ayu"), (80, "Budi"), (70, "Citra")]:
        person = ParticipantFactory(user=UserFactory(), full_name=name)
        apply_to(person, [first, second], score=score)
        people.append(person)
    budi = people[1]

    browser_login(page, admin.username, PASSWORD)
    page.click("nav >> text=Alokasi kursi")
    page.click("text=DTS Palembang Uji Peramban")
    page.select_option("#id_kind", "utama")
    page.click("text=Bekukan masukan dan umumkan hash")
    _run_steps(page)
    assert page.locator("text=2 tawaran kursi dikirim").count() == 1

    phone = phone_page
    browser_login(phone, budi.user.username, PASSWORD)
    phone.goto(phone.base_url + "/hasil-seleksi/")
    assert "Anda mendapat kursi di kelas Pemrograman Web Dasar" in phone.locator("main").inner_text()
    assert "di bawah batas 90,0 untuk kursi umum" in phone.locator(".sel-why").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path="test-artifacts/selection-result-360px.png", full_page=True)
    phone.click("text=Tolak")
    phone.check("#id_confirm")
    phone.click("text=Ya, tolak kursi ini")
    phone.wait_for_selector("text=Anda tolak")
    assert Offer.objects.get(participant=budi).status == OfferStatus.DECLINED

    page.click(f"text={program.batch.name}")
    page.select_option("#id_kind", "susulan")
    page.fill("#id_reason", "Kursi Pemrograman Web ditolak peserta")
    page.click("text=Bekukan masukan dan umumkan hash")
    _run_steps(page)
    assert page.locator("text=1 tawaran kursi dikirim").count() == 1
    assert Offer.objects.get(participant=people[2], status=OfferStatus.OFFERED).training_class == second
