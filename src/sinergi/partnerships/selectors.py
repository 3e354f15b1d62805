"""Reads for partnerships. Every query goes through agreements_visible_to(); a view never filters."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from sinergi.accounts.scoping import get_visible_or_404, scope_for
from sinergi.partnerships.models import PUBLIC_STATUSES, Agreement, AgreementParty, Commitment


def agreements_visible_to(user) -> QuerySet[Agreement]:
    """National: all. Regional: agreements owned by a region within theirs, or with a party organisation
    in their region. Everyone (public included) also sees signed agreements (Berlaku, Selesai,
    Diperpanjang, Kedaluwarsa): they are public documents, so a Samarinda admin browsing /kerja-sama/
    sees what an anonymous visitor sees, plus their own region's drafts."""
    scope = scope_for(user)
    qs = Agreement.objects.select_related("region", "parent")
    if scope.is_national:
        return qs
    public = Q(status__in=PUBLIC_STATUSES)
    if scope.is_regional:
        own = Agreement.objects.filter(
            scope.region_q("region") | scope.region_q("parties__organization__region")
        )
        return qs.filter(public | Q(pk__in=own.values("pk")))
    if scope.role == "provider_staff" and scope.organization_id:
        party = Agreement.objects.filter(scope.organization_ids_q("parties__organization"))
        return qs.filter(public | Q(pk__in=party.values("pk")))
    return qs.filter(public)


def agreement_detail(user, pk: int) -> Agreement:
    qs = agreements_visible_to(user).prefetch_related(
        Prefetch("parties", queryset=AgreementParty.objects.select_related("organization")),
        Prefetch("commitments", queryset=Commitment.objects.order_by("pk")),
        "children",
        "status_changes",
    )
    return get_visible_or_404(qs, pk=pk)
