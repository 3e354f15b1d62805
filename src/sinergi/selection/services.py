"""Writes for seat allocation: the four steps of a run, offers, answers, expiry and backfill.

Every step function is one transaction; a refused step raises :class:`SelectionError` with an Indonesian
message and leaves nothing half-saved. Lock order, everywhere: batch → run, and class → offer, so two
requests never wait on each other in a cycle.

The heavy steps (freezing the inputs, the dry run, publishing; a backfill is a freeze of its own kind) run
as background jobs (:func:`start_step`): a request only enqueues them, the run's page shows their
progress. Their writes are set-based, in batches, so a national batch of hundreds of thousands of
applicants costs a few hundred queries, not one per person.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, TypeVar

from auditlog.context import set_actor
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import User
from sinergi.accounts.scoping import scope_for
from sinergi.core.audit import record_bulk
from sinergi.core.jobs import enqueue, job_handler
from sinergi.core.models import Job, Notification
from sinergi.core.notifications import notify, send_claimed_batches
from sinergi.partnerships.metrics import mark_stale
from sinergi.programs.models import DISABILITY, Batch, TrainingClass
from sinergi.registration.models import Application, ApplicationChoice
from sinergi.selection.engine import (
    OPEN,
    AllocationInputError,
    AllocationResult,
    allocate,
    parse_input,
    result_to_json,
)
from sinergi.selection.models import (
    FINAL_REFUSALS,
    AllocationRun,
    Offer,
    OfferStatus,
    Pseudonym,
    ResultEmail,
    RunClass,
    RunEntry,
    RunKind,
    RunStatus,
)
from sinergi.selection.signals import seat_accepted

log = logging.getLogger(__name__)

DEFAULT_RESPONSE_DAYS = 7
MAX_RESPONSE_DAYS = 30
PSEUDONYM_PREFIX = "p"
CHUNK = 5000  # rows per bulk statement and per progress report
EMAIL_BATCH = 500
_R = TypeVar("_R")
Progress = Callable[[int, int, str], None]


def _no_progress(done: int, total: int, message: str) -> None:
    pass


class SelectionError(Exception):
    """A refused step; ``message`` is Indonesian and says what to do, ``field`` names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _chunks(items: Iterable[_R], size: int = CHUNK) -> Iterator[list[_R]]:
    chunk: list[_R] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _as_actor(fn: Callable[..., _R]) -> Callable[..., _R]:
    """Record ``user`` (the first argument) as the actor of the audit entries the step writes, also
    outside a web request (demo, command line, jobs), where the audit middleware is not there to."""

    @wraps(fn)
    def wrapper(user: Any, *args: Any, **kwargs: Any) -> _R:
        if user is None or not getattr(user, "pk", None):
            return fn(user, *args, **kwargs)
        with set_actor(user):
            return fn(user, *args, **kwargs)

    return wrapper


def can_manage(user, batch: Batch) -> bool:
    """National admins, and regional admins whose region contains the batch's region."""
    scope = scope_for(user)
    return scope.is_national or (scope.is_regional and scope.covers_region(batch.region))


def _require_manager(user, batch: Batch) -> None:
    if not can_manage(user, batch):
        raise SelectionError(_("Anda tidak berwenang mengelola alokasi gelombang ini."))


def allocatable_applications(batch: Batch) -> QuerySet[Application]:
    """Submitted applications of people who may get a seat (not flagged as a duplicate), as a plain
    queryset: the freeze reads only the columns it needs."""
    from sinergi.registration.selectors import allocatable_applications as registered

    return registered(batch).select_related(None).prefetch_related(None)


def _categories(category: str, has_disability: bool) -> list[str]:
    cats = {category} if category else set()
    if has_disability:
        cats.add(DISABILITY)
    return sorted(cats)


# --------------------------------------------------------------------------------------------------
# Background steps: a request enqueues, a job works, the run's page shows the progress

FREEZE, COMPUTE, PUBLISH = "selection.freeze", "selection.compute", "selection.publish"
STEP_JOBS = (FREEZE, COMPUTE, PUBLISH)
SEND_EMAILS = "selection.send_emails"


def start_step(user: User, batch: Batch, *, step: str, **params: Any) -> Job:
    """Enqueue one step of a batch's allocation as a background job.

    Refused while another step of the same batch is queued or running: a double click (or two admins
    at once) never starts the same work twice. The batch row lock makes the check and the enqueue one
    step; the step itself checks the run's stage again under its own lock."""
    _require_manager(user, batch)
    if step not in STEP_JOBS:
        raise SelectionError(_("Langkah alokasi tidak dikenal."))
    with transaction.atomic():
        Batch.objects.select_for_update().filter(pk=batch.pk).first()
        busy = Job.objects.filter(
            kind__in=STEP_JOBS, params__batch=batch.pk, status__in=(Job.Status.QUEUED, Job.Status.RUNNING)
        ).exists()
        if busy:
            raise SelectionError(
                _("Langkah alokasi sebelumnya untuk gelombang ini masih berjalan; tunggu sampai selesai.")
            )
        return enqueue(step, user=user, batch=batch.pk, **params)


