"""Two-factor sign-in for staff (core/two_factor.py): setup with a QR code, the code after the password,
single-use recovery codes, the requirement for national admins, switching off, and rate limits."""

import re

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.factories import PASSWORD, UserFactory, national_admin, provider_staff, regional_admin
from tests.two_factor import current_code, enable_two_factor

from sinergi.accounts.models import Role
from sinergi.core.models import RecoveryCode

pytestmark = pytest.mark.django_db

SETUP, VERIFY = "/akun/dua-langkah/", "/akun/dua-langkah/kode/"


def sign_in(client, user):
    """The login page with the right password: the first step only."""
    response = client.post("/akun/masuk/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return response


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def audit_operations(user) -> list[str]:
    entries = LogEntry.objects.filter(object_pk=str(user.pk), additional_data__isnull=False)
    return [e.additional_data.get("operasi") for e in entries]


def shown_codes(html: str) -> list[str]:
    return re.findall(r"<li><code>([a-z2-7-]+)</code></li>", html)


def test_setup_shows_a_qr_code_and_the_secret_and_a_right_code_turns_it_on(client):
    officer = regional_admin("16.71")
    client.force_login(officer)
    page = client.get(SETUP)
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "<svg" in html and "Kode QR untuk aplikasi autentikator" in html  # inline, nothing fetched
    pending = TOTPDevice.objects.get(user=officer, confirmed=False)
    from sinergi.core.two_factor import secret_text

    assert secret_text(pending) in html
    assert client.get(SETUP).content.decode().count(secret_text(pending)) == 1  # same secret on reload

    shown = client.post(SETUP, {"kode": current_code(pending)})
    codes_html = shown.content.decode()
    assert shown.status_code == 200 and "Verifikasi dua langkah aktif" in codes_html
    pending.refresh_from_db()
    assert pending.confirmed
    codes = shown_codes(codes_html)
    assert len(codes) == 10 and len(set(codes)) == 10
    # Shown once: the status page afterwards names how many are left, never the codes.
    status = client.get(SETUP).content.decode()
    assert "Tersisa 10 kode pemulihan" in status and not any(code in status for code in codes)
    assert "verifikasi dua langkah diaktifkan" in audit_operations(officer)


def test_recovery_codes_are_stored_only_as_hashes():
    _device, codes = enable_two_factor(provider_staff())
    stored = set(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert len(stored) == 10
    assert not {c.replace("-", "") for c in codes} & stored and not set(codes) & stored


def test_a_wrong_or_malformed_setup_code_is_refused_naming_the_field(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the back-off has its own test
    officer = regional_admin("16.71")
    client.force_login(officer)
    client.get(SETUP)
    pending = TOTPDevice.objects.get(user=officer)
    html = client.post(SETUP, {"kode": wrong(current_code(pending))}).content.decode()
    assert "Kode verifikasi: kode tidak cocok dengan rahasia ini" in html
    html = client.post(SETUP, {"kode": "abc"}).content.decode()
    assert "Kode verifikasi: masukkan 6 angka" in html
    html = client.post(SETUP, {"kode": ""}).content.decode()
    assert "Kode verifikasi: wajib diisi." in html
    pending.refresh_from_db()
    assert not pending.confirmed and not RecoveryCode.objects.exists()
    assert "<svg" in html  # the QR code stays on the page for another try


def test_signing_in_asks_for_the_code_before_anything_else(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    officer = regional_admin("16.71")
    device, _codes = enable_two_factor(officer)
    sign_in(client, officer)
    page = client.get("/organisasi/")
    assert page.status_code == 302 and page.url == VERIFY + "?next=%2Forganisasi%2F"
    assert client.get("/audit/").url.startswith(VERIFY)
    api = client.get("/api/v1/agreements")
    assert api.status_code == 401 and "verifikasi dua langkah" in api.json()["detail"]

    refused = client.post(VERIFY + "?next=/organisasi/", {"kode": wrong(current_code(device))})
    assert "Kode verifikasi: kode tidak cocok" in refused.content.decode()
    assert client.get("/organisasi/").status_code == 302

    done = client.post(VERIFY, {"kode": current_code(device), "next": "/organisasi/"})
    assert done.status_code == 302 and done.url == "/organisasi/"
    assert client.get("/organisasi/").status_code == 200
    assert client.get(VERIFY).status_code == 302  # nothing owed any more


def test_the_code_page_does_not_send_anyone_to_another_site(client):
    officer = regional_admin("16.71")
    device, _codes = enable_two_factor(officer)
    sign_in(client, officer)
    done = client.post(VERIFY, {"kode": current_code(device), "next": "https://contoh.invalid/"})
    assert done.url == "/"


def test_a_recovery_code_signs_in_once_and_is_audited(client):
    officer = provider_staff()
    _device, codes = enable_two_factor(officer)
    sign_in(client, officer)
    done = client.post(VERIFY, {"kode": codes[3].upper().replace("-", " ")}, follow=True)
    assert "sisa 9 kode" in done.content.decode()
    assert RecoveryCode.objects.filter(device__user=officer).count() == 9
    assert "kode pemulihan dipakai" in audit_operations(officer)

    again = Client()
    sign_in(again, officer)
    html = again.post(VERIFY, {"kode": codes[3]}).content.decode()
    assert "Kode verifikasi: kode tidak cocok" in html
    assert again.get("/").status_code == 302


def test_a_national_admin_without_two_factor_can_only_set_it_up(client):
    admin = national_admin()
    sign_in(client, admin)
    for path in ("/", "/audit/", "/organisasi/", "/admin/", VERIFY):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith(SETUP), path
    page = client.get(SETUP)
    assert page.status_code == 200 and "wajib memakai verifikasi dua langkah" in page.content.decode()
    pending = TOTPDevice.objects.get(user=admin)
    client.post(SETUP, {"kode": current_code(pending)})
    assert client.get("/audit/").status_code == 200


def test_the_requirement_for_national_admins_can_be_relaxed_by_setting(client, settings):
    settings.SINERGI_REQUIRE_2FA_NATIONAL = False
    sign_in(client, national_admin())
    assert client.get("/audit/").status_code == 200


def test_a_national_admin_may_not_switch_it_off(client):
    admin = national_admin()
    device, _codes = enable_two_factor(admin)
    client.force_login(admin)
    assert "Matikan</button>" not in client.get(SETUP).content.decode()
    html = client.post("/akun/dua-langkah/matikan/", {"matikan-kode": current_code(device)}).content.decode()
    assert "wajib untuk admin nasional dan tidak dapat dimatikan" in html
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).exists()
    assert "verifikasi dua langkah dimatikan" not in audit_operations(admin)


def test_other_staff_switch_it_off_with_a_current_code(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    officer = regional_admin("16.71")
    device, _codes = enable_two_factor(officer)
    client.force_login(officer)
    refused = client.post("/akun/dua-langkah/matikan/", {"matikan-kode": wrong(current_code(device))})
    assert "Kode verifikasi: kode tidak cocok" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=officer).exists()
    done = client.post("/akun/dua-langkah/matikan/", {"matikan-kode": current_code(device)})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists() and not RecoveryCode.objects.exists()
    assert "verifikasi dua langkah dimatikan" in audit_operations(officer)
    fresh = Client()
    sign_in(fresh, officer)
    assert fresh.get("/organisasi/").status_code == 200  # the password alone again


def test_new_recovery_codes_replace_the_old_ones(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    officer = regional_admin("16.71")
    device, old = enable_two_factor(officer)
    client.force_login(officer)
    shown = client.post("/akun/dua-langkah/kode-pemulihan/", {"baru-kode": current_code(device)})
    html = shown.content.decode()
    new = shown_codes(html)
    assert len(new) == 10 and not set(new) & set(old)
    assert "kode pemulihan dibuat ulang" in audit_operations(officer)
    signing_in = Client()
    sign_in(signing_in, officer)
    assert "tidak cocok" in signing_in.post(VERIFY, {"kode": old[0]}).content.decode()
    assert signing_in.post(VERIFY, {"kode": new[0]}).status_code == 302
    assert signing_in.get("/organisasi/").status_code == 200


def test_code_attempts_are_rate_limited_per_account(client, settings):
    settings.SINERGI_TWO_FACTOR_RATE = "3/m"
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    officer = regional_admin("16.71")
    device, _codes = enable_two_factor(officer)
    sign_in(client, officer)
    for _attempt in range(3):
        assert client.post(VERIFY, {"kode": wrong(current_code(device))}).status_code == 200
    blocked = client.post(VERIFY, {"kode": current_code(device)})
    assert blocked.status_code == 429
    assert client.get("/organisasi/").status_code == 302  # still not signed in


def test_wrong_codes_in_a_row_make_the_next_try_wait(client):
    officer = regional_admin("16.71")
    device, _codes = enable_two_factor(officer)
    sign_in(client, officer)
    client.post(VERIFY, {"kode": wrong(current_code(device))})
    html = client.post(VERIFY, {"kode": current_code(device)}).content.decode()
    assert "terlalu banyak kode salah berturut-turut" in html and "detik" in html


def test_participants_and_staff_without_two_factor_sign_in_with_the_password_alone(client):
    participant = UserFactory(role=Role.PARTICIPANT)
    sign_in(client, participant)
    assert client.get("/").status_code == 200
    assert client.get(SETUP).status_code == 403  # not a participant's page
    assert "Dua langkah" not in client.get("/").content.decode()
    officer = Client()
    sign_in(officer, provider_staff())
    assert officer.get("/").status_code == 200
    assert "Dua langkah" in officer.get("/").content.decode()
