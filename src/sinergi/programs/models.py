"""Academies, batches, programmes, their eligibility rules and the classes people apply to.

A batch is what a person applies in: they rank up to `max_choices` classes of the batch's
programmes, and one allocation run assigns the seats of a batch. A programme counts towards the
commitments of the agreements it is linked to.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Organization
from sinergi.regions.models import Region


class Level(models.TextChoices):
    DASAR = "dasar", _("Dasar")
    MENENGAH = "menengah", _("Menengah")
    LANJUT = "lanjut", _("Lanjut")


class Category(models.TextChoices):
    """Target categories of participants; also the categories seats can be reserved for."""

    ASN = "asn", _("ASN")
    PELAJAR = "pelajar", _("Pelajar/mahasiswa")
    GURU = "guru", _("Guru SD–SMA")
    UMKM = "umkm", _("Pelaku UMKM")
    UMUM = "umum", _("Umum")


class Education(models.TextChoices):
    """Last completed education, in ascending order (an eligibility rule sets a minimum)."""

    SD = "sd", _("SD")
    SMP = "smp", _("SMP")
    SMA = "sma", _("SMA/SMK")
    D3 = "d3", _("Diploma (D1–D3)")
    S1 = "s1", _("D4/S1")
    S2 = "s2", _("S2")
    S3 = "s3", _("S3")


# Reserved seats may also be kept for people with a disability, who can belong to any category.
DISABILITY = "disabilitas"
RESERVABLE_CATEGORIES = [*Category.values, DISABILITY]


class Academy(models.Model):
    """A family of programmes: the national DTS academies or a region's own (e.g. Pelatihan TI ASN Kotim)."""

    code = models.CharField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=150)
    description = models.TextField(_("deskripsi"), blank=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wilayah"),
        help_text=_("Kosongkan untuk akademi nasional."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("akademi")
        verbose_name_plural = _("akademi")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Batch(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        OPEN = "open", _("Pendaftaran dibuka")
        CLOSED = "closed", _("Pendaftaran ditutup")
        ALLOCATED = "allocated", _("Kursi sudah dibagi")

    name = models.CharField(_("nama gelombang"), max_length=150)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("wilayah")
    )
    organizer = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="batches", verbose_name=_("penyelenggara")
    )
    registration_opens = models.DateTimeField(_("pendaftaran dibuka"))
    registration_closes = models.DateTimeField(_("pendaftaran ditutup"))
    max_choices = models.PositiveSmallIntegerField(_("jumlah pilihan kelas maksimum"), default=3)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-registration_opens", "pk"]
        verbose_name = _("gelombang")
        verbose_name_plural = _("gelombang")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(registration_closes__gt=models.F("registration_opens")),
                name="batch_closes_after_opens",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def current_status(self, now=None) -> Batch.Status:
        """The status the dates make true: an open batch whose closing time has passed is closed even
        before anyone records it, so no page shows "open" for a window that is over."""
        now = now or timezone.now()
        status = Batch.Status(self.status)
        if status == Batch.Status.OPEN and self.registration_closes <= now:
            return Batch.Status.CLOSED
        return status

    def get_current_status_display(self) -> str:
        return str(self.current_status().label)

    def clean(self) -> None:
        """A status may not contradict the dates: "closed" with a closing time still ahead (closing
        early is the "Tutup pendaftaran" action, which moves the date too), or "open" for a window
        that is already over."""
        super().clean()
        opens, closes = self.registration_opens, self.registration_closes
        if not (opens and closes):
            return
        if closes <= opens:
            raise ValidationError(
                {"registration_closes": _("Pendaftaran ditutup harus sesudah waktu pendaftaran dibuka.")}
            )
        now = timezone.now()
        if self.status == Batch.Status.CLOSED and closes > now:
            raise ValidationError(
                {
                    "status": _(
                        "Status “Pendaftaran ditutup” tidak cocok dengan tanggal tutup yang belum lewat; "
                        "gunakan tombol “Tutup pendaftaran” untuk menutup sekarang."
                    )
                }
            )
        if self.status == Batch.Status.OPEN and closes <= now:
            raise ValidationError(
                {
                    "status": _(
                        "Tanggal tutup pendaftaran sudah lewat, jadi status tidak dapat “Pendaftaran "
                        "dibuka”: undur tanggal tutup atau pilih “Pendaftaran ditutup”."
                    )
                }
            )


class Program(models.Model):
    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, related_name="programs", verbose_name=_("gelombang")
    )
    academy = models.ForeignKey(
        Academy, on_delete=models.PROTECT, related_name="programs", verbose_name=_("akademi")
    )
    name = models.CharField(_("nama program"), max_length=200)
    description = models.TextField(_("deskripsi"), blank=True)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    target_categories = models.JSONField(
        _("kategori sasaran"), default=list, blank=True, help_text=_("Kosong berarti semua kategori.")
    )
    agreements = models.ManyToManyField(
        "partnerships.Agreement", blank=True, related_name="programs", verbose_name=_("kerja sama")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("wilayah")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["batch", "academy", "level", "name"]
        verbose_name = _("program")
        verbose_name_plural = _("program")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_level_display()})"