def _job_progress(job: Job) -> Progress:
    """Progress of a step that works inside one long transaction. On PostgreSQL it is written through a
    second connection, so the page polling it sees it before the step commits; elsewhere (SQLite allows
    one writer) it is written in the job's own transaction."""
    if connection.vendor != "postgresql":

        def report(done: int, total: int, message: str) -> None:
            from sinergi.core.jobs import report_progress

            report_progress(job, done, total, message)

        return report

    side = connections.create_connection(DEFAULT_DB_ALIAS)
    table = Job._meta.db_table

    def report_aside(done: int, total: int, message: str) -> None:
        with side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET progress = %s, total = %s, message = %s WHERE id = %s",  # noqa: S608
                [done, total, message[:300], job.pk],
            )

    report_aside.close = side.close  # type: ignore[attr-defined]
    return report_aside


def _run_step(job: Job, work: Callable[[Progress], dict[str, Any]]) -> dict[str, Any]:
    progress = _job_progress(job)
    try:
        return work(progress)
    except SelectionError:
        raise
    except Exception as exc:
        # The person watching gets an Indonesian message; the details go to the log.
        log.exception("allocation step %s failed", job.kind)
        raise SelectionError(
            _("Langkah alokasi gagal karena kesalahan sistem; tidak ada yang tersimpan. Coba lagi.")
        ) from exc
    finally:
        getattr(progress, "close", lambda: None)()


@job_handler(FREEZE)
def freeze_job(job: Job, *, batch: int, run_kind: str = RunKind.MAIN, reason: str = "") -> dict[str, Any]:
    def work(progress: Progress) -> dict[str, Any]:
        run = create_run(
            job.created_by, Batch.objects.get(pk=batch), kind=run_kind, reason=reason, progress=progress
        )
        return {"run": run.pk, "number": run.number}

    return _run_step(job, work)


@job_handler(COMPUTE)
def compute_job(job: Job, *, batch: int, run: int) -> dict[str, Any]:
    def work(progress: Progress) -> dict[str, Any]:
        done = compute(job.created_by, AllocationRun.objects.get(pk=run), progress=progress)
        return {"run": done.pk, "assigned": done.summary.get("assigned", 0)}

    return _run_step(job, work)


@job_handler(PUBLISH)
def publish_job(job: Job, *, batch: int, run: int, response_days: int = 7) -> dict[str, Any]:
    def work(progress: Progress) -> dict[str, Any]:
        summary = publish(
            job.created_by,
            AllocationRun.objects.get(pk=run),
            response_days=response_days,
            progress=progress,
        )
        return {"run": run, "offers": summary.offers, "superseded": summary.superseded}

    return _run_step(job, work)


# --------------------------------------------------------------------------------------------------
# Step 1: freeze the inputs and publish their hash


def check_new_run(user, batch: Batch, *, kind: str, reason: str) -> None:
    """Refuse a run that cannot be created; checked in the request (so the form names the field) and
    again by the job, under the batch lock."""
    _require_manager(user, batch)
    reason = (reason or "").strip()
    runs = AllocationRun.objects.filter(batch=batch)
    open_run = runs.exclude(status__in=(RunStatus.PUBLISHED, RunStatus.CANCELLED)).only("number").first()
    if open_run is not None:
        raise SelectionError(
            _("Alokasi #%(n)s gelombang ini belum selesai; terbitkan atau batalkan dulu.")
            % {"n": open_run.number}
        )
    published = runs.filter(status=RunStatus.PUBLISHED)
    if kind == RunKind.MAIN and not published.exists() and batch.registration_closes > timezone.now():
        # Freezing the inputs while people can still apply would leave the late ones out unseen.
        raise SelectionError(
            _("Pendaftaran gelombang ini masih dibuka sampai %(when)s; alokasi dibuat sesudahnya.")
            % {"when": timezone.localtime(batch.registration_closes).strftime("%d-%m-%Y %H:%M")}
        )
    if kind not in RunKind.values:
        raise SelectionError(_("Jenis alokasi tidak dikenal."), "kind")
    if published.exists() and not reason:
        raise SelectionError(_("Alasan wajib diisi untuk alokasi ulang atau alokasi susulan."), "reason")
    if kind == RunKind.MAIN and Offer.objects.filter(batch=batch, status=OfferStatus.ACCEPTED).exists():
        raise SelectionError(
            _(
                "Sudah ada peserta yang menerima kursi, jadi alokasi utama tidak dapat diulang; "
                "gunakan alokasi susulan untuk kursi yang kosong."
            ),
            "kind",
        )
    if kind == RunKind.BACKFILL and not published.exists():
        raise SelectionError(_("Alokasi susulan hanya setelah alokasi utama diterbitkan."), "kind")


