"""The whole verification page of a certificate, kept for the anonymous visitors who scan its QR code.

On results day or at a job fair one certificate's link is opened many times, by people who are not
signed in. Rendering the page costs the full middleware stack, the database and the template; most of
that is the same for everyone. The finished page is kept per number and language, together with a
digest of the check code: only a visitor who brings the right code is served from it, so the cache
answers nothing that the rate-limited page would not. A wrong code always goes to the view.

What differs per visitor is the CSRF token in the page's forms: the page is stored with a placeholder
that is replaced by the visitor's own token, and the cookie set to match, exactly as Django's CSRF
middleware would. Any save of the credential (revocation, correction) drops its pages at once; everything else
a verification depends on (the validity period, the issuer's published key) is bounded by the time a
page is kept and by the validity dates themselves.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils import timezone

from sinergi.credentials.models import normalize_check_code
from sinergi.credentials.urls_converters import CertificateNumberConverter

KEEP_SECONDS = 300
# Not a token Django can produce (tokens are alphanumeric), so it cannot clash with page content.
CSRF_PLACEHOLDER = "__sinergi-csrf-token__"
_PATH = re.compile(rf"/verify/(?P<number>{CertificateNumberConverter.regex})")
# Headers of the first response that belong to it alone; every other header (content type, language,
# Vary, the security policy) is kept for every copy of the page.
_OWN_HEADERS = {"set-cookie", "content-length", "date"}
_REQUEST_FLAG = "_sinergi_verify_page"


@dataclass
class _Entry:
    check_digest: str
    status: int
    headers: list[tuple[str, str]]
    html: str


def _key(number: str, language: str) -> str:
    return f"verify-page:v1:{language}:{hashlib.sha256(number.encode()).hexdigest()}"


def _check_digest(number: str, code: str) -> str:
    return hashlib.sha256(f"{number}\n{normalize_check_code(code)}".encode()).hexdigest()


def _anonymous_visit(request: HttpRequest) -> str | None:
    """The certificate number when the request is a plain visit any anonymous person could make: a GET
    with a check code and no session (a signed-in header, pending messages) that would change the page."""
    if request.method != "GET" or not request.GET.get("kode"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return None
    match = _PATH.fullmatch(request.path_info)
    return match["number"] if match else None


def _language(request: HttpRequest) -> str:
    """The language the locale middleware will choose: Accept-Language is ignored (core.middleware), so
    it is the language cookie when it names one the site has, Indonesian otherwise."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def offer(request: HttpRequest, *, status: int, valid_from: str, valid_until: str) -> dict:
    """Called by the view for a verification of a real certificate with its right code: the template
    context to render with, and the page is stored on its way out when the visit qualifies."""
    if not getattr(request, _REQUEST_FLAG, None):
        return {}
    seconds = _seconds_to_keep(valid_from, valid_until)
    if seconds <= 0:
        return {}
    setattr(request, _REQUEST_FLAG, (getattr(request, _REQUEST_FLAG), status, seconds))
    return {"csrf_token": CSRF_PLACEHOLDER}


def _seconds_to_keep(valid_from: str, valid_until: str) -> int:
    """Until the next moment the verdict could change by itself (the period starting or ending)."""
    now = timezone.now()
    seconds = KEEP_SECONDS
    for text in (valid_from, valid_until):
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
        except ValueError:
            return 0
        if moment is not None and moment.tzinfo is not None and moment > now:
            seconds = min(seconds, int((moment - now).total_seconds()))
    return seconds


def forget(number: str) -> None:
    cache.delete_many([_key(number, code) for code, _name in settings.LANGUAGES])


def _with_token(request: HttpRequest, html: str) -> str:
    return html.replace(CSRF_PLACEHOLDER, get_token(request)) if CSRF_PLACEHOLDER in html else html


class VerificationPageCacheMiddleware:
    """Placed right after the static files, before everything else: a page served from here costs one
    cache read. Only the security middleware in front of it still runs."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        number = _anonymous_visit(request)
        if number is None:
            return self.get_response(request)
        digest = _check_digest(number, request.GET["kode"])
        key = _key(number, _language(request))
        entry = cache.get(key)
        if isinstance(entry, _Entry) and hmac.compare_digest(entry.check_digest, digest):
            self.csrf.process_request(request)  # reads the visitor's CSRF cookie, if any
            response = HttpResponse(_with_token(request, entry.html), status=entry.status)
            for name, value in entry.headers:
                response[name] = value
            response["Content-Length"] = str(len(response.content))
            return self.csrf.process_response(request, response)
        setattr(request, _REQUEST_FLAG, digest)
        response = self.get_response(request)
        offered = getattr(request, _REQUEST_FLAG, None)
        if isinstance(offered, tuple) and not response.streaming and response.status_code == offered[1]:
            _digest, status, seconds = offered
            html = response.content.decode(response.charset or "utf-8")
            headers = [(name, value) for name, value in response.items() if name.lower() not in _OWN_HEADERS]
            cache.set(key, _Entry(digest, status, headers, html), seconds)
            response.content = _with_token(request, html).encode(response.charset or "utf-8")
            response["Content-Length"] = str(len(response.content))  # the token differs in length
            response = self.csrf.process_response(request, response)
        return response
