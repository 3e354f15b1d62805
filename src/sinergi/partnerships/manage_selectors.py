"""Reads for the cooperation office's own pages (/kelola/kerja-sama/): stricter than the public
reads in selectors.py. A national admin manages every agreement; a regional admin only those owned by
a region within theirs (a province manages its kab/kota's). Everyone else manages nothing, and any
record outside the scope is a 404."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from sinergi.accounts.models import Organization, Role
from sinergi.accounts.scoping import get_visible_or_404, scope_for
from sinergi.partnerships.models import (
    Agreement,
    AgreementDocument,
    AgreementParty,
    Commitment,
    ManualMeasurement,
    MonevRound,
    ReviewComment,
    StatusChange,
)
from sinergi.regions.models import Region


def can_manage(user) -> bool:
    scope = scope_for(user)
    return scope.is_national or scope.is_regional


def agreements_managed_by(user) -> QuerySet[Agreement]:
    from sinergi.partnerships.selectors import manageable_agreements

    return manageable_agreements(user)


def require_manager(user) -> None:
    if not can_manage(user):
        raise Http404


def search_managed(user, q: str = "") -> QuerySet[Agreement]:
    """Title, number, scope text, party names and the text of attached PDFs."""
    qs = agreements_managed_by(user).prefetch_related("parties__organization")
    q = q.strip()
    if q:
        matching_docs = AgreementDocument.objects.filter(text__icontains=q).values("agreement_id")
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(number__icontains=q)
            | Q(scope__icontains=q)
            | Q(parties__organization__name__icontains=q)
            | Q(pk__in=matching_docs)
        ).distinct()
    return qs


def managed_agreement(user, pk: int) -> Agreement:
    require_manager(user)
    qs = agreements_managed_by(user).prefetch_related(
        Prefetch("parties", queryset=AgreementParty.objects.select_related("organization")),
        Prefetch("commitments", queryset=Commitment.objects.order_by("pk")),
        Prefetch("status_changes", queryset=StatusChange.objects.select_related("changed_by")),
        "responsible_officers",
    )
    return get_visible_or_404(qs, pk=pk)


def managed_document(user, agreement_pk: int, pk: int) -> AgreementDocument:
    agreement = managed_agreement(user, agreement_pk)
    return get_visible_or_404(agreement.documents.all(), pk=pk)


def managed_commitment(user, agreement_pk: int, pk: int) -> Commitment:
    agreement = managed_agreement(user, agreement_pk)
    return get_visible_or_404(agreement.commitments.select_related("agreement"), pk=pk)


def managed_comment(user, agreement: Agreement, pk: int) -> ReviewComment:
    return get_visible_or_404(agreement.review_comments.all(), pk=pk)


def attachments(agreement: Agreement) -> QuerySet[AgreementDocument]:
    return agreement.documents.filter(kind=AgreementDocument.Kind.ATTACHMENT).select_related("uploaded_by")


def unread_documents(agreement: Agreement) -> QuerySet[AgreementDocument]:
    """Documents of any kind whose text is still being read, or whose file the reader refused."""
    return (
        agreement.documents.exclude(text_status=AgreementDocument.TextStatus.READ)
        .select_related("read_job")
        .order_by("-uploaded_at", "-pk")
    )


def comment_threads(agreement: Agreement) -> list[tuple[ReviewComment, int]]:
    """Comments in reading order with their depth: each reply directly under what it answers."""
    comments = list(
        agreement.review_comments.select_related("author", "attachment").order_by("created_at", "pk")
    )
    children: dict[int | None, list[ReviewComment]] = {}
    for comment in comments:
        children.setdefault(comment.parent_id, []).append(comment)
    ordered: list[tuple[ReviewComment, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for comment in children.get(parent_id, []):
            ordered.append((comment, min(depth, 4)))
            walk(comment.pk, depth + 1)

    walk(None, 0)
    return ordered


def monev_rounds(agreement: Agreement) -> QuerySet[MonevRound]:
    return agreement.monev_rounds.select_related("created_by", "evidence")


def measurements(commitment: Commitment) -> QuerySet[ManualMeasurement]:
    return commitment.manual_measurements.select_related("entered_by", "evidence")


# Choices for the agreement form, each limited to what the officer may use.


def party_organizations(user, agreement: Agreement | None = None) -> QuerySet[Organization]:
    """Organisations the officer may name as parties, plus the agreement's current parties (a
    KSDD partner from another region stays selectable when the agreement is edited)."""
    visible = Q(pk__in=Organization.objects.visible_to(user).values("pk"))
    if agreement is not None:
        visible |= Q(pk__in=agreement.parties.values("organization_id"))
    return Organization.objects.filter(visible).select_related("region").order_by("name")


def owner_regions(user) -> QuerySet[Region]:
    levels = (Region.Level.PROVINCE, Region.Level.REGENCY, Region.Level.CITY)
    qs = Region.objects.filter(level__in=levels)
    scope = scope_for(user)
    if scope.is_national:
        return qs
    region = user.work_region if scope.is_regional else None
    return qs.within(region) if region is not None else qs.none()


def parent_candidates(user, agreement: Agreement | None = None) -> QuerySet[Agreement]:
    """MoUs a PKS of this officer may implement: those their scope manages, plus the agreement's current
    parent (kept as it is when the agreement is edited)."""
    from sinergi.partnerships.models import AgreementType
    from sinergi.partnerships.selectors import manageable_agreements

    allowed = Q(pk__in=manageable_agreements(user).values("pk"))
    if agreement is not None and agreement.parent_id:
        allowed |= Q(pk=agreement.parent_id)
    return Agreement.objects.filter(allowed, type=AgreementType.MOU).order_by("title")


def officer_candidates(user) -> QuerySet:
    admins = get_user_model().objects.filter(
        is_active=True, role__in=[Role.REGIONAL_ADMIN, Role.NATIONAL_ADMIN]
    )
    return scope_for(user).users(admins).order_by("first_name", "last_name", "username")


def default_officers(user, region: Region | None) -> list:
    """The creator plus the regional admins of the owning region: who is reminded unless changed."""
    users = get_user_model().objects.filter(is_active=True)
    chosen = [user]
    if region is not None:
        chosen += list(
            users.filter(role=Role.REGIONAL_ADMIN).filter(
                Q(region=region) | Q(region__isnull=True, organization__region=region)
            )
        )
    return list(dict.fromkeys(chosen))
