"""Every dashboard in a real browser, on a desktop and on a 360-px phone: the national admin's home and
full dashboard (regions compared), the Palembang admin's (own region only), a provider's and a
participant's home. Each page is screenshotted to test-artifacts/ (dashboard-<who>-<device>.png) so a
person can look at them; the test asserts what a reader would notice: the numbers, the charts with
their tables, and nothing wider than the phone."""

import base64

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.browsing import browser_login
from tests.conftest import ARTIFACTS
from tests.factories import PASSWORD, UserFactory, national_admin, regional_admin
from tests.reporting.worlds import build_world

from sinergi.accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def accounts():
    world = build_world()
    admin = national_admin()
    device = TOTPDevice.objects.create(user=admin, name="tes", confirmed=True)
    secret = base64.b32encode(device.bin_key).decode()
    staff = UserFactory(role=Role.PROVIDER_STAFF, organization=world["palembang"]["class"].provider)
    citizen = UserFactory(role=Role.PARTICIPANT)
    person = world["palembang"]["participants"][0]  # enrolled, completed and certified
    person.user = citizen
    person.save(update_fields=["user"])
    return {
        "national": (admin, secret),
        "palembang": (regional_admin("16.71"), None),
        "provider": (staff, None),
        "participant": (citizen, None),
    }


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dashboard-{name}.png"), full_page=True)


def visit(page, who: str, accounts, paths: list[str], device: str) -> dict[str, str]:
    user, secret = accounts[who]
    browser_login(page, user.username, PASSWORD, totp_secret=secret)
    texts = {}
    for path in paths:
        page.goto(page.base_url + path)
        page.wait_for_load_state("networkidle")
        name = f"{who}-{'home' if path == '/' else 'dasbor'}-{device}"
        shoot(page, name)
        assert fits(page), name
        # Every chart's data table opened: a wide table scrolls inside its own box, not the page.
        page.evaluate("document.querySelectorAll('details.chart-data').forEach(d => d.open = true)")
        assert fits(page), name + " (data tables open)"
        texts[path] = page.locator("main").inner_text()
    page.click("text=Keluar")
    page.wait_for_load_state("networkidle")
    return texts


@pytest.mark.parametrize("device", ["desktop", "360px"])
def test_every_dashboard_reads_on_desktop_and_phone(browser, live_server, accounts, device):
    viewport = {"width": 1280, "height": 900} if device == "desktop" else {"width": 360, "height": 740}
    context = browser.new_context(viewport=viewport, locale="id-ID", is_mobile=device != "desktop")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    try:
        national = visit(page, "national", accounts, ["/", "/dasbor/"], device)
        assert "Corong pelatihan" in national["/"]
        assert "Perbandingan wilayah per 100.000 penduduk" in national["/dasbor/"]
        assert "Provinsi Sumatera Selatan" in national["/dasbor/"]
        assert "Bekerja / berwirausaha" in national["/dasbor/"]
        assert "60,0% dari yang menjawab tracer" in national["/dasbor/"]

        palembang = visit(page, "palembang", accounts, ["/", "/dasbor/"], device)
        assert "Kota Samarinda" not in palembang["/dasbor/"]
        assert "Menjawab tracer" in palembang["/dasbor/"]

        provider = visit(page, "provider", accounts, ["/"], device)
        assert "Sertifikat terbit" in provider["/"]

        participant = visit(page, "participant", accounts, ["/"], device)
        assert "Sertifikat" in participant["/"]
    finally:
        context.close()
