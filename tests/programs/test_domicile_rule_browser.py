"""A province officer sets a domicile rule with the region search, by keyboard on a phone, and again in
a browser without JavaScript; no Kemendagri code is typed."""

import pytest
from playwright.sync_api import expect
from tests.browsing import browser_login, serious_accessibility_problems
from tests.factories import PASSWORD, BatchFactory, ProgramFactory, region, regional_admin

from sinergi.programs.models import EligibilityRule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_ticks_regions_found_by_name_using_only_the_keyboard(phone_page):
    page = phone_page
    officer = regional_admin("16", username="admin.sumsel")
    program = ProgramFactory(batch=BatchFactory(region=region("16")))
    browser_login(page, officer.username, PASSWORD)
    page.goto(page.base_url + f"/kelola/program/{program.pk}/aturan/baru/?jenis=domicile")
    expect(page.locator("label[for=id_regions_cari]")).to_have_text("Wilayah domisili *")
    page.focus("#id_regions_cari")
    page.keyboard.type("lubuk")
    page.keyboard.press("Enter")  # searches in place: the form is not sent
    match = page.locator("#id_regions_hasil input[value='16.73']")
    expect(match).to_be_visible()
    expect(page.locator("#id_regions_hasil input[type=checkbox]")).to_have_count(1)
    assert not EligibilityRule.objects.exists()
    page.keyboard.press("Tab")  # past the "Cari" button, to the first match
    page.keyboard.press("Tab")
    expect(match).to_be_focused()
    page.keyboard.press("Space")
    # Ticked, it joins the list above, so the next search keeps it.
    expect(page.locator("#id_regions_terpilih input[value='16.73']")).to_be_checked()
    page.fill("#id_regions_cari", "")
    page.focus("#id_regions_cari")
    page.keyboard.type("palembang")
    expect(page.locator("#id_regions_hasil input[type=checkbox]")).to_have_count(1)
    expect(page.locator("#id_regions_terpilih input[value='16.73']")).to_be_checked()
    page.locator("#id_regions_hasil input[value='16.71']").press("Space")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path="/tmp/domicile-rule-360px.png", full_page=True)
    assert serious_accessibility_problems(page) == []
    page.locator("button:has-text('Simpan aturan')").press("Enter")
    expect(page.get_by_text("Aturan kelayakan disimpan.")).to_be_visible()
    assert EligibilityRule.objects.get().params == {"regions": ["16.73", "16.71"]}
    expect(page.locator("main")).to_contain_text("Kota Lubuk Linggau (16.73), Kota Palembang (16.71)")


def test_without_javascript_the_search_button_narrows_the_list_and_keeps_the_ticks(browser, live_server):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="id-ID", java_script_enabled=False
    )
    page = context.new_page()
    page.base_url = live_server.url
    officer = regional_admin("16", username="admin.sumsel.nojs")
    program = ProgramFactory(batch=BatchFactory(region=region("16")))
    browser_login(page, officer.username, PASSWORD)
    page.goto(page.base_url + f"/kelola/program/{program.pk}/aturan/baru/?jenis=domicile")
    page.check("#id_regions_hasil input[value='16.72']")  # every kab/kota of the province is listed
    page.fill("#id_regions_cari", "palembang")
    page.press("#id_regions_cari", "Enter")  # the form's first button is "Cari"
    expect(page.locator("input[value='16.72']")).to_be_checked()
    expect(page.locator("#id_regions_hasil input[type=checkbox]")).to_have_count(1)
    assert not EligibilityRule.objects.exists()
    page.check("#id_regions_hasil input[value='16.71']")
    page.click("button:has-text('Simpan aturan')")
    expect(page.get_by_text("Aturan kelayakan disimpan.")).to_be_visible()
    assert EligibilityRule.objects.get().params == {"regions": ["16.72", "16.71"]}
    page.screenshot(path="/tmp/domicile-rule-nojs.png", full_page=True)
    context.close()
