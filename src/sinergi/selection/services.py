"""Writes for seat allocation: the four steps of a run, offers, answers, expiry and backfill.

Every function is one transaction; a refused step raises :class:`SelectionError` with an Indonesian
message and leaves nothing half-saved. Lock order, everywhere: batch → run, and class → offer, so two
requests never wait on each other in a cycle.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, TypeVar

from auditlog.context import set_actor
from django.db import transaction
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.scoping import scope_for
from sinergi.core.audit import record_bulk
from sinergi.core.jobs import job_handler
from sinergi.core.notifications import notify
from sinergi.learning.services import enrol
from sinergi.programs.models import DISABILITY, Batch, TrainingClass
from sinergi.registration.models import Application, Participant
from sinergi.selection.engine import OPEN, AllocationInputError, allocate, parse_input, result_to_json
from sinergi.selection.models import (
    FINAL_REFUSALS,
    AllocationRun,
    Offer,
    OfferStatus,
    Pseudonym,
    RunEntry,
    RunKind,
    RunStatus,
)

DEFAULT_RESPONSE_DAYS = 7
MAX_RESPONSE_DAYS = 30
PSEUDONYM_PREFIX = "p"
_R = TypeVar("_R")


class SelectionError(Exception):
    """A refused step; ``message`` is Indonesian and says what to do, ``field`` names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


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
    """Submitted applications of people who may get a seat (not flagged as a duplicate)."""
    try:
        from sinergi.registration.selectors import allocatable_applications as registered
    except ImportError:  # the registration app's own rule, until it provides it
        qs = Application.objects.filter(
            batch=batch,
            status=Application.Status.SUBMITTED,
            participant__duplicate_status__in=(
                Participant.DuplicateStatus.CLEAR,
                Participant.DuplicateStatus.CONFIRMED_DISTINCT,
            ),
        )
    else:
        qs = registered(batch)
    return qs.select_related("participant").prefetch_related("choices")


def categories_of(participant: Participant) -> list[str]:
    cats = {participant.category} if participant.category else set()
    if participant.has_disability:
        cats.add(DISABILITY)
    return sorted(cats)


# --------------------------------------------------------------------------------------------------
# Step 1: freeze the inputs and publish their hash


