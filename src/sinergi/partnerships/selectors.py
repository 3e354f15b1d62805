"""Reads for partnerships. Every query goes through agreements_visible_to(); a view never filters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Organization
from sinergi.accounts.scoping import get_visible_or_404, scope_for
from sinergi.core.validators import control_character_problem, strip_control_characters
from sinergi.partnerships.metrics import (
    STATUS_LABELS,
    Progress,
    Rollup,
    progress_for_commitments,
    rollup,
)
from sinergi.partnerships.models import (
    PUBLIC_STATUSES,
    Agreement,
    AgreementParty,
    AgreementType,
    Commitment,
    Status,
    Topic,
)
from sinergi.regions.models import Region


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


def manageable_agreements(user) -> QuerySet[Agreement]:
    """Agreements the user's scope may manage: a national admin all, a regional admin those owned by
    a region within theirs, anyone else none. Seeing an agreement (a signed one is public) is not
    enough to manage it, nor to link a record to it: a programme counted by another region's agreement,
    or a PKS rolled up into another region's MoU, would raise that region's figures behind its back."""
    scope = scope_for(user)
    qs = Agreement.objects.select_related("region", "parent")
    if scope.is_national:
        return qs
    if scope.is_regional:
        return qs.filter(scope.region_q("region"))
    return qs.none()


def link_refused(agreement_id: object) -> str:
    """One message for an agreement that does not exist and one the officer may not manage, so a
    refused link reveals nothing of other regions' drafts."""
    return _("Kerja sama dengan id %(id)s tidak dikenal atau tidak dikelola wilayah Anda.") % {
        "id": agreement_id
    }


def refused_links(user, agreements, *, already_linked=()) -> list[Agreement]:
    """Of `agreements`, those `user` may not link a record to: neither manageable by them nor among the
    record's links `already_linked` (a link made before stays as it is; only new ones are checked).
    No user: a trusted caller (demo data, a management command), which may link any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    kept = {getattr(a, "pk", a) for a in already_linked}
    new = [a for a in agreements if a is not None and a.pk not in kept]
    if not new:
        return []
    allowed = set(manageable_agreements(user).filter(pk__in=[a.pk for a in new]).values_list("pk", flat=True))
    return [a for a in new if a.pk not in allowed]


def agreement_detail(user, pk: int) -> Agreement:
    qs = agreements_visible_to(user).prefetch_related(
        Prefetch("parties", queryset=AgreementParty.objects.select_related("organization")),
        Prefetch("commitments", queryset=Commitment.objects.order_by("pk")),
        "children",
        "status_changes",
    )
    return get_visible_or_404(qs, pk=pk)


# --- Lists: search, filters, sorting (shared by the HTML lists, the exports and the JSON API) ---

EXPIRING_WITHIN_DAYS = 90
# Sort keys as they appear in URLs and the API; "-" means descending.
SORTS: dict[str, Promise] = {
    "end_date": _("Berakhir paling dekat"),
    "-end_date": _("Berakhir paling lama"),
    "-signed_date": _("Ditandatangani terbaru"),
    "signed_date": _("Ditandatangani terlama"),
    "title": _("Judul A–Z"),
    "-progress": _("Kemajuan tertinggi"),
    "progress": _("Kemajuan terendah"),
}
DEFAULT_SORT = "-signed_date"


@dataclass(frozen=True)
class AgreementFilters:
    """What a person asked the list for. Values are already checked: an unknown code never gets here."""

    q: str = ""
    region: Region | None = None
    partner: Organization | None = None
    type: str = ""
    status: str = ""
    topic: str = ""
    expiring_soon: bool = False
    sort: str = DEFAULT_SORT

    @property
    def active(self) -> bool:
        chosen = (self.q, self.region, self.partner, self.type, self.status, self.topic, self.expiring_soon)
        return any(chosen)


class FilterError(ValueError):
    """A filter value that names nothing; `field` is the parameter, the message is Indonesian."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def parse_agreement_filters(
    *,
    q: str = "",
    region: str = "",
    partner: str | int | None = "",
    type: str = "",  # noqa: A002 - the domain word
    status: str = "",
    topic: str = "",
    expiring_soon: bool | str = False,
    sort: str = "",
    strict: bool = False,
) -> AgreementFilters:
    """Turn raw parameters into filters. A browser list ignores a value it does not know (a stale
    bookmark still shows a list); the API is `strict` and answers with a FilterError naming the field."""

    def reject(field: str, message: str) -> None:
        if strict:
            raise FilterError(field, message)

    # A NUL in a query string would reach PostgreSQL (an error page); other controls match nothing.
    q, region = q or "", region or ""
    for field, value in (("q", q), ("region", region)):
        if problem := control_character_problem(value):
            reject(field, problem)
    q, region = strip_control_characters(q), strip_control_characters(region)
    region_obj = None
    region = region.strip()
    if region:
        region_obj = Region.objects.filter(code=region).exclude(level=Region.Level.DISTRICT).first()
        if region_obj is None:
            reject("region", _("Kode wilayah '%(code)s' tidak dikenal.") % {"code": region})
    partner_obj = None
    if partner not in (None, ""):
        try:
            partner_obj = Organization.objects.filter(pk=int(partner)).first()
        except (TypeError, ValueError):
            partner_obj = None
        if partner_obj is None:
            reject("partner", _("Organisasi mitra dengan id '%(id)s' tidak dikenal.") % {"id": partner})
    checked: dict[str, str] = {}
    for field, value, allowed in (
        ("type", type, AgreementType.values),
        ("status", status, Status.values),
        ("topic", topic, Topic.values),
        ("sort", sort, list(SORTS)),
    ):
        value = (value or "").strip()
        if value and value not in allowed:
            reject(
                field,
                _("Nilai '%(value)s' tidak dikenal; pilihan: %(choices)s.")
                % {"value": value, "choices": ", ".join(allowed)},
            )
            value = ""
        checked[field] = value
    if isinstance(expiring_soon, str):
        expiring_soon = expiring_soon.strip().lower() in ("1", "true", "ya", "on")
    return AgreementFilters(
        q=q.strip()[:100],
        region=region_obj,
        partner=partner_obj,
        type=checked["type"],
        status=checked["status"],
        topic=checked["topic"],
        expiring_soon=bool(expiring_soon),
        sort=checked["sort"] or DEFAULT_SORT,
    )


