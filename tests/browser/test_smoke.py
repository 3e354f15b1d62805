import pytest
from tests.browsing import browser_login

from sinergi.core.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME_HEADINGS = {
    "admin.nasional": "Beranda Admin Nasional",
    "admin.palembang": "Beranda Admin Daerah",
    "staf.blk": "Beranda Penyelenggara Pelatihan",
    "asesor": "Beranda Asesor",
    "peserta": "Beranda Peserta",
}


@pytest.fixture
def demo_accounts():
    from sinergi.core.demo import seed_foundation

    seed_foundation()


def test_each_role_lands_on_its_own_home_page(page, demo_accounts):
    for username, heading in HOME_HEADINGS.items():
        # The demo's national admin has two-factor on, as the role requires (README "Demo").
        secret = DEMO_TOTP_SECRET if username == "admin.nasional" else None
        browser_login(page, username, DEMO_PASSWORD, totp_secret=secret)
        assert page.locator("h1").inner_text() == heading
        page.click("text=Keluar")
        page.wait_for_load_state("networkidle")


def test_public_home_works_on_a_phone_and_with_the_keyboard(phone_page):
    page = phone_page
    console_errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.goto(page.base_url + "/")
    page.wait_for_load_state("networkidle")
    assert console_errors == []  # e.g. a script or style the Content-Security-Policy blocks
    assert page.locator("h1").inner_text() == "Kerja sama daerah yang terukur hasilnya"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Lewati ke isi utama"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#isi"


def test_region_search_with_htmx(page):
    page.goto(page.base_url + "/wilayah/")
    page.fill("#region-q", "Kotim")
    page.wait_for_selector("text=Kabupaten Kotawaringin Timur")
