"""Allocation runs, the frozen applicants of each run, pseudonyms and the seat offers they produce.

A run moves through four steps, each recorded with who and when:

1. ``hash_published`` — the inputs are frozen (classes with seats, and one :class:`RunEntry` per
   applicant with the score, ranked choices and categories of that moment) and the engine's input hash
   is published. No seed exists yet, so nobody can tune the inputs to a known lottery.
2. ``seeded`` — the lottery seed is drawn (``secrets``), only after the hash is out.
3. ``computed`` — the engine has run (dry run); the result can be reviewed, nothing is offered yet.
4. ``published`` — offers go out. A published run refuses every further change; a re-run is a new run
   with its reason.

The engine sees pseudonyms only ("p000123", one per participant and batch, kept in :class:`Pseudonym`),
so the auditor's download is anonymous and a participant keeps the same pseudonym in a batch's main
run and its backfill runs.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.programs.models import Batch, TrainingClass
from sinergi.registration.models import Application, Participant


class PublishedRunError(Exception):
    """Something tried to change a published allocation run or its frozen entries."""


class RunKind(models.TextChoices):
    MAIN = "utama", _("Alokasi utama")
    BACKFILL = "susulan", _("Alokasi susulan (kursi kosong)")


class RunStatus(models.TextChoices):
    HASH_PUBLISHED = "hash_published", _("Masukan dibekukan, hash diumumkan")
    SEEDED = "seeded", _("Angka undian sudah ditarik")
    COMPUTED = "computed", _("Simulasi selesai, menunggu tinjauan")
    PUBLISHED = "published", _("Diterbitkan")
    CANCELLED = "cancelled", _("Dibatalkan")


class AllocationRunQuerySet(models.QuerySet["AllocationRun"]):
    def update(self, **kwargs: Any) -> int:
        # Bulk updates bypass save(); they must not slip past the immutability of published runs either.
        if self.filter(status=RunStatus.PUBLISHED).exists():
            raise PublishedRunError(_("Alokasi yang sudah diterbitkan tidak dapat diubah."))
        return super().update(**kwargs)


class AllocationRunManager(models.Manager["AllocationRun"]):
    def get_queryset(self) -> AllocationRunQuerySet:
        # The frozen input and the result run to tens of megabytes at national size; only the steps that
        # need them (dry run, auditor downloads) read them, each on first access.
        return AllocationRunQuerySet(self.model, using=self._db).defer(*AllocationRun.DOCUMENTS)


class AllocationRun(models.Model):
    DOCUMENTS = ("engine_input", "result")

    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, related_name="allocation_runs", verbose_name=_("gelombang")
    )
    number = models.PositiveIntegerField(_("nomor alokasi"))  # 1, 2, … within the batch
    kind = models.CharField(_("jenis"), max_length=10, choices=RunKind.choices, default=RunKind.MAIN)
    reason = models.TextField(_("alasan"), blank=True)
    status = models.CharField(
        _("tahap"), max_length=16, choices=RunStatus.choices, default=RunStatus.HASH_PUBLISHED
    )
    # Step 1: the frozen engine input without the seed (classes, applicants, kept), and its hash.
    engine_input = models.JSONField(_("masukan mesin alokasi"), default=dict, editable=False)
    input_sha256 = models.CharField(_("hash masukan (SHA-256)"), max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dibuat oleh")
    )
    created_at = models.DateTimeField(_("hash diumumkan"), auto_now_add=True)
    # Step 2.
    seed = models.PositiveBigIntegerField(_("angka undian (seed)"), null=True, blank=True, editable=False)
    seed_drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    seed_drawn_at = models.DateTimeField(_("undian ditarik"), null=True, blank=True)
    # Step 3: the engine's output, kept as the very text `sinergi allocate` prints for the downloaded
    # input, so an auditor can compare files byte for byte (a JSON column would reorder the keys).
    result = models.TextField(_("hasil"), blank=True, editable=False)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    computed_at = models.DateTimeField(_("simulasi dijalankan"), null=True, blank=True)
    # Totals and the per category / region / level tallies of the dry run (a few kB), so the review page
    # never reads the entries; per-class figures are rows of RunClass.
    summary = models.JSONField(_("ringkasan"), default=dict, editable=False)
    # Step 4.
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("diterbitkan"), null=True, blank=True)
    response_deadline = models.DateTimeField(_("batas jawaban peserta"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)

    objects = AllocationRunManager()

    class Meta:
        ordering = ["batch", "-number"]
        verbose_name = _("alokasi kursi")
        verbose_name_plural = _("alokasi kursi")
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="allocation_run_number")]

    def __str__(self) -> str:
        return f"{self.batch} — alokasi #{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._stored_as_published():
            raise PublishedRunError(_("Alokasi yang sudah diterbitkan tidak dapat diubah."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.status == RunStatus.PUBLISHED or self._stored_as_published():
            raise PublishedRunError(_("Alokasi yang sudah diterbitkan tidak dapat dihapus."))
        return super().delete(*args, **kwargs)

    def _stored_as_published(self) -> bool:
        # Ask the database, not this instance: a stale copy of a since-published run must not get through.
        return bool(self.pk) and AllocationRun.objects.filter(pk=self.pk, status=RunStatus.PUBLISHED).exists()

    @property
    def is_published(self) -> bool:
        return self.status == RunStatus.PUBLISHED

    @property
    def is_open(self) -> bool:
        """Still being prepared: neither published nor cancelled."""
        return self.status not in (RunStatus.PUBLISHED, RunStatus.CANCELLED)

    @property
    def step(self) -> int:
        return {
            RunStatus.HASH_PUBLISHED: 1,
            RunStatus.SEEDED: 2,
            RunStatus.COMPUTED: 3,
            RunStatus.PUBLISHED: 4,
        }.get(RunStatus(self.status), 0)


class RunClass(models.Model):
    """A class of a run as frozen at snapshot time and, after the dry run, its figures and the outcome
    the engine's explanations are rendered from. One indexed row per class: the review page reads a page
    of them, a participant's result the few they ranked."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="classes")
    code = models.CharField(max_length=40)
    training_class = models.ForeignKey(TrainingClass, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=20, blank=True)
    region_code = models.CharField(max_length=13, blank=True)
    capacity = models.PositiveIntegerField(default=0)
    reserved = models.JSONField(default=dict)  # {category: seats}
    # After the dry run.
    filled = models.PositiveIntegerField(default=0)
    reserved_filled = models.JSONField(default=dict)  # {category: seats taken}
    waitlist = models.PositiveIntegerField(default=0)
    cutoff = models.FloatField(null=True, blank=True)  # lowest admitted score on the open seats
    outcome = models.JSONField(default=dict)  # engine.AllocationResult.class_outcome()

    class Meta:
        verbose_name = _("kelas alokasi")
        verbose_name_plural = _("kelas alokasi")
        constraints = [models.UniqueConstraint(fields=["run", "code"], name="run_class_code")]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.code}"

    @property
    def open_seats(self) -> int:
        return max(self.capacity - self.filled, 0)

    @property
    def percent(self) -> float:
        return round(100 * self.filled / self.capacity, 1) if self.capacity else 0.0


