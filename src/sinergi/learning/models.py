"""Enrolments: a participant's place in a class, created when they accept an allocated seat."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.programs.models import TrainingClass
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
    completed_at = models.DateTimeField(_("waktu lulus"), null=True, blank=True)
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