@_as_actor
@transaction.atomic
def create_run(user, batch: Batch, *, kind: str = RunKind.MAIN, reason: str = "") -> AllocationRun:
    _require_manager(user, batch)
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    reason = (reason or "").strip()
    runs = AllocationRun.objects.filter(batch=batch)
    open_run = runs.exclude(status__in=(RunStatus.PUBLISHED, RunStatus.CANCELLED)).first()
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
    accepted = Offer.objects.filter(batch=batch, status=OfferStatus.ACCEPTED)
    if kind == RunKind.MAIN and accepted.exists():
        raise SelectionError(
            _(
                "Sudah ada peserta yang menerima kursi, jadi alokasi utama tidak dapat diulang; "
                "gunakan alokasi susulan untuk kursi yang kosong."
            ),
            "kind",
        )
    if kind == RunKind.BACKFILL and not published.exists():
        raise SelectionError(_("Alokasi susulan hanya setelah alokasi utama diterbitkan."), "kind")

    classes = list(
        TrainingClass.objects.filter(program__batch=batch)
        .select_related("program", "region")
        .order_by("code")
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
    class_facts = {
        c.code: {
            "pk": c.pk,
            "name": c.name,
            "program": c.program.name,
            "level": c.program.level,
            "region": c.region_id or "",
        }
        for c in classes
    }

    kept_offers: list[Offer] = []
    excluded: set[int] = set()
    if kind == RunKind.BACKFILL:
        kept_offers = list(accepted.select_related("entry__application", "training_class"))
        excluded = {o.participant_id for o in kept_offers}
        excluded |= set(
            Offer.objects.filter(batch=batch, status__in=FINAL_REFUSALS).values_list(
                "participant_id", flat=True
            )
        )

    applications = []
    for app in allocatable_applications(batch).order_by("pk"):
        if app.participant_id in excluded:
            continue
        choices = [
            class_codes[ch.training_class_id]
            for ch in sorted(app.choices.all(), key=lambda ch: ch.rank)
            if ch.training_class_id in class_codes
        ]
        if choices:
            applications.append((app, choices))

    people = [app.participant for app, _ in applications] + [o.participant for o in kept_offers]
    codes = _pseudonyms(batch, people)

    run = AllocationRun(
        batch=batch,
        number=(runs.aggregate(m=Max("number"))["m"] or 0) + 1,
        kind=kind,
        reason=reason,
        created_by=user,
        class_facts=class_facts,
    )
    entries: list[RunEntry] = []
    engine_applicants = []
    for app, choices in sorted(applications, key=lambda pair: codes[pair[0].participant_id]):
        p = app.participant
        cats = categories_of(p)
        code = codes[p.pk]
        engine_applicants.append(
            {"id": code, "choices": choices, "score": float(app.score), "categories": cats}
        )
        entries.append(
            RunEntry(
                code=code,
                participant=p,
                application=app,
                score=app.score,
                choices=choices,
                categories=cats,
                region_code=p.domicile_id or "",
            )
        )
    engine_kept = []
    for offer in sorted(kept_offers, key=lambda o: codes[o.participant_id]):
        code = codes[offer.participant_id]
        engine_kept.append({"applicant": code, "class": offer.training_class.code, "seat": offer.seat_kind})
        entries.append(
            RunEntry(
                code=code,
                participant_id=offer.participant_id,
                application=offer.entry.application,
                score=offer.entry.score,
                choices=offer.entry.choices,
                categories=offer.categories,
                region_code=offer.region_code,
                kept=True,
                assigned_class=offer.training_class,
                seat_kind=offer.seat_kind,
            )
        )
    run.engine_input = {"classes": engine_classes, "applicants": engine_applicants}
    if engine_kept:
        run.engine_input["kept"] = engine_kept
    try:
        # The hash leaves the seed out, so any placeholder will do before it is drawn.
        run.input_sha256 = parse_input({**run.engine_input, "seed": 0}).sha256
    except AllocationInputError as exc:
        raise SelectionError(_("Data kelas atau pendaftar tidak valid: %(msg)s") % {"msg": exc}) from exc
    run.save()
    for e in entries:
        e.run = run
    RunEntry.objects.bulk_create(entries, batch_size=2000)
    return run


def _pseudonyms(batch: Batch, people: Iterable[Participant]) -> dict[int, str]:
    """The participants' pseudonyms in the batch, creating the missing ones in order of their pk.
    Sequential codes under the batch lock: short, collision-free, and they reveal nothing about the person."""
    existing = dict(Pseudonym.objects.filter(batch=batch).values_list("participant_id", "code"))
    last = max((int(code[len(PSEUDONYM_PREFIX) :]) for code in existing.values()), default=0)
    new = []
    for pk in sorted({p.pk for p in people} - existing.keys()):
        last += 1
        code = f"{PSEUDONYM_PREFIX}{last:06d}"
        existing[pk] = code
        new.append(Pseudonym(batch=batch, participant_id=pk, code=code))
    Pseudonym.objects.bulk_create(new, batch_size=2000)
    return existing


def _locked_run(run: AllocationRun, *expected: str) -> AllocationRun:
    locked = AllocationRun.objects.select_for_update().select_related("batch").get(pk=run.pk)
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
def compute(user, run: AllocationRun) -> AllocationRun:
    _require_manager(user, run.batch)
    run = _locked_run(run, RunStatus.SEEDED)
    inp = parse_input(engine_document(run))
    if inp.sha256 != run.input_sha256:  # the frozen input was tampered with after the hash went out
        raise SelectionError(_("Masukan tidak sama dengan hash yang diumumkan; alokasi tidak dijalankan."))
    doc = result_to_json(allocate(inp))
    class_pks = {code: facts["pk"] for code, facts in run.class_facts.items()}
    entries = list(run.entries.filter(kept=False))
    for e in entries:
        got = doc["assignment"].get(e.code)
        e.assigned_class_id = class_pks[got] if got else None
        e.seat_kind = doc["reserved_seats"].get(e.code, OPEN) if got else ""
        e.explanations = doc["explanations"].get(e.code, [])
    # Nothing refers to the entries before publication, so writing them afresh (same frozen facts plus the
    # outcome) is one fast insert instead of a per-row CASE update that takes seconds on a real batch.
    run.entries.filter(kept=False).delete()
    for e in entries:
        e.pk = None
    RunEntry.objects.bulk_create(entries, batch_size=2000)
    # Exactly what `sinergi allocate` prints for the downloaded input.
    run.result = json.dumps(doc, ensure_ascii=False)
    run.computed_by = user
    run.computed_at = timezone.now()
    run.status = RunStatus.COMPUTED
    run.save()
    return run


# --------------------------------------------------------------------------------------------------
# Step 4: publish and offer the seats


@dataclass(frozen=True)
class PublishSummary:
    offers: int
    superseded: int
    withdrawn: int


@_as_actor
@transaction.atomic
def publish(user, run: AllocationRun, *, response_days: int = DEFAULT_RESPONSE_DAYS) -> PublishSummary:
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
    live = {
        o.participant_id: o
        for o in Offer.objects.select_for_update().filter(batch=batch, status=OfferStatus.OFFERED)
    }
    withdrawn: list[Offer] = []
    if run.kind == RunKind.MAIN:
        # A re-run replaces the earlier result wholesale (no one has accepted yet: create_run checked).
        withdrawn = list(live.values())
        live = {}
    entries = list(run.entries.filter(kept=False).select_related("participant__user", "assigned_class"))
    superseded: list[Offer] = []
    new_offers: list[Offer] = []
    for e in entries:
        if e.assigned_class_id is None:
            continue
        current = live.get(e.participant_id)
        if current is not None:
            if current.training_class_id == e.assigned_class_id:
                continue  # same seat as before: the earlier offer and its deadline stand
            superseded.append(current)
        new_offers.append(
            Offer(
                batch=batch,
                run=run,
                entry=e,
                participant_id=e.participant_id,
                training_class_id=e.assigned_class_id,
                seat_kind=e.seat_kind or OPEN,
                categories=e.categories,
                region_code=e.region_code,
                deadline=deadline,
            )
        )
    for old, status in [(o, OfferStatus.WITHDRAWN) for o in withdrawn] + [
        (o, OfferStatus.SUPERSEDED) for o in superseded
    ]:
        old.status = status
        old.responded_at = now
        old.save(update_fields=["status", "responded_at"])
    Offer.objects.bulk_create(new_offers, batch_size=2000)

    run.status = RunStatus.PUBLISHED
    run.published_by = user
    run.published_at = now
    run.response_deadline = deadline
    run.save()
    if batch.status != Batch.Status.ALLOCATED:
        batch.status = Batch.Status.ALLOCATED
        batch.save(update_fields=["status"])
    _notify_published(run, entries, new_offers, superseded, withdrawn)
    record_bulk(
        actor=user,
        target=run,
        operation=_("Hasil alokasi diterbitkan"),
        counts={
            _("tawaran baru"): len(new_offers),
            _("tawaran diganti"): len(superseded),
            _("tawaran ditarik"): len(withdrawn),
        },
    )
    return PublishSummary(len(new_offers), len(superseded), len(withdrawn))


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


def _notify_published(
    run: AllocationRun,
    entries: list[RunEntry],
    new_offers: list[Offer],
    superseded: list[Offer],
    withdrawn: list[Offer],
) -> None:
    url = reverse("selection:my_results")
    offered = {o.participant_id for o in new_offers}
    users = {e.participant_id: e.participant.user for e in entries}
    for offer in new_offers:
        user = users.get(offer.participant_id)
        if user is None:
            continue
        notify(
            user,
            _("Anda mendapat kursi pelatihan"),
            _("Anda mendapat kursi di kelas %(cls)s. Terima atau tolak sebelum %(deadline)s.")
            % {
                "cls": offer.training_class,
                "deadline": timezone.localtime(offer.deadline).strftime("%d-%m-%Y %H:%M"),
            },
            url,
            dedupe_key=f"selection:offer:{offer.pk}",
        )
    for old in withdrawn:
        if old.participant_id in offered or old.participant.user is None:
            continue
        notify(
            old.participant.user,
            _("Tawaran kursi dibatalkan"),
            _("Alokasi kursi gelombang ini diulang; tawaran sebelumnya tidak berlaku lagi."),
            url,
            dedupe_key=f"selection:withdrawn:{old.pk}",
        )
    if run.kind == RunKind.MAIN:
        for e in entries:
            user = users.get(e.participant_id)
            if e.assigned_class_id is None and user is not None:
                notify(
                    user,
                    _("Hasil seleksi kelas pelatihan"),
                    _(
                        "Anda belum mendapat kursi pada gelombang ini. "
                        "Lihat penjelasannya di halaman hasil seleksi."
                    ),
                    url,
                    dedupe_key=f"selection:result:{run.pk}:{e.participant_id}",
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
        enrol(offer.participant, training_class)
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
    return count


@job_handler("selection.expire_offers")
def expire_offers_job(job, **params: Any) -> dict[str, Any]:
    return {"expired": expire_offers()}
