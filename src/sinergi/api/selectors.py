"""Reads of the API app: which keys an admin may see and manage, and which organisations they may give
a key to. A national admin: all. A regional admin: the organisations of their region and of the kab/kota
within it (not the national bodies, which other regions share)."""

from __future__ import annotations

from django.db.models import QuerySet

from sinergi.accounts.models import Organization
from sinergi.accounts.scoping import get_visible_or_404, scope_for
from sinergi.api.models import ApiKey, ApiKeyUse


def key_organizations_for(user) -> QuerySet[Organization]:
    scope = scope_for(user)
    qs = Organization.objects.select_related("region").order_by("name")
    if scope.is_national:
        return qs
    if scope.is_regional:
        return qs.filter(scope.region_q("region"))
    return qs.none()


def keys_visible_to(user) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(organization__in=key_organizations_for(user)).select_related(
        "organization__region", "created_by", "revoked_by"
    )


def key_for(user, pk: int) -> ApiKey:
    return get_visible_or_404(keys_visible_to(user), pk=pk)


def recent_uses(key: ApiKey, limit: int = 100) -> list[ApiKeyUse]:
    return list(key.uses.all()[:limit])
