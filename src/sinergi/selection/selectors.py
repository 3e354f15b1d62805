"""Reads for seat allocation. Every record is reached through a scoping function of this module."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from sinergi.accounts.scoping import get_visible_or_404, scope_for
from sinergi.core.models import Job
from sinergi.programs.models import DISABILITY, Batch, Category, Level
from sinergi.programs.selectors import batches_visible_to
from sinergi.regions.models import Region
from sinergi.registration.models import Application
from sinergi.selection.engine import explanation_message
from sinergi.selection.models import AllocationRun, Offer, OfferStatus, RunClass, RunEntry, RunStatus
from sinergi.selection.services import FREEZE, STEP_JOBS


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


def batches_with_runs(user) -> QuerySet[Batch]:
    """The allocation list: the user's batches, each with its runs newest first (only what the list
    shows of them)."""
    latest_runs = AllocationRun.objects.order_by("-number").only("batch_id", "number", "kind", "status")
    return batches_for_allocation(user).prefetch_related(Prefetch("allocation_runs", queryset=latest_runs))


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
    qs = Offer.objects.select_related("training_class__program", "batch")
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
# Background steps


def step_job(user, pk: int) -> Job:
    """A step job of a batch this user allocates (404 otherwise, whoever started it)."""
    batch_pks = batches_for_allocation(user).values("pk")
    job = get_visible_or_404(Job.objects.filter(kind__in=STEP_JOBS), pk=pk)
    if not Batch.objects.filter(pk=job.params.get("batch"), pk__in=batch_pks).exists():
        raise Http404
    return job


def _unfinished(job: Job | None) -> Job | None:
    return job if job is not None and job.status != Job.Status.DONE else None


def run_step_job(run: AllocationRun) -> Job | None:
    """The run's latest step job while it is queued or running, or when it failed (to say why)."""
    latest = Job.objects.filter(kind__in=STEP_JOBS, params__run=run.pk).order_by("-pk").first()
    return _unfinished(latest)


def freeze_job(batch: Batch) -> Job | None:
    """The batch's latest freeze job while it is queued or running, or when it failed."""
    return _unfinished(Job.objects.filter(kind=FREEZE, params__batch=batch.pk).order_by("-pk").first())


# --------------------------------------------------------------------------------------------------
# Review statistics: read from what the dry run stored, never from the entries or the result


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
    class_page: Page
    categories: list[Tally]
    regions: list[Tally]
    levels: list[Tally]
    unassigned: list[RunEntry]
    unassigned_total: int

    @property
    def classes(self) -> list[Tally]:
        return [
            Tally(
                f"{c.code} — {c.name}",
                c.capacity,
                c.filled,
                {
                    "waitlist": c.waitlist,
                    "cutoff": c.cutoff,
                    "reserved": [
                        (cat, n, c.reserved_filled.get(cat, 0)) for cat, n in sorted(c.reserved.items())
                    ],
                },
            )
            for c in self.class_page
        ]

    @property
    def unfilled(self) -> int:
        return max(self.seats - self.assigned - self.kept, 0)

    @property
    def fill_percent(self) -> float:
        return round(100 * (self.assigned + self.kept) / self.seats, 1) if self.seats else 0.0


UNASSIGNED_SHOWN = 50
CLASSES_PER_PAGE = 50


def category_label(code: str) -> str:
    if code == DISABILITY:
        return str(_("Penyandang disabilitas"))
    return str(dict(Category.choices).get(code, code))


