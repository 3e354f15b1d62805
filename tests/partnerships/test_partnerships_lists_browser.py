"""A visitor on a phone filters the public list by region and opens the region's results page."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PALEMBANG = "Peningkatan Kecakapan Digital Aparatur dan Masyarakat Kota Palembang"


def seed():
    from sinergi.core.demo import seed_foundation
    from sinergi.partnerships.demo import seed_partnerships

    seed_foundation()
    seed_partnerships()


def test_filter_public_list_by_region_then_open_region_page_at_360px(phone_page):
    seed()
    page = phone_page
    page.goto(page.base_url + "/kerja-sama/")
    assert page.locator(".agreement-card").count() == 3
    # htmx swaps the results as soon as the region changes, and puts the filter in the address.
    page.select_option("#f-wilayah", "16")
    page.wait_for_url("**wilayah=16*")
    page.wait_for_function("document.querySelectorAll('.agreement-card').length === 1")
    assert page.locator(".agreement-card h2").inner_text() == PALEMBANG
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "partnerships-list-filtered-by-region-360px.png"), full_page=True)

    page.click(".agreement-card a[href$='/kerja-sama/wilayah/16.71/']")
    page.wait_for_url("**/kerja-sama/wilayah/16.71/")
    assert page.locator("h1").inner_text() == "Hasil kerja sama Kota Palembang"
    assert page.locator("progress").count() >= 3  # the roll-up and each commitment
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(ARTIFACTS / "partnerships-region-page-360px.png"), full_page=True)
    page.click(f"text={PALEMBANG}")
    assert page.locator("h1").inner_text() == PALEMBANG


def test_filter_form_works_without_javascript(browser, live_server):
    seed()
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/kerja-sama/")
        page.select_option("#f-wilayah", "62")
        page.fill("#f-q", "smart")
        page.click("form.agreement-filters button[type=submit]")
        page.wait_for_url("**wilayah=62*")
        assert page.locator(".agreement-card").count() == 1
        assert "Kotawaringin Timur" in page.locator(".agreement-card h2").inner_text()
    finally:
        context.close()
