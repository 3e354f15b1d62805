"""Request helpers shared by every app: who the client really is, and which responses hold personal data."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.views.decorators.cache import never_cache


def client_address(request: HttpRequest) -> str:
    """The address the request came from, as seen by the outermost of our own reverse proxies.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For, so with
    N proxies the N-th entry from the right is the client; everything left of it was written by the
    client and may be forged. With no trusted proxy (the default) the header is ignored. Rate limits
    (django-ratelimit) and login lockouts (django-axes) both count by this address.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.SINERGI_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:  # the request did not pass through every proxy: only the peer is known
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # a proxy that writes something other than an address is misconfigured
        return remote


def personal_data(view):
    """Mark a view whose response shows or carries personal data: no browser or shared cache keeps it
    (`Cache-Control: no-store`, plus Django's other never-cache headers)."""
    return never_cache(view)
