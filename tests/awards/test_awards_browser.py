"""Region selection and awards in a real browser: Kotim's officer registers Kotim for a call with the
keyboard, the published ranking and breakdown read on a 360-px phone, and the published award's
winner links to a certificate that /verify/ shows as valid."""

import pytest
from tests.awards.test_awards import (
    nominate,
    world,  # noqa: F401 - fixture
)
from tests.browsing import browser_login
from tests.conftest import ARTIFACTS
from tests.factories import PASSWORD, national_admin, region, regional_admin
from tests.readiness.test_ranking import call  # noqa: F401 - fixture

from sinergi.awards import services
from sinergi.readiness import region_selection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_registers_the_region_and_the_ranking_reads_on_a_phone(page, phone_page, call):  # noqa: F811
    officer = regional_admin("62.02")
    officer.set_password(PASSWORD)
    officer.save(update_fields=["password"])
    browser_login(page, officer.username, PASSWORD)
    page.goto(f"{page.base_url}/kesiapan/seleksi/{call.pk}/")
    page.get_by_label("Wilayah yang didaftarkan").select_option(label="Kabupaten Kotawaringin Timur")
    page.get_by_label("Wilayah yang didaftarkan").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert "terdaftar" in page.locator("main").inner_text()
    page.screenshot(path="/tmp/selection-desktop.png", full_page=True)

    admin = national_admin()
    region_selection.apply(actor=admin, call=call, region=region("62.01"))
    region_selection.rank_call(actor=admin, call=call)
    region_selection.publish_call(actor=admin, call=call)
    phone_page.goto(f"{phone_page.base_url}/kesiapan/seleksi/{call.pk}/")
    text = phone_page.locator("main").inner_text()
    assert "Kabupaten Kotawaringin Timur" in text and "Kapasitas fiskal" in text
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    phone_page.screenshot(path="/tmp/selection-phone.png", full_page=True)


def test_the_published_award_links_its_winner_to_a_valid_certificate(phone_page, world):  # noqa: F811
    kotim = nominate(world, "62.02", "Pemkab Kotim")
    cycle, (first, second) = world["cycle"], world["jurors"]
    services.close_nominations(actor=world["admin"], cycle=cycle)
    for juror in (first, second):
        services.score_nomination(actor=juror, nomination=kotim, has_conflict=False, score=80)
    services.rank_cycle(actor=world["admin"], cycle=cycle)
    services.publish_cycle(actor=world["admin"], cycle=cycle, issuer=world["admin"].organization)

    page = phone_page
    page.goto(f"{page.base_url}/penghargaan/{cycle.pk}/")
    assert "Pemenang" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The ranking reads as one card per nominee on a phone: nothing in it scrolls sideways either.
    assert page.evaluate(
        "[...document.querySelectorAll('main .table-wrap')].every(w => w.scrollWidth <= w.clientWidth + 1)"
    )
    assert page.locator("main td[data-label='Skor']").first.is_visible()
    page.screenshot(path=str(ARTIFACTS / "award-ranking-360px.png"), full_page=True)
    page.locator("main a[href*='/verify/']").first.click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(ARTIFACTS / "award-verify-360px.png"), full_page=True)
    text = page.locator("main").inner_text()
    assert "Sertifikat sah" in text and "Daerah Smart Society" in text
    # A region is not a person: the awarded region is named in full, not masked like a holder's name.
    assert "Daerah penerima" in text and "Kabupaten Kotawaringin Timur" in text
    assert "disamarkan" not in text
