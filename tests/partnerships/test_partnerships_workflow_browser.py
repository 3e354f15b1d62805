"""In a real browser: a regional admin enters an agreement through the form with labelled controls
and the keyboard, signs it off through the lifecycle buttons, and the public sees it; the office
page fits a 360-px phone."""

from pathlib import Path

import pytest
from tests.browsing import browser_login

from sinergi.core.demo import DEMO_PASSWORD, demo_org, seed_foundation
from sinergi.partnerships.models import Agreement, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TITLE = "Peningkatan Kecakapan Digital Aparatur dan Masyarakat Kota Palembang"


def submit_with_keyboard(page, button) -> None:
    button.focus()
    # Wait for the post to land on its next page; under load "networkidle" alone can resolve first.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")


def test_regional_admin_creates_an_agreement_that_the_public_sees(page):
    seed_foundation()
    browser_login(page, "admin.palembang", DEMO_PASSWORD)
    page.goto(page.base_url + "/kerja-sama/kelola/baru/")

    page.locator("#id_type").select_option("nota_kesepakatan")
    page.locator("#id_title").fill(TITLE)
    page.get_by_label("Talenta digital").check()
    page.get_by_label("Pelatihan ASN").check()
    page.locator("#id_start_date").fill("2021-12-20")
    page.locator("#id_end_date").fill("2026-12-19")
    # Row 1 is pre-filled with the officer's own organisation; the partner goes in row 2.
    assert page.locator("#id_pihak-0-organization").input_value() == str(demo_org("palembang").pk)
    page.locator("#id_pihak-0-signatory_position").fill("Wali Kota Palembang")
    page.locator("#id_pihak-1-organization").select_option(
        label="Badan Penelitian dan Pengembangan SDM Kominfo"
    )
    page.locator("#id_pihak-1-role").select_option("pihak_kedua")
    page.locator("#id_komitmen-0-title").fill("Kursi kelas pelatihan digital")
    page.locator("#id_komitmen-0-target_value").fill("10000")
    page.locator("#id_komitmen-0-unit").fill("kursi")
    page.locator("#id_komitmen-0-deadline").fill("2026-12-19")
    page.locator("#id_komitmen-0-breakdown").fill("dasar: 5000\nmenengah: 3000\nlanjut: 2000")
    submit_with_keyboard(page, page.get_by_role("button", name="Simpan kerja sama"))

    assert page.locator("h1").inner_text() == TITLE
    assert "Kerja sama baru tercatat." in page.locator(".messages").inner_text()
    agreement = Agreement.objects.get(title=TITLE)
    assert agreement.commitments.get().target_value == 10_000

    for label, reason in [
        ("Ubah ke Pembahasan", "Diajukan ke TKKSD"),
        ("Ubah ke Menunggu Tanda Tangan", "Disetujui TKKSD"),
        ("Ubah ke Berlaku", "Ditandatangani"),
    ]:
        page.locator("#id_reason").fill(reason)
        if label == "Ubah ke Berlaku":
            # Signed only with its signing date, asked for in the same step.
            page.locator("form #id_signed_date").fill("2021-12-20")
        submit_with_keyboard(page, page.get_by_role("button", name=label))
    assert "Ditandatangani" in page.locator("table.history").inner_text()
    agreement.refresh_from_db()
    assert agreement.status == Status.BERLAKU

    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state("networkidle")
    page.goto(page.base_url + f"/kerja-sama/{agreement.pk}/")
    assert page.locator("h1").inner_text() == TITLE
    assert "Kursi kelas pelatihan digital" in page.locator(".commitment").inner_text()
    assert page.locator(".commitment > progress").count() == 1


def test_office_page_fits_a_phone(phone_page):
    seed_foundation()
    from sinergi.partnerships.demo import seed_partnerships

    seed_partnerships()
    agreement = Agreement.objects.get(title=TITLE)
    from django.utils import timezone

    from sinergi.accounts.models import User
    from sinergi.partnerships.services import record_monev

    record_monev(
        agreement,
        user=User.objects.get(username="admin.palembang"),
        evaluated_on=timezone.localdate(),
        period_label="Tahun ke-4",
        recommendation="diperluas",
        notes="Perluas ke guru SMA dan pelaku UMKM.",
    )
    page = phone_page
    browser_login(page, "admin.palembang", DEMO_PASSWORD)
    page.goto(page.base_url + f"/kerja-sama/kelola/{agreement.pk}/")
    assert "Tahun ke-4" in page.locator("#monev ~ .monev-round").first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator("h1").inner_text() == TITLE
    assert page.get_by_role("button", name="Ubah ke Selesai").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto(page.base_url + f"/kerja-sama/kelola/{agreement.pk}/ubah/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "test_partnerships_workflow_form-360px.png"), full_page=True)
    page.goto(page.base_url + f"/kerja-sama/kelola/{agreement.pk}/")