@_as_actor
@transaction.atomic
def create_run(
    user, batch: Batch, *, kind: str = RunKind.MAIN, reason: str = "", progress: Progress = _no_progress
) -> AllocationRun:
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    check_new_run(user, batch, kind=kind, reason=reason)
    reason = (reason or "").strip()

    classes = list(
        TrainingClass.objects.filter(program__batch=batch)
        .select_related("program")
        .order_by("code")
        .only("pk", "code", "name", "capacity", "reserved_seats", "precedence", "region_id", "program__level")
    )
    if not classes:
        raise SelectionError(_("Gelombang ini belum memiliki kelas."))
    class_codes = {c.pk: c.code for c in classes}
    engine_classes = []
    for c in classes:
        doc: dict[str, Any] = {"id": c.code, "capacity": c.capacity}
        reserved = {k: int(v) for k, v in sorted((c.reserved_seats or {}).items()) if v}
        if reserved:
            doc["reserved"] = reserved
        if c.precedence != TrainingClass.Precedence.OPEN_FIRST:
            doc["precedence"] = c.precedence
        engine_classes.append(doc)

    kept_offers: list[tuple[int, int, str, list[str], str, int, Any, list[str]]] = []
    excluded: set[int] = set()
    if kind == RunKind.BACKFILL:
        kept_offers = list(
            Offer.objects.filter(batch=batch, status=OfferStatus.ACCEPTED).values_list(
                "participant_id",
                "training_class_id",
                "seat_kind",
                "categories",
                "region_code",
                "entry__application_id",
                "entry__score",
                "entry__choices",
            )
        )
        excluded = {row[0] for row in kept_offers}
        excluded |= set(
            Offer.objects.filter(batch=batch, status__in=FINAL_REFUSALS).values_list(
                "participant_id", flat=True
            )
        )

    # Plain columns, not model instances: a national batch has a million applications.
    apps_qs = allocatable_applications(batch)
    ranked: dict[int, list[tuple[int, int]]] = {}
    for app_pk, class_pk, rank in (
        ApplicationChoice.objects.filter(
            application__in=apps_qs.values("pk"), training_class_id__in=class_codes
        )
        .values_list("application_id", "training_class_id", "rank")
        .iterator(chunk_size=20_000)
    ):
        ranked.setdefault(app_pk, []).append((rank, class_pk))
    progress(0, 0, _("Membaca pendaftar…"))
    applications = []
    for app_pk, person, score, category, disabled, domicile in (
        apps_qs.values_list(
            "pk",
            "participant_id",
            "score",
            "participant__category",
            "participant__has_disability",
            "participant__domicile_id",
        )
        .order_by("pk")
        .iterator(chunk_size=20_000)
    ):
        if person in excluded:
            continue
        picks = ranked.get(app_pk)
        if picks:
            picks.sort()
            choices = [class_codes[pk] for _rank, pk in picks]
            applications.append(
                (app_pk, person, score, _categories(category, disabled), domicile or "", choices)
            )
    del ranked

    codes = _pseudonyms(batch, [a[1] for a in applications] + [k[0] for k in kept_offers])
    run = AllocationRun(
        batch=batch,
        number=(AllocationRun.objects.filter(batch=batch).aggregate(m=Max("number"))["m"] or 0) + 1,
        kind=kind,
        reason=reason,
        created_by=user,
    )
    applications.sort(key=lambda a: codes[a[1]])
    engine_applicants = [
        {"id": codes[person], "choices": choices, "score": float(score), "categories": cats}
        for _app, person, score, cats, _dom, choices in applications
    ]
    engine_kept = [
        {"applicant": codes[row[0]], "class": class_codes[row[1]], "seat": row[2]}
        for row in sorted(kept_offers, key=lambda row: codes[row[0]])
    ]
    run.engine_input = {"classes": engine_classes, "applicants": engine_applicants}
    if engine_kept:
        run.engine_input["kept"] = engine_kept
    progress(0, 0, _("Menghitung hash masukan…"))
    try:
        # The hash leaves the seed out, so any placeholder will do before it is drawn.
        run.input_sha256 = parse_input({**run.engine_input, "seed": 0}).sha256
    except AllocationInputError as exc:
        raise SelectionError(_("Data kelas atau pendaftar tidak valid: %(msg)s") % {"msg": exc}) from exc
    run.save()
    RunClass.objects.bulk_create(
        (
            RunClass(
                run=run,
                code=c.code,
                training_class_id=c.pk,
                name=c.name,
                level=c.program.level,
                region_code=c.region_id or "",
                capacity=c.capacity,
                reserved={k: int(v) for k, v in sorted((c.reserved_seats or {}).items()) if v},
            )
            for c in classes
        ),
        batch_size=CHUNK,
    )

    def entry(person, app, score, choices, cats, domicile, **kept: Any) -> RunEntry:
        return RunEntry(
            run=run,
            code=codes[person],
            participant_id=person,
            application_id=app,
            score=score,
            choices=choices,
            categories=cats,
            region_code=domicile,
            **kept,
        )

    def entries() -> Iterator[RunEntry]:
        for app, person, score, cats, domicile, choices in applications:
            yield entry(person, app, score, choices, cats, domicile)
        for person, class_pk, seat, cats, domicile, app, score, choices in kept_offers:
            kept = {"kept": True, "assigned_class_id": class_pk, "seat_kind": seat}
            yield entry(person, app, score, choices, cats, domicile, **kept)

    total = len(applications) + len(kept_offers)
    written = 0
    for chunk in _chunks(entries()):
        RunEntry.objects.bulk_create(chunk)
        written += len(chunk)
        progress(written, total, _("Menyimpan masukan yang dibekukan…"))
    return run


