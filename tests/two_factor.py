"""Helpers for tests of staff accounts and their second sign-in step (core/two_factor.py)."""

from __future__ import annotations

import base64

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.core import two_factor


def complete_second_step(client, user) -> None:
    """Mark a test client's session as past the second step, as `force_login` stands for a finished
    sign-in: with the account's own device, or for a national admin (who must have one) a device made
    for the test. Tests of the step itself sign in through the login page instead."""
    if not two_factor.applies_to(user):
        return
    device = two_factor.active_device(user)
    if device is None:
        if not two_factor.is_required(user):
            return
        device = TOTPDevice.objects.create(user=user, name="tes", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def current_code(device: TOTPDevice) -> str:
    """The 6 digits the authenticator app shows now. The device refuses a code it has already accepted
    (replay); forgetting the last one accepted stands for the next 30-second window."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def code_from_secret(secret_base32: str) -> str:
    return f"{TOTP(base64.b32decode(secret_base32)).token():06d}"


def enable_two_factor(user) -> tuple[TOTPDevice, list[str]]:
    """Two-factor switched on for `user` as the setup page does it; returns the device and the codes."""
    device = two_factor.pending_device(user)
    return two_factor.confirm_setup(user=user, code=current_code(device))