def run_statistics(run: AllocationRun, class_page: str | int | None = 1) -> RunStatistics:
    """Fill rates of a computed run per class (a page of them), applicant category, region of domicile
    and level. Classes and levels count seats; categories and regions count applicants who got one.
    A fixed number of queries whatever the size of the run."""
    summary = run.summary or {}
    classes = (
        RunClass.objects.filter(run=run)
        .order_by("code")
        .only("code", "name", "capacity", "filled", "waitlist", "cutoff", "reserved", "reserved_filled")
    )
    page = Paginator(classes, CLASSES_PER_PAGE).get_page(class_page)
    regions = summary.get("regions", {})
    names = dict(Region.objects.filter(code__in=list(regions)).values_list("code", "name"))
    level_labels = dict(Level.choices)
    levels = summary.get("levels", {})
    unassigned = (
        run.entries.filter(kept=False, assigned_class__isnull=True)
        .order_by("-score", "code")
        .only("run_id", "code", "score", "choices")[:UNASSIGNED_SHOWN]
    )
    return RunStatistics(
        applicants=summary.get("applicants", 0),
        assigned=summary.get("assigned", 0),
        kept=summary.get("kept", 0),
        seats=summary.get("seats", 0),
        class_page=page,
        categories=[
            Tally(category_label(cat), n, got) for cat, (n, got) in summary.get("categories", {}).items()
        ],
        regions=sorted(
            (Tally(names.get(code, code or "—"), n, got) for code, (n, got) in regions.items()),
            key=lambda t: (-t.seats, t.label),
        ),
        levels=[
            Tally(str(level_labels.get(lv, lv)), *levels[lv]) for lv in Level.values if levels.get(lv, [0])[0]
        ],
        unassigned=list(unassigned),
        unassigned_total=summary.get("unassigned", 0),
    )


# --------------------------------------------------------------------------------------------------
# What a participant sees: their entry row, their offer, the few classes they ranked


@dataclass(frozen=True)
class ChoiceLine:
    rank: int
    code: str
    name: str
    message: str  # the engine's explanation; empty for the class they got or the ones below it
    got: bool
    waitlist: int | None = None  # position on this class's waiting list (1 = next in line)


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
    that matched them. Four queries: applications, entries, offers, and the ranked classes of the runs
    shown (explanations are rendered here from each class's stored outcome)."""
    scope = scope_for(user)
    if scope.user_id is None:
        return []
    applications = Application.objects.filter(participant__user_id=scope.user_id).select_related("batch")
    batch_ids = [a.batch_id for a in applications]
    if not batch_ids:
        return []
    entries = (
        RunEntry.objects.filter(
            participant__user_id=scope.user_id, run__batch_id__in=batch_ids, run__status=RunStatus.PUBLISHED
        )
        .select_related("run")
        .defer(*(f"run__{name}" for name in AllocationRun.DOCUMENTS), "run__summary")
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
    shown = {b: latest.get(b) or last_any.get(b) for b in batch_ids}
    wanted = [(e.run_id, code) for e in shown.values() if e is not None for code in e.choices]
    classes: dict[tuple[int, str], RunClass] = {}
    if wanted:
        rows = RunClass.objects.filter(run_id__in={r for r, _ in wanted}, code__in={c for _, c in wanted})
        classes = {
            (c.run_id, c.code): c for c in rows.only("run_id", "code", "name", "outcome", "training_class_id")
        }
    results = []
    for app in applications:
        entry = shown.get(app.batch_id)
        if entry is None:
            continue
        batch_offers = offers.get(app.batch_id, [])
        live = next(
            (o for o in batch_offers if o.status in (OfferStatus.OFFERED, OfferStatus.ACCEPTED)), None
        )
        offer = live or (batch_offers[0] if batch_offers else None)
        results.append(ParticipantResult(app.batch, entry.run, offer, _choice_lines(entry, offer, classes)))
    return results


def _choice_lines(
    entry: RunEntry, offer: Offer | None, classes: dict[tuple[int, str], RunClass]
) -> list[ChoiceLine]:
    got_pk = entry.assigned_class_id
    if offer is not None and offer.status in (OfferStatus.OFFERED, OfferStatus.ACCEPTED):
        got_pk = offer.training_class_id
    lines = []
    rejected = True  # the choices above the seat the engine gave are the ones it explains
    positions = iter(entry.waitlist or [])
    for rank, code in enumerate(entry.choices, start=1):
        cls = classes.get((entry.run_id, code))
        got = cls is not None and cls.training_class_id == got_pk
        message, position = "", None
        engine_got = cls is not None and cls.training_class_id == entry.assigned_class_id
        if engine_got:
            rejected = False
        if rejected and not entry.kept and cls is not None and cls.outcome:
            message = explanation_message(code, cls.outcome, float(entry.score), entry.categories)
            position = next(positions, None)
        lines.append(ChoiceLine(rank, code, cls.name if cls else code, message, got, position))
    return lines