def _pseudonyms(batch: Batch, people: Iterable[int]) -> dict[int, str]:
    """The participants' pseudonyms in the batch (by participant pk), creating the missing ones in order
    of their pk. Sequential codes under the batch lock: short, collision-free, and they reveal nothing
    about the person."""
    existing = dict(Pseudonym.objects.filter(batch=batch).values_list("participant_id", "code"))
    last = max((int(code[len(PSEUDONYM_PREFIX) :]) for code in existing.values()), default=0)
    new = []
    for pk in sorted(set(people) - existing.keys()):
        last += 1
        code = f"{PSEUDONYM_PREFIX}{last:06d}"
        existing[pk] = code
        new.append(Pseudonym(batch=batch, participant_id=pk, code=code))
    Pseudonym.objects.bulk_create(new, batch_size=CHUNK)
    return existing


def _locked_run(run: AllocationRun, *expected: str) -> AllocationRun:
    locked = AllocationRun.objects.select_for_update(of=("self",)).select_related("batch").get(pk=run.pk)
    if locked.status not in expected:
        raise SelectionError(
            _("Langkah ini tidak dapat dilakukan pada tahap “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    return locked


# --------------------------------------------------------------------------------------------------
# Step 2: draw the seed — only once the hash is out


@_as_actor
@transaction.atomic
def draw_seed(user, run: AllocationRun) -> AllocationRun:
    _require_manager(user, run.batch)
    run = _locked_run(run, RunStatus.HASH_PUBLISHED)
    if not run.input_sha256:  # cannot happen through create_run; a guard for hand-made rows
        raise SelectionError(_("Hash masukan belum diumumkan; undian belum boleh ditarik."))
    run.seed = secrets.randbits(63)
    run.seed_drawn_by = user
    run.seed_drawn_at = timezone.now()
    run.status = RunStatus.SEEDED
    run.save()
    return run


# --------------------------------------------------------------------------------------------------
# Step 3: dry run


def engine_document(run: AllocationRun) -> dict[str, Any]:
    """The exact input `sinergi allocate` takes for this run: pseudonyms, the seed once drawn."""
    seed = {} if run.seed is None else {"seed": run.seed}
    return {**seed, **run.engine_input}


@_as_actor
@transaction.atomic
def compute(user, run: AllocationRun, *, progress: Progress = _no_progress) -> AllocationRun:
    _require_manager(user, run.batch)
    run = _locked_run(run, RunStatus.SEEDED)
    progress(0, 0, _("Menjalankan mesin alokasi…"))
    inp = parse_input(engine_document(run))
    if inp.sha256 != run.input_sha256:  # the frozen input was tampered with after the hash went out
        raise SelectionError(_("Masukan tidak sama dengan hash yang diumumkan; alokasi tidak dijalankan."))
    result = allocate(inp)
    run.result = result_to_text(result)
    _store_class_outcomes(run, result)
    run.summary = _store_entry_outcomes(run, result, progress)
    run.computed_by = user
    run.computed_at = timezone.now()
    run.status = RunStatus.COMPUTED
    # The frozen input was read, never changed: writing it back would be megabytes for nothing.
    run.save(update_fields=["result", "summary", "computed_by", "computed_at", "status"])
    return run


def result_to_text(result: AllocationResult) -> str:
    """Exactly what `sinergi allocate` prints for the run's downloaded input."""
    return json.dumps(result_to_json(result), ensure_ascii=False)


def _store_class_outcomes(run: AllocationRun, result: AllocationResult) -> None:
    filled: Counter[str] = Counter()
    reserved_filled: Counter[tuple[str, str]] = Counter()
    reserved_seats = result.reserved_seats
    for aid, cid in result.assignment.items():
        if cid is not None:
            filled[cid] += 1
            kind = reserved_seats.get(aid)
            if kind is not None:
                reserved_filled[(cid, kind)] += 1
    rows = list(RunClass.objects.filter(run=run))
    for row in rows:
        cut = (result.cutoffs.get(row.code) or {}).get(OPEN)
        row.filled = filled[row.code]
        row.reserved_filled = {cat: reserved_filled[(row.code, cat)] for cat in row.reserved}
        row.waitlist = len(result.waitlists.get(row.code, ()))
        row.cutoff = cut.score if cut else None
        row.outcome = result.class_outcome(row.code)
    # Nothing refers to these rows; writing them afresh is one fast insert per chunk where an UPDATE
    # would need a CASE per row.
    RunClass.objects.filter(run=run).delete()
    for row in rows:
        row.pk = None
    RunClass.objects.bulk_create(rows, batch_size=CHUNK)


def _store_entry_outcomes(run: AllocationRun, result: AllocationResult, progress: Progress) -> dict[str, Any]:
    """Write each applicant's seat, seat kind and waiting-list positions; return the run's summary."""
    class_pks = dict(RunClass.objects.filter(run=run).values_list("code", "training_class_id"))
    positions: dict[str, dict[str, int]] = {}
    for cid, waiting in result.waitlists.items():
        for pos, aid in enumerate(waiting, start=1):
            positions.setdefault(aid, {})[cid] = pos
    assignment = result.assignment
    reserved_seats = result.reserved_seats
    cat_total: Counter[str] = Counter()
    cat_got: Counter[str] = Counter()
    reg_total: Counter[str] = Counter()
    reg_got: Counter[str] = Counter()
    applicants = assigned = kept = 0
    rows: list[tuple[str, int | None, str, list[int]]] = []
    for code, is_kept, cats, region_code, choices in (
        run.entries.values_list("code", "kept", "categories", "region_code", "choices")
        .order_by()
        .iterator(chunk_size=20_000)
    ):
        if is_kept:
            kept += 1
            continue
        got = assignment.get(code)
        applicants += 1
        assigned += got is not None
        for cat in cats:
            cat_total[cat] += 1
            cat_got[cat] += got is not None
        reg_total[region_code] += 1
        reg_got[region_code] += got is not None
        mine = positions.get(code, {})
        waitlist = [mine[c] for c in choices if c in mine]
        if got is not None or waitlist:
            rows.append(
                (
                    code,
                    class_pks[got] if got else None,
                    reserved_seats.get(code, OPEN) if got else "",
                    waitlist,
                )
            )
    del positions
    done = 0
    for chunk in _chunks(rows, 20_000):
        _update_entries(run, chunk)
        done += len(chunk)
        progress(done, len(rows), _("Menyimpan hasil simulasi…"))
    levels_seats: Counter[str] = Counter()
    levels_filled: Counter[str] = Counter()
    seats = 0
    for level, capacity, filled in RunClass.objects.filter(run=run).values_list(
        "level", "capacity", "filled"
    ):
        levels_seats[level] += capacity
        levels_filled[level] += filled
        seats += capacity
    return {
        "applicants": applicants,
        "assigned": assigned,
        "kept": kept,
        "seats": seats,
        "unassigned": applicants - assigned,
        "categories": {c: [cat_total[c], cat_got[c]] for c in sorted(cat_total)},
        "regions": {r: [reg_total[r], reg_got[r]] for r in sorted(reg_total)},
        "levels": {lv: [levels_seats[lv], levels_filled[lv]] for lv in sorted(levels_seats)},
    }


def _update_entries(run: AllocationRun, rows: list[tuple[str, int | None, str, list[int]]]) -> None:
    """One UPDATE per chunk, matched on the (run, code) unique index; no model instances."""
    if connection.vendor == "postgresql":
        table = RunEntry._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"""UPDATE {table} AS e
                    SET assigned_class_id = v.cls, seat_kind = v.kind, waitlist = v.wl::jsonb
                    FROM unnest(%s::text[], %s::bigint[], %s::text[], %s::text[]) AS v(code, cls, kind, wl)
                    WHERE e.run_id = %s AND e.code = v.code""",  # noqa: S608
                [
                    [r[0] for r in rows],
                    [r[1] for r in rows],
                    [r[2] for r in rows],
                    [json.dumps(r[3]) for r in rows],
                    run.pk,
                ],
            )
        return
    pks = dict(run.entries.filter(code__in=[r[0] for r in rows]).values_list("code", "pk"))
    entries = [
        RunEntry(pk=pks[code], assigned_class_id=cls, seat_kind=kind, waitlist=waitlist)
        for code, cls, kind, waitlist in rows
    ]
    RunEntry.objects.bulk_update(entries, ["assigned_class", "seat_kind", "waitlist"], batch_size=500)


# --------------------------------------------------------------------------------------------------
# Step 4: publish and offer the seats


@dataclass(frozen=True)
class PublishSummary:
    offers: int
    superseded: int
    withdrawn: int


@_as_actor
@transaction.atomic
def publish(
    user, run: AllocationRun, *, response_days: int = DEFAULT_RESPONSE_DAYS, progress: Progress = _no_progress
) -> PublishSummary:
    """Offer the dry run's seats. Set-based: offers, notifications and the e-mails to send are written in
    batches, the class names read once; the e-mails go out afterwards through a job
    (:func:`send_result_emails`), once this transaction has committed."""
    _require_manager(user, run.batch)
    if not 1 <= response_days <= MAX_RESPONSE_DAYS:
        raise SelectionError(
            _("Lama waktu menjawab harus antara 1 dan %(max)s hari.") % {"max": MAX_RESPONSE_DAYS},
            "response_days",
        )
    batch = Batch.objects.select_for_update().get(pk=run.batch_id)
    run = _locked_run(run, RunStatus.COMPUTED)
    _check_still_current(run)
    now = timezone.now()
    deadline = now + timedelta(days=response_days)
    url = reverse("selection:my_results")
    link = f"\n\n{settings.SITE_URL.rstrip('/')}{url}"
    class_names = {
        pk: f"{code} {name}"
        for pk, code, name in RunClass.objects.filter(run=run).values_list(
            "training_class_id", "code", "name"
        )
    }
    deadline_text = timezone.localtime(deadline).strftime("%d-%m-%Y %H:%M")

    # Live offers of the batch: (offer pk, class pk, user pk, e-mail) per participant.
    live: dict[int, tuple[int, int, int | None, str]] = {
        person: (pk, cls, uid, email or "")
        for pk, person, cls, uid, email in Offer.objects.select_for_update(of=("self",))
        .filter(batch=batch, status=OfferStatus.OFFERED)
        .values_list(
            "pk", "participant_id", "training_class_id", "participant__user_id", "participant__user__email"
        )
        .order_by()
    }
    withdrawn: dict[int, tuple[int, int, int | None, str]] = {}
    if run.kind == RunKind.MAIN:
        # A re-run replaces the earlier result wholesale (no one has accepted yet: create_run checked).
        withdrawn, live = live, {}
        _mark([v[0] for v in withdrawn.values()], OfferStatus.WITHDRAWN, now)

    notes = _Outbox(run, url, link)
    offered: set[int] = set()
    superseded: list[int] = []
    created = superseded_total = 0
    entries = (
        run.entries.filter(kept=False)
        .values_list(
            "pk",
            "participant_id",
            "assigned_class_id",
            "seat_kind",
            "categories",
            "region_code",
            "participant__user_id",
            "participant__user__email",
        )
        .order_by("pk")
    )
    total = run.summary.get("applicants") or 0
    seen = 0
    for chunk in _chunks(entries.iterator(chunk_size=CHUNK)):
        new_offers: list[Offer] = []
        for entry_pk, person, cls, seat_kind, cats, region_code, uid, email in chunk:
            if cls is None:
                if run.kind == RunKind.MAIN and uid is not None:
                    notes.add(
                        uid,
                        email,
                        f"selection:result:{run.pk}:{person}",
                        _("Hasil seleksi kelas pelatihan"),
                        _(
                            "Anda belum mendapat kursi pada gelombang ini. "
                            "Lihat penjelasannya di halaman hasil seleksi."
                        ),
                    )
                continue
            current = live.get(person)
            if current is not None:
                if current[1] == cls:
                    continue  # same seat as before: the earlier offer and its deadline stand
                superseded.append(current[0])
            offered.add(person)
            new_offers.append(
                Offer(
                    batch=batch,
                    run=run,
                    entry_id=entry_pk,
                    participant_id=person,
                    training_class_id=cls,
                    seat_kind=seat_kind or OPEN,
                    categories=cats,
                    region_code=region_code,
                    deadline=deadline,
                    status=OfferStatus.OFFERED,
                )
            )
        users = {row[1]: (row[6], row[7]) for row in chunk}
        # Replaced first: the one-live-offer constraint must never see the old and the new offer at once.
        _mark(superseded, OfferStatus.SUPERSEDED, now)
        superseded_total += len(superseded)
        superseded.clear()
        Offer.objects.bulk_create(new_offers)  # one statement per chunk; the pks come back
        for offer in new_offers:
            uid, email = users[offer.participant_id]
            if uid is None:
                continue
            if run.kind == RunKind.BACKFILL:
                # A backfill seat is one freed by someone else: the person moved up the waiting list.
                title = _("Anda naik dari daftar tunggu: kursi pelatihan untuk Anda")
                text = _(
                    "Sebuah kursi kosong di kelas %(cls)s kini ditawarkan kepada Anda dari daftar tunggu. "
                    "Terima atau tolak sebelum %(deadline)s."
                )
            else:
                title = _("Anda mendapat kursi pelatihan")
                text = _("Anda mendapat kursi di kelas %(cls)s. Terima atau tolak sebelum %(deadline)s.")
            notes.add(
                uid,
                email or "",
                f"selection:offer:{offer.pk}",
                title,
                text % {"cls": class_names[offer.training_class_id], "deadline": deadline_text},
            )
        notes.flush()
        created += len(new_offers)
        seen += len(chunk)
        progress(seen, total, _("Menerbitkan tawaran kursi…"))

    for person, (offer_pk, _cls, user_pk, address) in withdrawn.items():
        if person in offered or user_pk is None:
            continue
        notes.add(
            user_pk,
            address,
            f"selection:withdrawn:{offer_pk}",
            _("Tawaran kursi dibatalkan"),
            _("Alokasi kursi gelombang ini diulang; tawaran sebelumnya tidak berlaku lagi."),
        )
        if len(notes) >= CHUNK:
            notes.flush()
    notes.flush()

    run.status = RunStatus.PUBLISHED
    run.published_by = user
    run.published_at = now
    run.response_deadline = deadline
    run.save()
    if batch.status != Batch.Status.ALLOCATED:
        batch.status = Batch.Status.ALLOCATED
        batch.save(update_fields=["status"])
    record_bulk(
        actor=user,
        target=run,
        operation=_("publikasi hasil alokasi"),
        counts={"tawaran": created, "diganti": superseded_total, "ditarik": len(withdrawn)},
    )
    if notes.emails:
        # Created in this transaction, dispatched only after it commits: nothing is sent for a publish
        # that rolls back.
        enqueue(SEND_EMAILS, user=user, run=run.pk)
    return PublishSummary(created, superseded_total, len(withdrawn))


def _mark(offer_pks: list[int], status: str, now: datetime) -> None:
    for chunk in _chunks(offer_pks):
        Offer.objects.filter(pk__in=chunk).update(status=status, responded_at=now)


class _Outbox:
    """Notifications and e-mails of one publish, written in batches. The notification's dedupe key is
    also the e-mail's idempotency key: one message per person and event, however often this runs."""

    def __init__(self, run: AllocationRun, url: str, link: str):
        self.run, self.url, self.link = run, url, link
        self.notifications: list[Notification] = []
        self.mails: list[ResultEmail] = []
        self.emails = 0

    def __len__(self) -> int:
        return len(self.notifications)

    def add(self, user_id: int, email: str, key: str, title: str, body: str) -> None:
        self.notifications.append(
            Notification(user_id=user_id, title=title, body=body, url=self.url, dedupe_key=key)
        )
        if email:
            self.mails.append(
                ResultEmail(run=self.run, key=key, to=email, subject=title, body=body + self.link)
            )

    def flush(self) -> None:
        Notification.objects.bulk_create(self.notifications, batch_size=CHUNK, ignore_conflicts=True)
        ResultEmail.objects.bulk_create(self.mails, batch_size=CHUNK, ignore_conflicts=True)
        self.emails += len(self.mails)
        self.notifications, self.mails = [], []


@job_handler(SEND_EMAILS)
def send_result_emails_job(job: Job, *, run: int) -> dict[str, Any]:
    return {"sent": send_result_emails(run, progress=lambda d, t, m: _report(job, d, t, m))}


def _report(job: Job, done: int, total: int, message: str) -> None:
    from sinergi.core.jobs import report_progress

    report_progress(job, done, total, message)


def _result_emails(ids: list[int]) -> list[EmailMessage]:
    rows = ResultEmail.objects.filter(pk__in=ids).values_list("key", "to", "subject", "body")
    return [
        EmailMessage(subject, body, None, [to], headers={"X-Sinergi-Key": key})
        for key, to, subject, body in rows
    ]


def send_result_emails(run_pk: int, *, progress: Progress = _no_progress) -> int:
    """Send the publish's e-mails in batches of :data:`EMAIL_BATCH` over one connection.

    Each batch is claimed (its rows marked) and committed before anything is sent, so a retried or a
    second concurrent job never sends a claimed row again: at most one e-mail per key. A batch whose
    sending fails is released for the next try."""
    todo = ResultEmail.objects.filter(run_id=run_pk, claimed_at__isnull=True)
    total = todo.count()
    sent = 0
    batches = send_claimed_batches(
        todo, claim_field="claimed_at", size=EMAIL_BATCH, messages_for=_result_emails
    )
    for ids, _count in batches:
        ResultEmail.objects.filter(pk__in=ids).update(sent_at=timezone.now())
        sent += len(ids)
        progress(sent, total, _("Mengirim surel hasil seleksi…"))
    return sent


def _check_still_current(run: AllocationRun) -> None:
    """A backfill run is a function of who had accepted or refused when it was frozen; if that moved
    since, its result would count seats that are no longer free (or miss freed ones)."""
    if run.kind != RunKind.BACKFILL:
        return
    kept_now = set(
        Offer.objects.filter(batch=run.batch_id, status=OfferStatus.ACCEPTED).values_list(
            "participant_id", flat=True
        )
    )
    kept_then = set(run.entries.filter(kept=True).values_list("participant_id", flat=True))
    refused = Offer.objects.filter(
        batch=run.batch_id,
        status__in=FINAL_REFUSALS,
        participant__in=run.entries.filter(kept=False).values("participant"),
    )
    if kept_now != kept_then or refused.exists():
        raise SelectionError(
            _(
                "Sejak masukan alokasi ini dibekukan, ada peserta yang menerima, menolak atau melewatkan "
                "tawarannya. Batalkan alokasi ini dan buat alokasi susulan baru agar kursinya dihitung ulang."
            )
        )


@_as_actor
@transaction.atomic
def cancel_run(user, run: AllocationRun) -> AllocationRun:
    _require_manager(user, run.batch)
    run = _locked_run(run, RunStatus.HASH_PUBLISHED, RunStatus.SEEDED, RunStatus.COMPUTED)
    run.status = RunStatus.CANCELLED
    run.cancelled_by = user
    run.cancelled_at = timezone.now()
    run.save()
    return run


# --------------------------------------------------------------------------------------------------
# Participants answer


def _owned_offer_pk(user, offer_pk: int) -> int:
    if (
        user is None
        or not user.is_authenticated
        or not Offer.objects.filter(pk=offer_pk, participant__user=user).exists()
    ):
        raise SelectionError(_("Tawaran tidak ditemukan."))
    return offer_pk


@_as_actor
def accept_offer(user, offer_pk: int) -> Offer:
    return respond(_owned_offer_pk(user, offer_pk), accept=True)


@_as_actor
def decline_offer(user, offer_pk: int) -> Offer:
    return respond(_owned_offer_pk(user, offer_pk), accept=False)


@transaction.atomic
def respond(offer_pk: int, *, accept: bool) -> Offer:
    """Record the participant's answer. The class row is locked first, then the offer: every seat change
    of a class queues behind the first, so a class never holds more accepted seats than its capacity."""
    class_pk = Offer.objects.filter(pk=offer_pk).values_list("training_class_id", flat=True).first()
    if class_pk is None:
        raise SelectionError(_("Tawaran tidak ditemukan."))
    training_class = TrainingClass.objects.select_for_update().get(pk=class_pk)
    offer = Offer.objects.select_for_update().select_related("participant").get(pk=offer_pk)
    if offer.status != OfferStatus.OFFERED:
        raise SelectionError(
            _("Tawaran ini sudah berstatus “%(status)s”.") % {"status": offer.get_status_display()}
        )
    if offer.deadline <= timezone.now():
        raise SelectionError(_("Batas waktu menjawab tawaran ini sudah lewat."))
    if accept:
        taken = Offer.objects.filter(training_class=training_class, status=OfferStatus.ACCEPTED).count()
        if taken >= training_class.capacity:
            raise SelectionError(_("Maaf, kursi kelas ini sudah penuh."))
    offer.status = OfferStatus.ACCEPTED if accept else OfferStatus.DECLINED
    offer.responded_at = timezone.now()
    offer.save(update_fields=["status", "responded_at"])
    if accept:
        seat_accepted.send(
            sender=Offer, offer=offer, participant=offer.participant, training_class=training_class
        )
    return offer


def expire_offers(now: datetime | None = None) -> int:
    """Mark offers past their deadline as expired (their seats go to the next backfill run)."""
    now = now or timezone.now()
    count = 0
    url = reverse("selection:my_results")
    due = Offer.objects.filter(status=OfferStatus.OFFERED, deadline__lte=now).select_related(
        "participant__user", "training_class"
    )
    for offer in due.iterator():
        with transaction.atomic():
            # Conditional update: an acceptance that got the row first wins, and this one does nothing.
            changed = Offer.objects.filter(pk=offer.pk, status=OfferStatus.OFFERED).update(
                status=OfferStatus.EXPIRED, responded_at=now
            )
            if not changed:
                continue
            count += 1
            if offer.participant.user is not None:
                notify(
                    offer.participant.user,
                    _("Tawaran kursi kedaluwarsa"),
                    _("Tawaran kursi di kelas %(cls)s tidak dijawab sebelum batas waktunya.")
                    % {"cls": offer.training_class},
                    url,
                    dedupe_key=f"selection:expired:{offer.pk}",
                )
    if count:  # queryset updates send no model signals
        mark_stale(Q(metric_key__startswith="selection."))
    return count


@job_handler("selection.expire_offers")
def expire_offers_job(job, **params: Any) -> dict[str, Any]:
    return {"expired": expire_offers()}
