"""The public results page is read on phones: it must fit 360 px without sideways scrolling."""

import pytest

from sinergi.partnerships.models import Agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_agreement_page_fits_a_phone(phone_page):
    from sinergi.core.demo import seed_foundation
    from sinergi.partnerships.demo import seed_partnerships

    seed_foundation()
    seed_partnerships()
    palembang = Agreement.objects.get(title__contains="Kota Palembang")
    page = phone_page
    page.goto(page.base_url + "/kerja-sama/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click(f"text={palembang.title}")
    assert page.locator("h1").inner_text() == palembang.title
    assert page.locator(".commitment > progress").count() == 2
    assert page.locator("progress").first.evaluate("el => el.value") == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The explanation of each number (metric, weight, per-level split) fits too once opened.
    for summary in page.locator("details.explain summary").all():
        summary.click()
    assert page.locator("details.explain[open]").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path="test-artifacts/agreement-explained-phone.png", full_page=True)