class EligibilityRule(models.Model):
    """One condition a person must meet to apply to a programme's classes; evaluated server-side.

    `params` by kind: age {"min": 17, "max": 29} (age on the batch's registration close date);
    category {"in": ["asn", "guru"]}; domicile {"regions": ["16", "16.71"]} (province or kab/kota codes);
    education {"min": "sma"}; asn_only {} (a valid NIP); not_enrolled_in_batch {};
    exclusion {"nik_hashes": [...], "reason": "..."}.
    """

    class Kind(models.TextChoices):
        AGE = "age", _("Rentang usia")
        CATEGORY = "category", _("Kategori peserta")
        DOMICILE = "domicile", _("Domisili")
        EDUCATION = "education", _("Pendidikan minimum")
        ASN_ONLY = "asn_only", _("Khusus ASN (NIP valid)")
        NOT_ENROLLED_IN_BATCH = "not_enrolled_in_batch", _("Belum terdaftar di kelas lain pada gelombang ini")
        EXCLUSION = "exclusion", _("Pengecualian")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("jenis aturan"), max_length=30, choices=Kind.choices)
    params = models.JSONField(_("parameter"), default=dict, blank=True)

    class Meta:
        ordering = ["program", "pk"]
        verbose_name = _("aturan kelayakan")
        verbose_name_plural = _("aturan kelayakan")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.params}"


class TrainingClass(models.Model):
    """A class (cohort) of a programme: the unit seats are allocated in."""

    class Mode(models.TextChoices):
        ONLINE = "daring", _("Daring")
        OFFLINE = "luring", _("Luring")
        HYBRID = "hybrid", _("Hibrida")

    class Precedence(models.TextChoices):
        OPEN_FIRST = "open_first", _("Kursi umum diisi lebih dulu")
        RESERVED_FIRST = "reserved_first", _("Kursi cadangan diisi lebih dulu")

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="classes", verbose_name=_("program")
    )
    code = models.CharField(_("kode kelas"), max_length=40, unique=True)
    name = models.CharField(_("nama kelas"), max_length=200)
    provider = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="classes",
        verbose_name=_("penyelenggara pelatihan"),
    )
    mode = models.CharField(_("moda"), max_length=10, choices=Mode.choices, default=Mode.ONLINE)
    venue = models.CharField(_("tempat"), max_length=200, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("wilayah")
    )
    starts_on = models.DateField(_("tanggal mulai"))
    ends_on = models.DateField(_("tanggal selesai"))
    schedule = models.CharField(_("jadwal"), max_length=200, blank=True)
    hours = models.PositiveSmallIntegerField(_("jumlah jam pelajaran"), default=0)
    capacity = models.PositiveIntegerField(_("kapasitas"))
    # {"asn": 9, "disabilitas": 3}: seats kept for a category (see RESERVABLE_CATEGORIES), within capacity.
    reserved_seats = models.JSONField(_("kursi cadangan per kategori"), default=dict, blank=True)
    precedence = models.CharField(
        _("urutan pengisian"), max_length=15, choices=Precedence.choices, default=Precedence.OPEN_FIRST
    )
    language = models.CharField(_("bahasa"), max_length=40, default="Bahasa Indonesia")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "code"]
        verbose_name = _("kelas")
        verbose_name_plural = _("kelas")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