def _within(region: Region, field: str) -> Q:
    return Q(**{f"{field}__code": region.code}) | Q(**{f"{field}__code__startswith": region.code + "."})


def filter_agreements(qs: QuerySet[Agreement], filters: AgreementFilters, today: date) -> QuerySet[Agreement]:
    """Narrow an already-scoped queryset. Conditions that reach through parties are answered by a
    subquery on primary keys, so an agreement with two matching parties is listed once."""
    if filters.q:
        term = filters.q
        matching = Agreement.objects.filter(
            Q(title__icontains=term)
            | Q(number__icontains=term)
            | Q(parties__party_number__icontains=term)
            | Q(parties__organization__name__icontains=term)
            | Q(parties__organization__short_name__icontains=term)
            | Q(parties__organization__aliases__icontains=term)
        )
        qs = qs.filter(pk__in=matching.values("pk"))
    if filters.region is not None:
        # The region's own agreements and those of its kab/kota, whether the region owns the record
        # or one of its governments or institutions is a party.
        within = Agreement.objects.filter(
            _within(filters.region, "region") | _within(filters.region, "parties__organization__region")
        )
        qs = qs.filter(pk__in=within.values("pk"))
    if filters.partner is not None:
        # A ministry as partner includes its agencies (Kominfo → Balitbang SDM).
        with_partner = Agreement.objects.filter(
            Q(parties__organization=filters.partner) | Q(parties__organization__parent=filters.partner)
        )
        qs = qs.filter(pk__in=with_partner.values("pk"))
    if filters.type:
        qs = qs.filter(type=filters.type)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.topic:
        # Topics are a JSON list of codes; matching the quoted code in its text works on SQLite and
        # PostgreSQL alike (SQLite has no JSON containment lookup).
        qs = qs.filter(topics__icontains=f'"{filters.topic}"')
    if filters.expiring_soon:
        qs = qs.filter(
            status__in=(Status.BERLAKU, Status.DIPERPANJANG),
            end_date__gte=today,
            end_date__lte=today + timedelta(days=EXPIRING_WITHIN_DAYS),
        )
    return _order(qs, filters.sort)


def _order(qs: QuerySet[Agreement], sort: str) -> QuerySet[Agreement]:
    if sort == "end_date":
        return qs.order_by("end_date", "title", "pk")
    if sort == "-end_date":
        return qs.order_by("-end_date", "title", "pk")
    if sort == "signed_date":
        return qs.order_by(F("signed_date").asc(nulls_last=True), "title", "pk")
    if sort == "title":
        return qs.order_by(Lower("title"), "pk")
    # Newest signed first; drafts (no signing date) after, newest start first. Progress sorts keep
    # this order as the tie-breaker.
    return qs.order_by(F("signed_date").desc(nulls_last=True), "-start_date", "pk")


