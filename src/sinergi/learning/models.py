"""Delivery of a class: enrolments, sessions, attendance, the programme's completion rule and
competency test results per SKKNI unit.

An enrolment is created when a participant accepts an allocated seat. Attendance is recorded per
session (by provider staff, by the participant scanning the session's QR code, or imported from an
LMS export). The completion rule is evaluated from those records (see completion.py); provider
staff confirm the proposed outcome, which sets Enrolment.status to completed / not_completed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Organization
from sinergi.programs.models import Program, TrainingClass
from sinergi.registration.models import Participant


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Mengikuti")
        COMPLETED = "completed", _("Lulus")
        NOT_COMPLETED = "not_completed", _("Tidak lulus")
        WITHDRAWN = "withdrawn", _("Mengundurkan diri")

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="enrolments")
    training_class = models.ForeignKey(TrainingClass, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.ACTIVE)
    final_score = models.DecimalField(_("nilai akhir"), max_digits=5, decimal_places=2, null=True, blank=True)
    # Tugas/tes yang dinyatakan lulus, as counted by the provider or the LMS.
    assignments_passed = models.PositiveSmallIntegerField(_("tugas/tes lulus"), default=0)
    completed_at = models.DateTimeField(_("waktu lulus"), null=True, blank=True)
    # Who confirmed the outcome, and when; the audit trail keeps every change besides.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dikonfirmasi oleh"),
    )
    decided_at = models.DateTimeField(_("waktu konfirmasi"), null=True, blank=True)
    # Why the provider decided other than the rule proposed (e.g. completed before the class ended).
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["training_class", "participant"]
        verbose_name = _("peserta kelas")
        verbose_name_plural = _("peserta kelas")
        constraints = [
            models.UniqueConstraint(fields=["participant", "training_class"], name="enrolment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.training_class}"


class CompletionRule(models.Model):
    """What a participant of a programme must achieve to complete (lulus). Every condition set must hold;
    a condition left empty (or 0) is not required. Without a rule the defaults of completion.py apply."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="completion_rule", verbose_name=_("program")
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("kehadiran minimal (%)"), default=80, help_text=_("Persentase sesi yang dihadiri, 0–100.")
    )
    min_assignments_passed = models.PositiveSmallIntegerField(
        _("jumlah tugas/tes lulus minimal"), default=0, help_text=_("0 berarti tidak disyaratkan.")
    )
    min_final_score = models.DecimalField(
        _("nilai akhir minimal"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Kosongkan bila nilai akhir tidak disyaratkan."),
    )
    requires_competent = models.BooleanField(
        _("wajib kompeten di semua unit"),
        default=False,
        help_text=_("Untuk skema sertifikasi: semua unit kompetensi program harus Kompeten."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("aturan kelulusan")
        verbose_name_plural = _("aturan kelulusan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_attendance_percent__lte=100), name="completion_rule_percent_max_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.program}: ≥ {self.min_attendance_percent} %"


class ClassSession(models.Model):
    """One meeting of a class (pertemuan)."""

    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("kelas")
    )
    number = models.PositiveSmallIntegerField(_("sesi ke-"))
    date = models.DateField(_("tanggal"))
    start_time = models.TimeField(_("jam mulai"))
    end_time = models.TimeField(_("jam selesai"))
    hours = models.DecimalField(_("jam pelajaran"), max_digits=4, decimal_places=1, default=0)
    topic = models.CharField(_("topik"), max_length=200)
    instructor = models.CharField(_("pengajar"), max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["training_class", "number"]
        verbose_name = _("sesi")
        verbose_name_plural = _("sesi")
        constraints = [
            models.UniqueConstraint(fields=["training_class", "number"], name="session_number_unique"),
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.training_class.code} #{self.number} {self.topic}"


class Attendance(models.Model):
    class Method(models.TextChoices):
        CHECKLIST = "checklist", _("Daftar hadir")
        QR = "qr", _("Pindai QR")
        IMPORT = "import", _("Impor LMS")

    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="attendances")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    present = models.BooleanField(_("hadir"), default=True)
    method = models.CharField(_("cara pencatatan"), max_length=10, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session", "enrolment"]
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_once_per_session")
        ]


class CompetencyUnit(models.Model):
    """A unit of an SKKNI standard (e.g. J.620100.004.02 Menggunakan struktur data); a certification
    scheme (programme) lists the units it tests."""

    code = models.CharField(_("kode unit"), max_length=40, unique=True)
    title = models.CharField(_("judul unit"), max_length=250)
    programs = models.ManyToManyField(
        Program, blank=True, related_name="competency_units", verbose_name=_("skema/program")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit kompetensi")
        verbose_name_plural = _("unit kompetensi")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class CompetencyResult(models.Model):
    """The outcome of a competency test (uji kompetensi) of one participant on one unit."""

    class Outcome(models.TextChoices):
        KOMPETEN = "kompeten", _("Kompeten")
        BELUM_KOMPETEN = "belum_kompeten", _("Belum Kompeten")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="competency_results")
    unit = models.ForeignKey(
        CompetencyUnit, on_delete=models.PROTECT, related_name="results", verbose_name=_("unit kompetensi")
    )
    outcome = models.CharField(_("hasil"), max_length=15, choices=Outcome.choices)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="competency_results",
        verbose_name=_("asesor"),
    )
    assessor_name = models.CharField(
        _("nama asesor"), max_length=150, blank=True, help_text=_("Bila asesor tidak memiliki akun.")
    )
    lsp = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="competency_results",
        verbose_name=_("LSP"),
    )
    assessed_at = models.DateTimeField(_("waktu uji"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["enrolment", "unit"]
        verbose_name = _("hasil uji kompetensi")
        verbose_name_plural = _("hasil uji kompetensi")
        constraints = [
            # A re-test updates the result; the audit trail keeps the earlier outcome.
            models.UniqueConstraint(fields=["enrolment", "unit"], name="competency_result_once_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} {self.unit.code}: {self.get_outcome_display()}"

    @property
    def assessor_display(self) -> str:
        if self.assessor is not None:
            return self.assessor.get_full_name() or self.assessor.username
        return self.assessor_name
