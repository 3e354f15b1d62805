"""Who calls the API: an organisation's key (header `X-API-Key: <key>` or `Authorization: Bearer
<key>`), or a signed-in session (with CSRF on writes). Each operation names the resource and access it
needs; a key without that scope is refused with 403, a missing or bad key with 401.

The key never becomes request.user: it is request.auth of the API operation only, so every HTML page
(role_required, login_required) sees an anonymous visitor whatever headers are sent. The key found is
left on the request for ApiKeyUseMiddleware, which logs the use with the status it was answered."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from sinergi.api import services
from sinergi.api.errors import ApiError
from sinergi.api.models import KeyPrincipal

KEY_HEADER = "X-API-Key"


def _principal_of(request: HttpRequest, raw: str | None, resource: str, access: str) -> KeyPrincipal | None:
    if raw is None:
        return None  # no key presented: the session may answer
    # An empty key is a wrong key (401), never a fall-back to the session sent with it.
    key = services.find_key(raw.strip())
    if key is None:
        raise ApiError(401, _("Kunci API tidak dikenal."))
    request.api_key = key  # type: ignore[attr-defined]
    if key.revoked_at is not None:
        raise ApiError(401, _("Kunci API ini telah dicabut."))
    if key.expires_at <= timezone.now():
        raise ApiError(401, _("Kunci API ini telah kedaluwarsa."))
    if not key.allows(resource, access):
        raise ApiError(
            403,
            _("Kunci API ini tidak mempunyai cakupan %(scope)s.") % {"scope": f"{resource}:{access}"},
        )
    return key.principal()


class KeyHeader(APIKeyHeader):
    """X-API-Key: sng_<awalan>_<rahasia>"""

    param_name = KEY_HEADER
    openapi_description = (
        "Kunci API organisasi (sng_<awalan>_<rahasia>), dibuat admin di /integrasi/kunci-api/."
    )

    def __init__(self, resource: str, access: str):
        self.resource, self.access = resource, access
        super().__init__()

    def authenticate(self, request: HttpRequest, key: str | None):
        return _principal_of(request, key, self.resource, self.access)


class KeyBearer(HttpBearer):
    """Authorization: Bearer sng_<awalan>_<rahasia>"""

    openapi_bearerFormat = "sng_<awalan>_<rahasia>"  # noqa: N815 - the OpenAPI field's own name
    openapi_description = "Kunci API organisasi yang sama, sebagai token Bearer."

    def __init__(self, resource: str, access: str):
        self.resource, self.access = resource, access
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str):
        return _principal_of(request, token, self.resource, self.access)


class Session(SessionAuth):
    """A signed-in person; their own scope applies. Writes need the CSRF token (X-CSRFToken)."""

    openapi_description = "Sesi login Sinergi (cookie); tulis dengan header X-CSRFToken."

    def __init__(self, roles: tuple[str, ...] | None = None):
        self.roles = roles
        super().__init__()

    def authenticate(self, request: HttpRequest, key: str | None):
        from sinergi.accounts.scoping import scope_for

        if KEY_HEADER in request.headers or "Authorization" in request.headers:
            return None  # a request that presents a key is judged by the key alone
        user = super().authenticate(request, key)
        if user is not None and self.roles is not None and scope_for(user).role not in self.roles:
            raise ApiError(403, _("Peran Anda tidak dapat memakai titik akhir ini."))
        return user


def key_or_session(resource: str, access: str = "read", session_roles: tuple[str, ...] | None = None):
    """The auth of an operation: a key with scope `resource:access`, else a session."""
    return [KeyHeader(resource, access), KeyBearer(resource, access), Session(session_roles)]
