"""Two-factor sign-in for staff: a TOTP code from an authenticator app (django-otp's TOTP device), or
one of ten single-use recovery codes (core.models.RecoveryCodeDevice), after the password.

Optional for every staff role, required for national admins (SINERGI_REQUIRE_2FA_NATIONAL): their
account opens every region's personal data. Participants are never asked. A session is verified
when django-otp's OTPMiddleware finds the device that verified it; until then TwoFactorMiddleware
(core/middleware.py) lets the account reach only the step it owes: the code page, or for a national
admin without a device the setup page. Every setup, switch-off, new set of recovery codes and use of a
recovery code is an entry in the audit trail.
"""

from __future__ import annotations

import base64
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.core.audit import record_action
from sinergi.core.models import RecoveryCode, RecoveryCodeDevice, recovery_code_hash

STAFF_ROLES = ("national_admin", "regional_admin", "provider_staff", "assessor")
RECOVERY_CODE_COUNT = 10
# The step an account still owes before its session may do anything else.
VERIFY = "verify"
SETUP = "setup"
DEVICE_NAME = gettext_lazy("Aplikasi autentikator")
FIELD = "kode"


def applies_to(user) -> bool:
    """Staff accounts (a superuser counts as a national admin); participants and the public never."""
    return bool(getattr(user, "is_authenticated", False)) and (user.is_superuser or user.role in STAFF_ROLES)


def is_required(user) -> bool:
    return (
        settings.SINERGI_REQUIRE_2FA_NATIONAL
        and applies_to(user)
        and (user.is_superuser or user.role == "national_admin")
    )


def is_verified(user) -> bool:
    """Whether this request's session passed the second step (set by django-otp's middleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def active_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def owed_step(user) -> str | None:
    """VERIFY, SETUP or None. For a verified session or a participant it costs no query."""
    if not applies_to(user) or is_verified(user):
        return None
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return VERIFY
    return SETUP if is_required(user) else None


def remaining_recovery_codes(user) -> int:
    return RecoveryCode.objects.filter(device__user=user).count()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device of a setup under way: the same secret until it is confirmed, so that a
    page reload does not invalidate the QR code already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=str(DEVICE_NAME), confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _new_recovery_code() -> str:
    # 10 random bytes = 80 bits = 16 base32 characters, shown in four groups.
    raw = base64.b32encode(secrets.token_bytes(10)).decode().lower()
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def _issue_recovery_codes(user) -> list[str]:
    """Replace the account's recovery codes. The device itself is kept, so a session that was verified
    with a recovery code stays verified."""
    device, _created = RecoveryCodeDevice.objects.get_or_create(
        user=user, defaults={"name": str(_("Kode pemulihan")), "confirmed": True}
    )
    device.codes.all().delete()
    codes = [_new_recovery_code() for _i in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, code_hash=recovery_code_hash(c)) for c in codes
    )
    return codes


def _refused(message: str) -> ValidationError:
    return ValidationError({FIELD: message})


def _throttled(device: Device) -> ValidationError | None:
    allowed, detail = device.verify_is_allowed()
    if allowed:
        return None
    wait = ""
    if detail and detail.get("locked_until"):
        seconds = max(1, int((detail["locked_until"] - timezone.now()).total_seconds()) + 1)
        wait = _(" Coba lagi dalam %(detik)s detik.") % {"detik": seconds}
    return _refused(_("terlalu banyak kode salah berturut-turut.") + wait)


def _looks_like_totp(code: str) -> bool:
    return code.isdigit() and len(code) == 6


def check_code(*, user, code: str, purpose: str) -> Device:
    """The device that accepts `code`: a 6-digit code goes to the authenticator app, anything else is
    tried as a recovery code (which is then used up and audited with `purpose`). Raises a
    ValidationError on `kode`. Not inside a transaction of the caller's: a wrong code must count
    towards django-otp's back-off even when the caller's action is refused."""
    code = "".join((code or "").split())
    if not code:
        raise _refused(_("isi kode dari aplikasi autentikator atau salah satu kode pemulihan."))
    if _looks_like_totp(code):
        device: Device | None = active_device(user)
    else:
        device = RecoveryCodeDevice.objects.filter(user=user).first()
    if device is None:
        raise _refused(_("kode tidak cocok. Masukkan 6 angka yang sedang tampil di aplikasi autentikator."))
    refusal = _throttled(device)
    if refusal is not None:
        raise refusal
    if not device.verify_token(code):
        raise _refused(
            _(
                "kode tidak cocok. Masukkan 6 angka yang sedang tampil di aplikasi autentikator "
                "(kode berganti tiap 30 detik), atau salah satu kode pemulihan."
            )
        )
    if isinstance(device, RecoveryCodeDevice):
        left = device.codes.count()
        record_action(
            actor=user,
            target=user,
            operation=_("kode pemulihan dipakai"),
            changes={_("kode pemulihan tersisa"): (left + 1, left)},
            reason=purpose,
        )
    return device


def confirm_setup(*, user, code: str) -> tuple[TOTPDevice, list[str]]:
    """Switch two-factor on with the first code the app shows; returns the device and the recovery
    codes, which are shown once and never again (only their hashes are kept)."""
    if active_device(user) is not None:
        raise _refused(_("verifikasi dua langkah sudah aktif untuk akun ini."))
    device = pending_device(user)
    code = "".join((code or "").split())
    if not _looks_like_totp(code):
        raise _refused(_("masukkan 6 angka yang tampil di aplikasi autentikator setelah memindai kode QR."))
    refusal = _throttled(device)
    if refusal is not None:
        raise refusal
    if not device.verify_token(code):
        raise _refused(
            _(
                "kode tidak cocok dengan rahasia ini. Pastikan jam ponsel tepat, lalu masukkan 6 angka "
                "yang sedang tampil di aplikasi autentikator."
            )
        )
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = _issue_recovery_codes(user)
        record_action(
            actor=user,
            target=user,
            operation=_("verifikasi dua langkah diaktifkan"),
            changes={_("verifikasi dua langkah"): (_("mati"), _("aktif"))},
        )
    return device, codes


def regenerate_recovery_codes(*, user, code: str) -> list[str]:
    """New recovery codes for a lost or used-up set; the old ones stop working at once."""
    if active_device(user) is None:
        raise _refused(_("verifikasi dua langkah belum aktif untuk akun ini."))
    check_code(user=user, code=code, purpose=_("membuat kode pemulihan baru"))
    with transaction.atomic():
        codes = _issue_recovery_codes(user)
        record_action(
            actor=user,
            target=user,
            operation=_("kode pemulihan dibuat ulang"),
            changes={_("kode pemulihan tersisa"): ("", len(codes))},
        )
    return codes


def disable(*, user, code: str) -> None:
    """Switch two-factor off (with a current code, so a borrowed session cannot). Not for the accounts
    that must have it."""
    if is_required(user):
        raise _refused(_("verifikasi dua langkah wajib untuk admin nasional dan tidak dapat dimatikan."))
    if active_device(user) is None:
        raise _refused(_("verifikasi dua langkah belum aktif untuk akun ini."))
    check_code(user=user, code=code, purpose=_("mematikan verifikasi dua langkah"))
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCodeDevice.objects.filter(user=user).delete()
        record_action(
            actor=user,
            target=user,
            operation=_("verifikasi dua langkah dimatikan"),
            changes={_("verifikasi dua langkah"): (_("aktif"), _("mati"))},
        )