def with_parties_and_commitments(qs: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """Everything a list row, an export row or an API item shows, fetched in a fixed number of queries."""
    return qs.select_related("region", "region__parent", "parent").prefetch_related(
        Prefetch(
            "parties",
            queryset=AgreementParty.objects.select_related("organization", "organization__region").order_by(
                "pk"
            ),
        ),
        Prefetch("commitments", queryset=Commitment.objects.order_by("pk")),
        Prefetch("children", queryset=Agreement.objects.prefetch_related("commitments").order_by("pk")),
    )


@dataclass
class AgreementRow:
    """An agreement with its computed progress, as lists, exports and the API show it."""

    agreement: Agreement
    rollup: Rollup
    commitments: list[tuple[Commitment, Progress]]
    days_left: int = 0  # until the end date; negative once it has passed

    @property
    def has_progress(self) -> bool:
        return self.rollup.status is not None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.rollup.status] if self.rollup.status else ""

    @property
    def expiring_soon(self) -> bool:
        in_force = self.agreement.status in (Status.BERLAKU, Status.DIPERPANJANG)
        return in_force and 0 <= self.days_left <= EXPIRING_WITHIN_DAYS


def agreement_rows(agreements: Sequence[Agreement] | QuerySet[Agreement], today: date) -> list[AgreementRow]:
    """Rows for many agreements; every commitment (PKS children's too) is measured in one batch, so
    with with_parties_and_commitments() the query count does not grow with the number of agreements."""
    agreements = list(agreements)
    own = {a.pk: list(a.commitments.all()) for a in agreements}
    of_children = {
        a.pk: [c for child in a.children.all() for c in child.commitments.all()] for a in agreements
    }
    progress = progress_for_commitments([c for a in agreements for c in own[a.pk] + of_children[a.pk]], today)
    rows = []
    for agreement in agreements:
        commitments = [(c, progress[c.pk]) for c in own[agreement.pk]]
        parts = [(c.weight, p) for c, p in commitments]
        parts += [(c.weight, progress[c.pk]) for c in of_children[agreement.pk]]
        rows.append(AgreementRow(agreement, rollup(parts), commitments, (agreement.end_date - today).days))
    return rows


def sort_rows_by_progress(rows: list[AgreementRow], sort: str) -> list[AgreementRow]:
    """Progress is computed, not stored, so a progress sort happens here. Agreements with nothing to
    measure go last either way."""
    if sort not in ("progress", "-progress"):
        return rows
    measured = [r for r in rows if r.has_progress]
    unmeasured = [r for r in rows if not r.has_progress]
    measured.sort(key=lambda r: r.rollup.percent, reverse=sort == "-progress")
    return measured + unmeasured


def public_agreements() -> QuerySet[Agreement]:
    """What the public list shows to everyone, signed in or not: signed agreements only."""
    return agreements_visible_to(None)


def partner_choices(qs: QuerySet[Agreement]) -> QuerySet[Organization]:
    """Organisations that are a party to at least one agreement of `qs` (the list's partner filter)."""
    return (
        Organization.objects.filter(agreement_parties__agreement__in=qs.values("pk"))
        .distinct()
        .order_by("name")
    )


def region_choices(qs: QuerySet[Agreement]) -> list[Region]:
    """Regions (and their provinces) that own an agreement of `qs` or have a party in one."""
    codes = set(qs.exclude(region=None).values_list("region__code", flat=True))
    codes |= set(
        AgreementParty.objects.filter(agreement__in=qs.values("pk"))
        .exclude(organization__region=None)
        .values_list("organization__region__code", flat=True)
    )
    with_provinces = codes | {c.split(".")[0] for c in codes}
    return list(Region.objects.filter(code__in=with_provinces).exclude(level=Region.Level.DISTRICT))


def region_for_page(code: str) -> Region:
    """A province or kab/kota by its Kemendagri code, for its public page; anything else is a 404."""
    return get_visible_or_404(
        Region.objects.select_related("parent").exclude(level=Region.Level.DISTRICT), code=code
    )


def can_manage_agreement(user, agreement: Agreement) -> bool:
    """May `user` change this agreement (API write, import)? A national admin any; a regional admin
    those owned by a region within theirs. Seeing an agreement (a signed one is public) is not enough."""
    scope = scope_for(user)
    if scope.is_national:
        return True
    return scope.is_regional and scope.covers_region(agreement.region)


def can_create_agreement_in(user, region: Region | None) -> bool:
    scope = scope_for(user)
    if scope.is_national:
        return True
    if not scope.is_regional:
        return False
    # No region given: the service takes the officer's own work region.
    return region is None or scope.covers_region(region)
