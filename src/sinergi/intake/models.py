"""A draft agreement read from a pasted text or an uploaded PDF/DOCX, kept until an officer confirms it.

The source text is stored exactly as it was given to the extractor: every span in `extraction` points
into it, so the review page can highlight each value where it was found, today or when resumed later."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.regions.models import Region


class IntakeDraft(models.Model):
    class Status(models.TextChoices):
        READING = "reading", _("Sedang dibaca")
        DRAFT = "draft", _("Draf")
        CREATED = "created", _("Sudah dibuat")

    class SourceKind(models.TextChoices):
        TEXT = "text", _("Teks tempelan")
        PDF = "pdf", _("PDF")
        DOCX = "docx", _("DOCX")

    source_kind = models.CharField(_("sumber"), max_length=10, choices=SourceKind.choices)
    source_name = models.CharField(_("nama berkas"), max_length=200, blank=True)
    source_file = models.FileField(_("berkas asli"), upload_to="intake/%Y/%m/", blank=True)
    source_text = models.TextField(_("teks sumber"))
    # The extractor's rich result (values, confidences, character spans into source_text).
    extraction = models.JSONField(_("hasil ekstraksi"), default=dict)
    # The officer's corrections saved with "Simpan draf", as submitted (field name → list of values).
    form_data = models.JSONField(_("koreksi tersimpan"), default=dict, blank=True)
    # Why a long text read in the background could not be read (shown instead of the draft).
    error = models.CharField(_("galat"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    agreement = models.ForeignKey(
        "partnerships.Agreement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kerja sama yang dibuat"),
    )
    # The creator's work region: the scoping key (a regional admin sees drafts of their region only).
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("wilayah")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("draf kerja sama dari teks")
        verbose_name_plural = _("draf kerja sama dari teks")

    def __str__(self) -> str:
        return f"{self.get_source_kind_display()} #{self.pk}"

    @property
    def headline(self) -> str:
        """The first non-empty line of the source, for lists of drafts."""
        for line in self.source_text.splitlines():
            if len(line.strip()) > 15 and not line.strip().lower().startswith("banner"):
                return line.strip()[:120]
        return self.source_name or str(self)