class Pseudonym(models.Model):
    """The participant's stable pseudonym within a batch; the only id the engine and auditors see."""

    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=12)

    class Meta:
        verbose_name = _("pseudonim")
        verbose_name_plural = _("pseudonim")
        constraints = [
            models.UniqueConstraint(fields=["batch", "participant"], name="pseudonym_participant"),
            models.UniqueConstraint(fields=["batch", "code"], name="pseudonym_code"),
        ]

    def __str__(self) -> str:
        return self.code


class RunEntryQuerySet(models.QuerySet["RunEntry"]):
    def update(self, **kwargs: Any) -> int:
        if self.filter(run__status=RunStatus.PUBLISHED).exists():
            raise PublishedRunError(_("Data alokasi yang sudah diterbitkan tidak dapat diubah."))
        return super().update(**kwargs)


class RunEntry(models.Model):
    """One applicant of a run as frozen at snapshot time, and (after the dry run) what they got.

    The private side of the pseudonym: it links the engine's id back to the person and keeps the
    region of domicile for the review statistics, so later profile edits change nothing here."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="entries")
    code = models.CharField(_("pseudonim"), max_length=12)
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=6, decimal_places=2)
    choices = models.JSONField(default=list)  # class codes, first choice first
    categories = models.JSONField(default=list)
    region_code = models.CharField(max_length=13, blank=True)  # kab/kota of domicile at snapshot time
    # A backfill run's applicant who already accepted a seat: held, not re-matched.
    kept = models.BooleanField(default=False)
    assigned_class = models.ForeignKey(
        TrainingClass, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    seat_kind = models.CharField(max_length=20, blank=True)  # "open" or a reserved category
    # Position on the waiting list of each choice ranked above the seat got (1 = next in line), in
    # choice order. With choices, score, categories and the classes' RunClass.outcome these are the
    # explanation's inputs; the text is rendered when the participant looks.
    waitlist = models.JSONField(default=list)

    objects = RunEntryQuerySet.as_manager()

    class Meta:
        # No default ordering: a run holds up to a million entries; every read orders what it needs.
        verbose_name = _("peserta alokasi")
        verbose_name_plural = _("peserta alokasi")
        indexes = [
            # The review page's "without a seat, best score first" list, read a page at a time.
            models.Index(
                fields=["run", "-score", "code"],
                condition=models.Q(kept=False, assigned_class__isnull=True),
                name="run_entry_unassigned",
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["run", "code"], name="run_entry_code"),
            models.UniqueConstraint(fields=["run", "participant"], name="run_entry_participant"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.code}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk and AllocationRun.objects.filter(pk=self.run_id, status=RunStatus.PUBLISHED).exists():
            raise PublishedRunError(_("Data alokasi yang sudah diterbitkan tidak dapat diubah."))
        super().save(*args, **kwargs)


class OfferStatus(models.TextChoices):
    OFFERED = "offered", _("Menunggu jawaban")
    ACCEPTED = "accepted", _("Diterima")
    DECLINED = "declined", _("Ditolak")
    EXPIRED = "expired", _("Kedaluwarsa")
    SUPERSEDED = "superseded", _("Diganti tawaran pilihan yang lebih tinggi")
    WITHDRAWN = "withdrawn", _("Dibatalkan karena alokasi ulang")


# Offers that stand for a seat in the metrics: replaced and withdrawn ones were re-issued to the same person.
COUNTED_OFFER_STATUSES = (
    OfferStatus.OFFERED,
    OfferStatus.ACCEPTED,
    OfferStatus.DECLINED,
    OfferStatus.EXPIRED,
)
# A participant with one of these in a batch is out of later backfill runs.
FINAL_REFUSALS = (OfferStatus.DECLINED, OfferStatus.EXPIRED)


class Offer(models.Model):
    """A seat offered to a participant by a published run; they accept or decline before the deadline."""

    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="seat_offers")
    run = models.ForeignKey(AllocationRun, on_delete=models.PROTECT, related_name="offers")
    entry = models.OneToOneField(RunEntry, on_delete=models.PROTECT, related_name="offer")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="seat_offers")
    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.PROTECT, related_name="seat_offers", verbose_name=_("kelas")
    )
    seat_kind = models.CharField(_("jenis kursi"), max_length=20, default="open")
    # Frozen with the run, so metrics split by category and region do not move when a profile changes.
    categories = models.JSONField(default=list)
    region_code = models.CharField(max_length=13, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=OfferStatus.choices, default=OfferStatus.OFFERED
    )
    deadline = models.DateTimeField(_("batas jawaban"))
    responded_at = models.DateTimeField(_("waktu jawaban"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tawaran kursi")
        verbose_name_plural = _("tawaran kursi")
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["training_class", "status"]),
        ]
        constraints = [
            # One live offer (waiting or accepted) per person and batch, whatever the code path.
            models.UniqueConstraint(
                fields=["batch", "participant"],
                condition=models.Q(status__in=["offered", "accepted"]),
                name="one_live_offer_per_batch",
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.training_class_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == OfferStatus.OFFERED


class ResultEmail(models.Model):
    """One e-mail of a publish, written with the in-app notification in the publish's transaction and sent
    afterwards by a job in batches. ``key`` is the idempotency key (the notification's dedupe key): the
    same event never gets a second row, and a row claimed by a sender is never sent again."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("surel hasil alokasi")
        verbose_name_plural = _("surel hasil alokasi")
        indexes = [
            models.Index(
                fields=["run", "id"], condition=models.Q(claimed_at__isnull=True), name="result_email_todo"
            )
        ]

    def __str__(self) -> str:
        return self.key
