"""Helpers for tests that call the API with an organisation key."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from tests.factories import national_admin

from sinergi.api import services


def make_key(organization, scopes, *, days: int = 30, by=None):
    """A key of `organization` with `scopes`; returns (ApiKey, the whole secret)."""
    created = services.create_key(
        user=by or national_admin(),
        organization=organization,
        name=f"Kunci uji {organization.name}",
        scopes=list(scopes),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    return created.key, created.secret


def with_key(secret: str, *, bearer: bool = False) -> dict:
    if bearer:
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    return {"HTTP_X_API_KEY": secret}
