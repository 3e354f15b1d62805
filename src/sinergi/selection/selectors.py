"""Reads for seat allocation. Every record is reached through a scoping function of this module."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from sinergi.accounts.scoping import get_visible_or_404, scope_for
from sinergi.programs.models import DISABILITY, Batch, Category, Level
from sinergi.programs.selectors import batches_visible_to
from sinergi.regions.models import Region
from sinergi.registration.models import Application
from sinergi.selection.models import AllocationRun, Offer, OfferStatus, RunEntry, RunStatus


def batches_for_allocation(user) -> QuerySet[Batch]:
    """Batches whose seats this user allocates: all for a national admin, their region's for a regional
    admin, none for anyone else."""
    scope = scope_for(user)
    qs = Batch.objects.select_related("region", "organizer")
    if scope.is_national:
        return qs
    if scope.is_regional:
        return qs.filter(scope.region_q("region"))
    return qs.none()


def batch_for_allocation(user, pk: int) -> Batch:
    return get_visible_or_404(batches_for_allocation(user), pk=pk)


def public_runs(user, batch_pk: int) -> tuple[Batch, QuerySet[AllocationRun]]:
    """The transparency page of an announced batch: hashes, seeds and times of its runs, for anyone.
    Nothing personal is on it, so the public sees exactly what an admin sees there."""
    batch = get_visible_or_404(batches_visible_to(user), pk=batch_pk)
    runs = AllocationRun.objects.filter(batch=batch).exclude(status=RunStatus.CANCELLED).order_by("number")
    return batch, runs.only(
        "batch_id",
        "number",
        "kind",
        "reason",
        "status",
        "input_sha256",
        "created_at",
        "seed",
        "seed_drawn_at",
        "computed_at",
        "published_at",
    )


def runs_visible_to(user) -> QuerySet[AllocationRun]:
    return AllocationRun.objects.filter(batch__in=batches_for_allocation(user)).select_related(
        "batch", "created_by", "seed_drawn_by", "computed_by", "published_by", "cancelled_by"
    )


def run_detail(user, pk: int) -> AllocationRun:
    return get_visible_or_404(runs_visible_to(user), pk=pk)


def offers_visible_to(user) -> QuerySet[Offer]:
    """Admins: offers of their batches. Participants: their own. Nobody else."""
    scope = scope_for(user)
    qs = Offer.objects.select_related("training_class__program", "batch", "run", "entry")
    if scope.is_national or scope.is_regional:
        return qs.filter(batch__in=batches_for_allocation(user))
    if scope.role == "participant" and scope.user_id is not None:
        return qs.filter(participant__user_id=scope.user_id)
    return qs.none()


def own_offer(user, pk: int) -> Offer:
    scope = scope_for(user)
    qs = (
        offers_visible_to(user).filter(participant__user_id=scope.user_id)
        if scope.user_id
        else Offer.objects.none()
    )
    return get_visible_or_404(qs, pk=pk)


def offer_counts(batch: Batch) -> dict[str, int]:
    counts = dict(
        Offer.objects.filter(batch=batch)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in OfferStatus.values}


# --------------------------------------------------------------------------------------------------
# Review statistics


@dataclass
class Tally:
    label: str
    seats: int = 0  # seats (classes, levels) or applicants (categories, regions)
    filled: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def percent(self) -> float:
        return round(100 * self.filled / self.seats, 1) if self.seats else 0.0

    @property
    def open(self) -> int:
        return max(self.seats - self.filled, 0)


@dataclass
class RunStatistics:
    applicants: int
    assigned: int
    kept: int
    seats: int
    classes: list[Tally]
    categories: list[Tally]
    regions: list[Tally]
    levels: list[Tally]
    unassigned: list[RunEntry]
    unassigned_total: int

    @property
    def unfilled(self) -> int:
        return max(self.seats - self.assigned - self.kept, 0)

    @property
    def fill_percent(self) -> float:
        return round(100 * (self.assigned + self.kept) / self.seats, 1) if self.seats else 0.0


UNASSIGNED_SHOWN = 50


def category_label(code: str) -> str:
    if code == DISABILITY:
        return str(_("Penyandang disabilitas"))
    return str(dict(Category.choices).get(code, code))


def run_statistics(run: AllocationRun) -> RunStatistics:
    """Fill rates of a computed run per class, applicant category, region of domicile and level.
    Classes and levels count seats; categories and regions count applicants who got one."""
    classes = {c["id"]: c for c in run.engine_input.get("classes", [])}
    facts = run.class_facts
    entries = list(
        run.entries.values_list(
            "code", "kept", "assigned_class_id", "seat_kind", "categories", "region_code", "score"
        )
    )
    pk_to_code = {f["pk"]: code for code, f in facts.items()}
    filled: Counter[str] = Counter()
    reserved_filled: Counter[tuple[str, str]] = Counter()
    cat_total: Counter[str] = Counter()
    cat_got: Counter[str] = Counter()
    reg_total: Counter[str] = Counter()
    reg_got: Counter[str] = Counter()
    applicants = assigned = kept = 0
    for _code, is_kept, class_pk, seat_kind, cats, region_code, _score in entries:
        got = class_pk is not None
        if got:
            code = pk_to_code[class_pk]
            filled[code] += 1
            if seat_kind and seat_kind != "open":
                reserved_filled[(code, seat_kind)] += 1
        if is_kept:
            kept += 1
            continue
        applicants += 1
        assigned += got
        for cat in cats:
            cat_total[cat] += 1
            cat_got[cat] += got
        reg_total[region_code] += 1
        reg_got[region_code] += got

    waitlists = run.result_data.get("waitlists", {})
    cutoffs = run.result_data.get("cutoffs", {})
    class_rows = []
    level_seats: Counter[str] = Counter()
    level_filled: Counter[str] = Counter()
    for code, c in classes.items():
        f = facts.get(code, {})
        cut = (cutoffs.get(code) or {}).get("open")
        reserved = c.get("reserved", {})
        class_rows.append(
            Tally(
                f"{code} — {f.get('name', '')}",
                c["capacity"],
                filled[code],
                {
                    "waitlist": len(waitlists.get(code, ())),
                    "cutoff": cut["score"] if cut else None,
                    "reserved": [
                        (cat, n, reserved_filled[(code, cat)]) for cat, n in sorted(reserved.items())
                    ],
                },
            )
        )
        level_seats[f.get("level", "")] += c["capacity"]
        level_filled[f.get("level", "")] += filled[code]

    names = dict(Region.objects.filter(code__in=list(reg_total)).values_list("code", "name"))
    level_labels = dict(Level.choices)
    unassigned_qs = run.entries.filter(kept=False, assigned_class__isnull=True).order_by("-score", "code")
    return RunStatistics(
        applicants=applicants,
        assigned=assigned,
        kept=kept,
        seats=sum(c["capacity"] for c in classes.values()),
        classes=class_rows,
        categories=[Tally(category_label(cat), cat_total[cat], cat_got[cat]) for cat in sorted(cat_total)],
        regions=sorted(
            (Tally(names.get(code, code or "—"), reg_total[code], reg_got[code]) for code in reg_total),
            key=lambda t: (-t.seats, t.label),
        ),
        levels=[
            Tally(str(level_labels.get(lv, lv)), level_seats[lv], level_filled[lv])
            for lv in Level.values
            if level_seats[lv]
        ],
        unassigned=list(unassigned_qs[:UNASSIGNED_SHOWN]),
        unassigned_total=unassigned_qs.count(),
    )


# --------------------------------------------------------------------------------------------------
# What a participant sees


@dataclass(frozen=True)
class ChoiceLine:
    rank: int
    code: str
    name: str
    message: str  # the engine's explanation; empty for the class they got or the ones below it
    got: bool


@dataclass(frozen=True)
class ParticipantResult:
    batch: Batch
    run: AllocationRun | None
    offer: Offer | None
    choices: list[ChoiceLine]

    @property
    def can_answer(self) -> bool:
        return self.offer is not None and self.offer.is_open


def participant_results(user) -> list[ParticipantResult]:
    """One result per batch the participant applied to whose seats have been published: their live
    (or last) offer and the reason for every choice ranked above it, from the latest published run
    that matched them."""
    scope = scope_for(user)
    if scope.user_id is None:
        return []
    applications = Application.objects.filter(participant__user_id=scope.user_id).select_related("batch")
    batch_ids = [a.batch_id for a in applications]
    entries = (
        RunEntry.objects.filter(
            participant__user_id=scope.user_id, run__batch_id__in=batch_ids, run__status=RunStatus.PUBLISHED
        )
        .select_related("run")
        .order_by("run__batch_id", "-run__number")
    )
    latest: dict[int, RunEntry] = {}
    last_any: dict[int, RunEntry] = {}
    for e in entries:
        last_any.setdefault(e.run.batch_id, e)
        if not e.kept:
            latest.setdefault(e.run.batch_id, e)
    offers: defaultdict[int, list[Offer]] = defaultdict(list)
    for o in offers_visible_to(user).filter(batch_id__in=batch_ids).order_by("-created_at", "-pk"):
        offers[o.batch_id].append(o)
    results = []
    for app in applications:
        entry = latest.get(app.batch_id) or last_any.get(app.batch_id)
        if entry is None:
            continue
        batch_offers = offers.get(app.batch_id, [])
        live = next(
            (o for o in batch_offers if o.status in (OfferStatus.OFFERED, OfferStatus.ACCEPTED)), None
        )
        offer = live or (batch_offers[0] if batch_offers else None)
        results.append(ParticipantResult(app.batch, entry.run, offer, _choice_lines(entry, offer)))
    return results


def _choice_lines(entry: RunEntry, offer: Offer | None) -> list[ChoiceLine]:
    facts = entry.run.class_facts
    messages = {x["class"]: x["message"] for x in entry.explanations}
    got_code = None
    if offer is not None and offer.status in (OfferStatus.OFFERED, OfferStatus.ACCEPTED):
        got_code = offer.training_class.code
    elif entry.assigned_class_id is not None:
        got_code = next((c for c, f in facts.items() if f["pk"] == entry.assigned_class_id), None)
    return [
        ChoiceLine(
            rank, code, facts.get(code, {}).get("name", code), messages.get(code, ""), code == got_code
        )
        for rank, code in enumerate(entry.choices, start=1)
    ]
