"""In a real browser: paste the Palembang article, see the values highlighted, map the parties,
confirm, and land on the new agreement's page. Also checked at 360 px."""

from __future__ import annotations

import pytest
from tests.browsing import browser_login
from tests.conftest import ARTIFACTS
from tests.intake.evaluate import find_seeds_dir

from sinergi.accounts.models import Organization
from sinergi.partnerships.models import Agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_paste_review_map_and_confirm(page):
    from sinergi.core.demo import DEMO_PASSWORD, seed_foundation

    seeds = sorted(find_seeds_dir().glob("001_*.txt"))
    if not seeds:
        pytest.skip("seed article 001 not found beside the repository")
    seed_foundation()
    browser_login(page, "admin.palembang", DEMO_PASSWORD)

    page.goto(page.base_url + "/kerja-sama/draf/")
    page.fill("#id_text", seeds[0].read_text(encoding="utf-8"))
    page.click("text=Susun draf")
    page.wait_for_selector("h1:has-text('Periksa draf kerja sama')")

    # Every extracted value is marked in the source; the first party's marks light up when its
    # organisation field gets keyboard focus, and its "lihat di teks" link pins them.
    assert page.locator(".source-text mark.src-mark.k-party").count() >= 3
    assert page.locator(".source-text mark.k-commitment").inner_text() == "10 ribu kursi"
    party_marks = page.locator('.source-text mark[data-marks~="party-1"]')
    page.focus("#id_pihak-0-organization")
    assert "is-active" in (party_marks.first.get_attribute("class") or "")
    page.keyboard.press("Tab")  # leaving the party's fields switches the highlight off
    page.focus("#id_pihak-0-role")
    page.focus("#id_title")
    assert "is-active" not in (party_marks.first.get_attribute("class") or "")
    page.locator('a.src-link[href="#src-commitment-0"]').first.focus()
    page.keyboard.press("Enter")
    commitment = page.locator('.source-text mark[data-marks~="commitment-0"]')
    assert "is-target" in (commitment.first.get_attribute("class") or "")

    # The parties are mapped to the registered organisations (suggested, chosen explicitly here).
    palembang = Organization.objects.get(name="Pemerintah Kota Palembang")
    balitbang = Organization.objects.get(short_name="Balitbang SDM")
    assert page.input_value("#id_pihak-0-organization") == str(palembang.pk)
    page.select_option("#id_pihak-0-organization", str(palembang.pk))
    page.select_option("#id_pihak-1-organization", str(balitbang.pk))
    assert page.input_value("#id_pihak-0-signatory_name") == "Harnojoyo"
    assert page.is_hidden("#id_pihak-0-new_name")  # only shown for "Buat organisasi baru"

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "intake-review-desktop.png"), full_page=True)
    # At 360 px the page stacks the source above the draft without sideways scrolling.
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(ARTIFACTS / "intake-review-360px.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.check("#id_confirm")
    with page.expect_navigation():
        page.click("button[name=action][value=buat]")
    page.wait_for_selector("text=Kerja sama dibuat dari draf.")
    agreement = Agreement.objects.get()
    assert page.url.endswith(f"/kerja-sama/{agreement.pk}/")
    assert page.locator("h1").inner_text() == agreement.title
    assert "10.000" in page.content() or "10000" in page.content()
    assert {p.organization_id for p in agreement.parties.all()} == {palembang.pk, balitbang.pk}
