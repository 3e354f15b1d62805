"""Programme management in a real browser on a phone: a regional admin adds a class, with the
reserved-seats check explained, and an eligibility rule by keyboard."""

import pytest
from tests.browsing import browser_login
from tests.factories import PASSWORD, OrganizationFactory, ProgramFactory, region, regional_admin

from sinergi.accounts.models import Organization
from sinergi.programs.models import EligibilityRule, TrainingClass

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_regional_admin_adds_a_class_and_a_rule_on_a_phone(phone_page):
    page = phone_page
    admin = regional_admin("16.71", username="admin.kelas")
    program = ProgramFactory(name="Junior Web Developer")
    provider = OrganizationFactory(
        name="Politeknik Uji Palembang", region=region("16.71"), kind=Organization.Kind.PROVIDER
    )
    browser_login(page, admin.username, PASSWORD)

    page.goto(page.base_url + "/kelola/gelombang/")
    page.click(f"text={program.batch.name}")
    page.click("text=Junior Web Developer")
    page.click("text=Kelas baru")
    page.fill("#id_code", "plb-jwd-01")
    page.fill("#id_name", "Junior Web Developer — Kelas 1")
    page.select_option("#id_provider", str(provider.pk))
    page.select_option("#id_mode", "luring")
    page.fill("#id_venue", "Kampus Politeknik, Palembang")
    page.fill("#id_starts_on", "2026-12-01")
    page.fill("#id_ends_on", "2026-12-20")
    page.fill("#id_hours", "80")
    page.fill("#id_capacity", "20")
    page.fill("#id_reserved_asn", "15")
    page.fill("#id_reserved_disabilitas", "6")
    page.click("text=Simpan kelas")
    page.wait_for_selector("text=Jumlah kursi cadangan (21) melebihi kapasitas kelas (20).")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not TrainingClass.objects.exists()

    page.fill("#id_reserved_disabilitas", "2")
    page.click("text=Simpan kelas")
    page.wait_for_selector("text=Kelas disimpan.")
    assert TrainingClass.objects.get().reserved_seats == {"asn": 15, "disabilitas": 2}

    page.select_option("#rule-kind", "age")
    page.click("#tambah-aturan button")
    page.fill("#id_min", "17")
    page.fill("#id_max", "29")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Aturan kelayakan disimpan.")
    assert EligibilityRule.objects.get().params == {"min": 17, "max": 29}
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
