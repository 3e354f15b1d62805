"""Tracer surveys: what graduates do after training (job, income, business), asked in rounds a set
number of months after completion, through a personal link that needs no login.

A survey's questions are data (see answers.py) kept in versions: a version that has been answered is
never changed; editing the survey then writes a new version, and every response keeps the version it
answered. A round belongs to a programme; each graduate (completed enrolment) gets one invitation per
round and at most one response per invitation: a second submit edits it.

The minimum-wage table (province × year, with its source) is reference data for the "income above a
multiple of the minimum wage" metric, kept by the national admin.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.learning.models import Enrolment
from sinergi.programs.models import Program
from sinergi.regions.models import Region


class Survey(models.Model):
    slug = models.SlugField(_("kode survei"), max_length=60, unique=True)
    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("pengantar"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("survei")
        verbose_name_plural = _("survei")

    def __str__(self) -> str:
        return self.title

    @property
    def current_version(self) -> SurveyVersion | None:
        return self.versions.order_by("-number").first()


class SurveyVersion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("versi"))
    questions = models.JSONField(_("pertanyaan"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["survey", "number"]
        verbose_name = _("versi survei")
        verbose_name_plural = _("versi survei")
        constraints = [models.UniqueConstraint(fields=["survey", "number"], name="survey_version_unique")]

    def __str__(self) -> str:
        return f"{self.survey} v{self.number}"

    def save(self, *args, **kwargs):
        # Answers are read against the questions they answered: an answered version stays as it is.
        if self.pk and self.responses.exists():
            stored = SurveyVersion.objects.filter(pk=self.pk).values_list("questions", flat=True).first()
            if stored != self.questions:
                raise ValidationError(
                    _("Versi survei yang sudah dijawab tidak dapat diubah; simpan sebagai versi baru.")
                )
        super().save(*args, **kwargs)

    def question(self, code: str) -> dict | None:
        return next((q for q in self.questions if q.get("code") == code), None)


class TracerRound(models.Model):
    """A round of a programme's tracer: sent `offset_months` after each graduate's completion, for
    `window_days` (a round added late does not ask a 3-month question a year after training)."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="tracer_rounds", verbose_name=_("program")
    )
    survey = models.ForeignKey(
        Survey, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("survei")
    )
    offset_months = models.PositiveSmallIntegerField(
        _("bulan setelah lulus"), help_text=_("Misalnya 3 atau 12.")
    )
    window_days = models.PositiveSmallIntegerField(
        _("masa pengiriman (hari)"),
        default=60,
        help_text=_("Lulusan yang jatuh temponya lebih lama dari ini tidak diundang lagi pada putaran ini."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "offset_months"]
        verbose_name = _("putaran tracer")
        verbose_name_plural = _("putaran tracer")
        constraints = [
            models.UniqueConstraint(fields=["program", "offset_months"], name="tracer_round_unique"),
            models.CheckConstraint(
                condition=models.Q(offset_months__gte=1, offset_months__lte=60), name="tracer_round_offset"
            ),
        ]

    def __str__(self) -> str:
        return _("%(program)s — %(n)s bulan") % {"program": self.program.name, "n": self.offset_months}


class TracerInvitation(models.Model):
    """One graduate's invitation to one round. Sending is claimed (sent_at) before the e-mail leaves and
    each reminder is claimed by raising reminders_sent, so a job run twice sends nothing twice."""

    MAX_REMINDERS = 2
    VALID_DAYS = 120

    round = models.ForeignKey(TracerRound, on_delete=models.CASCADE, related_name="invitations")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="tracer_invitations")
    email = models.EmailField(_("e-mail"), blank=True)
    # The participant's answer at registration, as it was when the round invited them (before → after).
    activity_before = models.CharField(_("kegiatan sebelum pelatihan"), max_length=15, blank=True)
    due_on = models.DateField(_("jatuh tempo"))
    expires_at = models.DateTimeField(_("berlaku sampai"))
    sent_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("terkirim ke server penerima"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("ditolak server penerima"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("pengingat terkirim"), default=0)
    # The scheduler's day of the last e-mail (first or reminder): the next reminder counts from it.
    last_contact_on = models.DateField(null=True, blank=True)
    answered_at = models.DateTimeField(_("dijawab"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "pk"]
        verbose_name = _("undangan tracer")
        verbose_name_plural = _("undangan tracer")
        constraints = [
            models.UniqueConstraint(fields=["round", "enrolment"], name="tracer_invitation_once"),
            models.CheckConstraint(
                condition=models.Q(reminders_sent__lte=2), name="tracer_invitation_two_reminders"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} — {self.enrolment.participant.full_name}"


class TracerResponse(models.Model):
    invitation = models.OneToOneField(TracerInvitation, on_delete=models.CASCADE, related_name="response")
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="responses")
    answers = models.JSONField(_("jawaban"), default=dict)
    submitted_at = models.DateTimeField(_("pertama dijawab"), auto_now_add=True)
    updated_at = models.DateTimeField(_("terakhir diubah"), auto_now=True)
    edits = models.PositiveSmallIntegerField(_("jumlah perubahan"), default=0)

    class Meta:
        ordering = ["-submitted_at", "pk"]
        verbose_name = _("jawaban tracer")
        verbose_name_plural = _("jawaban tracer")

    def __str__(self) -> str:
        return f"{self.invitation}"


class MinimumWage(models.Model):
    """Upah minimum provinsi (UMP) of one province and year, with where the figure comes from (the
    governor's decree). Loaded with `sinergi load_minimum_wages` or entered by the national admin."""

    province = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.PROVINCE},
        verbose_name=_("provinsi"),
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    amount = models.PositiveIntegerField(_("UMP per bulan (Rp)"))
    source = models.CharField(
        _("sumber"), max_length=300, help_text=_("Mis. nomor Keputusan Gubernur dan tanggalnya.")
    )
    source_url = models.URLField(_("tautan sumber"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["province", "-year"]
        verbose_name = _("upah minimum provinsi")
        verbose_name_plural = _("upah minimum provinsi")
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="minimum_wage_once")]

    def __str__(self) -> str:
        return f"{self.province.name} {self.year}: Rp {self.amount:,}".replace(",", ".")
