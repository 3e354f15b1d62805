"""What every integration endpoint shares: pagination, the caller (a key's organisation or a session's
person), rate limits per caller."""

from __future__ import annotations

from typing import Generic, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from ninja import Field, Schema

from sinergi.api.errors import ApiError, field_error
from sinergi.api.models import KeyPrincipal

MAX_PAGE_SIZE = 100
T = TypeVar("T")


class Page(Schema, Generic[T]):
    count: int = Field(description="Jumlah seluruh baris yang cocok.")
    page: int
    page_size: int
    num_pages: int
    next: str | None
    previous: str | None
    results: list[T]


def caller(request: HttpRequest):
    """Whom the selectors scope for: the key's organisation, the signed-in person, or the public."""
    auth = getattr(request, "auth", None)
    if auth is not None:
        return auth
    return request.user if request.user.is_authenticated else None


def _rate_key(group: str, request: HttpRequest) -> str:
    who = caller(request)
    if isinstance(who, KeyPrincipal):
        return f"key:{who.key.pk}"
    if who is not None:
        return f"user:{who.pk}"
    from sinergi.core.http import client_address

    return f"ip:{client_address(request)}"


def _rate(group: str, request: HttpRequest) -> str:
    if caller(request) is None:
        return settings.SINERGI_API_ANONYMOUS_RATE
    return settings.SINERGI_API_ACCOUNT_RATE


def limit_rate(request: HttpRequest) -> None:
    if is_ratelimited(request, group="api:integrations", key=_rate_key, rate=_rate, increment=True):
        raise ApiError(429, _("Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi."))


def paginate(request: HttpRequest, qs: QuerySet, page: int, page_size: int) -> tuple[dict, list]:
    """The page's envelope and its rows. A page past the last does not exist: a 404 naming `page` (the
    first page of an empty list is fine)."""
    paginator = Paginator(qs, page_size)
    if page > max(paginator.num_pages, 1):
        raise field_error(
            "page",
            _("halaman %(page)s tidak ada; jumlah halaman %(n)s.") % {"page": page, "n": paginator.num_pages},
            status=404,
        )
    current = paginator.page(page)

    def link(number: int) -> str:
        params = {k: v for k, v in request.GET.items() if k != "page"}
        params["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{urlencode(params)}")

    envelope = {
        "count": paginator.count,
        "page": page,
        "page_size": page_size,
        "num_pages": paginator.num_pages,
        "next": link(page + 1) if current.has_next() else None,
        "previous": link(page - 1) if current.has_previous() else None,
    }
    return envelope, list(current.object_list)
