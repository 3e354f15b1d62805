"""Who sees what. Every selector that returns records asks the user's Scope.

A national admin sees everything; a regional admin sees their region and everything inside it
(a province sees its kab/kota); provider staff and assessors see their own organisation and its
units; a participant sees only their own records; the public sees open data only. A record
outside the scope is answered with 404, never 403, so its existence is not revealed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from sinergi.regions.models import Region


@dataclass(frozen=True)
class Scope:
    role: str | None  # None: the public (not signed in)
    user_id: int | None = None
    region_code: str | None = None
    organization_id: int | None = None

    @property
    def is_national(self) -> bool:
        return self.role == "national_admin"

    @property
    def is_regional(self) -> bool:
        return self.role == "regional_admin" and self.region_code is not None

    @property
    def is_public(self) -> bool:
        return self.role is None

    def region_q(self, field: str) -> Q:
        """Rows whose `field` (a Region foreign key path) lies within this scope's region."""
        assert self.region_code is not None
        return Q(**{f"{field}__code": self.region_code}) | Q(
            **{f"{field}__code__startswith": self.region_code + "."}
        )

    def covers_region(self, region: Region | None) -> bool:
        if self.is_national:
            return True
        if not self.is_regional or region is None:
            return False
        assert self.region_code is not None
        return region.code == self.region_code or region.code.startswith(self.region_code + ".")

    def organization_ids_q(self, field: str) -> Q:
        assert self.organization_id is not None
        return Q(**{field: self.organization_id}) | Q(**{f"{field}__parent": self.organization_id})

    # Scoping functions per model live beside the model's selectors; these two are the foundation's.
    def organizations(self, qs: QuerySet) -> QuerySet:
        if self.is_national:
            return qs
        if self.is_regional:
            # National bodies (no region) are partners of every region, so they are visible too.
            return qs.filter(self.region_q("region") | Q(region__isnull=True))
        if self.role in ("provider_staff", "assessor") and self.organization_id:
            return qs.filter(Q(pk=self.organization_id) | Q(parent=self.organization_id))
        return qs.none()

    def regions(self, qs: QuerySet) -> QuerySet:
        """Regions an officer acts for: all (national admin), or their own and those inside it."""
        if self.is_national:
            return qs
        if self.is_regional:
            assert self.region_code is not None
            return qs.filter(Q(code=self.region_code) | Q(code__startswith=self.region_code + "."))
        return qs.none()

    def users(self, qs: QuerySet) -> QuerySet:
        if self.is_national:
            return qs
        if self.is_regional:
            return qs.filter(self.region_q("organization__region") | self.region_q("region")).distinct()
        if self.user_id is None:
            return qs.none()
        return qs.filter(pk=self.user_id)


PUBLIC = Scope(role=None)


def scope_for(user) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False):
        return PUBLIC
    if user.is_superuser and user.role != "national_admin":
        return Scope(role="national_admin", user_id=user.pk)
    region = user.work_region
    return Scope(
        role=user.role,
        user_id=user.pk,
        region_code=region.code if region else None,
        organization_id=user.organization_id,
    )


def get_visible_or_404(qs: QuerySet, **lookup):
    """Fetch one record from an already-scoped queryset; anything outside the scope is a 404."""
    try:
        return qs.get(**lookup)
    except qs.model.DoesNotExist as exc:
        raise Http404 from exc
