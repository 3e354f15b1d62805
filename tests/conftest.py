import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# The suite runs in parallel workers on a 2-core machine: a per-example deadline measures the load on
# the host, not the code, and made property tests fail at random. Speed is measured in bench/.
hypothesis_settings.register_profile("sinergi", deadline=None, print_blob=True)
hypothesis_settings.load_profile("sinergi")

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Jobs run synchronously so their effects can be asserted; uploads go to a throwaway folder;
    # passwords are hashed with a fast hasher (Argon2 is meant to be slow; one test checks it is used).
    settings.JOBS_SYNCHRONOUS = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.RATELIMIT_ENABLE = True


@pytest.fixture(autouse=True)
def _force_login_completes_two_factor(monkeypatch):
    """`client.force_login(user)` skips the login page; for staff it skips the second step with it
    (tests/two_factor.py), so that a national admin, who must use two-factor, is not sent to its setup."""
    from django.test import Client
    from tests.two_factor import complete_second_step

    force_login = Client.force_login

    def force_login_and_verify(self, user, backend=None):
        force_login(self, user, backend)
        complete_second_step(self, user)

    monkeypatch.setattr(Client, "force_login", force_login_and_verify)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _ensure_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    apt = shutil.which("apt-get")
    if apt is None:
        pytest.fail("Chromium tidak ada dan apt-get tidak tersedia untuk memasangnya.")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
    result = subprocess.run(
        [*prefix, apt, "install", "-y", "-q", "chromium"], env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        subprocess.run([*prefix, apt, "update", "-q"], env=env, check=False, capture_output=True)
        subprocess.run(
            [*prefix, apt, "install", "-y", "-q", "chromium"], env=env, check=True, capture_output=True
        )


@pytest.fixture(scope="session")
def browser():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    _ensure_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url  # type: ignore[attr-defined]
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def phone_page(browser, live_server, request):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url  # type: ignore[attr-defined]
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-360px.png"), full_page=True)
    context.close()


@pytest.fixture(autouse=True)
def _restore_reference_data(request, django_db_blocker):
    """A transactional test ends with a flush that also empties the Kemendagri regions the migration
    loaded; put them back before any test that uses the database, so every test sees them."""
    if request.node.get_closest_marker("django_db") or "live_server" in request.fixturenames:
        from sinergi.regions.models import Region
        from sinergi.regions.services import load_regions

        with django_db_blocker.unblock():
            if not Region.objects.exists():
                load_regions()
    yield


@pytest.fixture
def no_xlsx_parsing(monkeypatch):
    """Fails the test if openpyxl is asked to open a workbook: the limits must refuse it first."""

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl.load_workbook was called on a file the limits should refuse")

    import openpyxl

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
