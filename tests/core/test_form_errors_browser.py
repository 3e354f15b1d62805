"""After a refused submit the focus lands on the error summary, the title says so, and each link in the
summary puts the focus in its field (a profile on a phone, an agreement on a desktop)."""

import pytest
from playwright.sync_api import expect
from tests.browsing import browser_login, serious_accessibility_problems
from tests.factories import PASSWORD, UserFactory, regional_admin

from sinergi.core.demo import seed_foundation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_focus_moves_to_the_summary_and_each_link_to_its_field(page, phone_page):
    phone = phone_page
    citizen = UserFactory(username="warga.salah")
    browser_login(phone, citizen.username, PASSWORD)
    phone.goto(phone.base_url + "/peserta/profil/")
    phone.fill("#id_full_name", "Dewi Lestari")
    phone.click("main form.profile-form button[type=submit]")
    summary = phone.locator("#ringkasan-galat")
    expect(summary).to_be_focused()
    expect(phone).to_have_title("Kesalahan: Profil peserta · Sinergi")
    phone.screenshot(path="/tmp/error-summary-360px.png", full_page=False)
    assert serious_accessibility_problems(phone) == []
    phone.keyboard.press("Tab")  # the first link of the summary
    first = summary.locator("a").first
    expect(first).to_be_focused()
    target = first.get_attribute("href")[1:]
    phone.keyboard.press("Enter")
    expect(phone.locator(f"[id='{target}']")).to_be_focused()
    summary.locator("a[href='#id_sex_0']").click()
    expect(phone.locator("#id_sex_0")).to_be_focused()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    seed_foundation()
    officer = regional_admin("16.71", username="admin.kerjasama")
    browser_login(page, officer.username, PASSWORD)
    page.goto(page.base_url + "/kerja-sama/kelola/baru/")
    page.click("main form.agreement-form button[type=submit]")
    expect(page.locator("#ringkasan-galat")).to_be_focused()
    expect(page).to_have_title("Kesalahan: Kerja sama baru · Sinergi")
    assert serious_accessibility_problems(page) == []
    page.locator("#ringkasan-galat a[href='#id_title']").click()
    expect(page.locator("#id_title")).to_be_focused()
