"""Agreements (MoU, nota kesepakatan, PKS, addendum), their parties, measurable commitments and the
audited lifecycle. Progress is computed by metrics.py from real records; CommitmentProgress keeps the
last computed value so pages read one row instead of counting again."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Organization
from sinergi.regions.models import Region


class AgreementType(models.TextChoices):
    MOU = "mou", _("MoU / Nota Kesepahaman")
    NOTA_KESEPAKATAN = "nota_kesepakatan", _("Nota Kesepakatan")
    PKS = "pks", _("Perjanjian Kerja Sama (PKS)")
    ADDENDUM = "addendum", _("Addendum")


class Scheme(models.TextChoices):
    KSDD = "KSDD", _("KSDD — antar-daerah")
    KSDPK = "KSDPK", _("KSDPK — daerah dengan pihak ketiga")
    KSDPL = "KSDPL", _("KSDPL — daerah dengan pemerintah luar negeri")
    KSDLL = "KSDLL", _("KSDLL — daerah dengan lembaga luar negeri")


class Status(models.TextChoices):
    USULAN = "usulan", _("Usulan")
    PEMBAHASAN = "pembahasan", _("Pembahasan")
    MENUNGGU_TTD = "menunggu_ttd", _("Menunggu Tanda Tangan")
    BERLAKU = "berlaku", _("Berlaku")
    SELESAI = "selesai", _("Selesai")
    DIPERPANJANG = "diperpanjang", _("Diperpanjang")
    DIHENTIKAN = "dihentikan", _("Dihentikan")
    KEDALUWARSA = "kedaluwarsa", _("Kedaluwarsa")


# Statuses whose agreements are signed public documents; drafts under discussion are not published.
PUBLIC_STATUSES = (Status.BERLAKU, Status.SELESAI, Status.DIPERPANJANG, Status.KEDALUWARSA)


class Topic(models.TextChoices):
    DIGITAL_TALENT = "digital_talent", _("Talenta digital")
    SMART_CITY = "smart_city", _("Kota cerdas (smart city)")
    ASN_TRAINING = "asn_training", _("Pelatihan ASN")
    DIGITAL_LITERACY = "digital_literacy", _("Literasi digital")
    CERTIFICATION = "certification", _("Sertifikasi")
    UMKM = "umkm", _("UMKM")
    EDUCATION = "education", _("Pendidikan")
    PUBLIC_SERVICE_APPS = "public_service_apps", _("Aplikasi pelayanan publik")


class Agreement(models.Model):
    type = models.CharField(_("jenis"), max_length=20, choices=AgreementType.choices)
    scheme = models.CharField(_("skema"), max_length=5, choices=Scheme.choices, default=Scheme.KSDPK)
    title = models.CharField(_("judul"), max_length=300)
    number = models.CharField(_("nomor"), max_length=120, blank=True)
    # A JSON list of Topic values: an agreement usually has two or three topics, filtering is by containment.
    topics = models.JSONField(_("topik"), default=list, blank=True)
    scope = models.TextField(_("ruang lingkup"), blank=True)
    signed_date = models.DateField(_("tanggal penandatanganan"), null=True, blank=True)
    signed_place = models.CharField(_("tempat penandatanganan"), max_length=120, blank=True)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal berakhir"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.USULAN, db_index=True
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("MoU induk"),
    )
    # The region that owns the record (its cooperation office enters and maintains it): the scoping key.
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("wilayah")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who receives the expiry reminders. Empty means the fallback in reminders.responsible_officers():
    # the creator plus the regional admins of the agreement's region.
    responsible_officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="responsible_agreements",
        verbose_name=_("petugas penanggung jawab"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("kerja sama")
        verbose_name_plural = _("kerja sama")

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    def topic_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [str(labels.get(t, t)) for t in self.topics]


class AgreementParty(models.Model):
    class Role(models.TextChoices):
        FIRST = "pihak_pertama", _("Pihak pertama")
        SECOND = "pihak_kedua", _("Pihak kedua")
        OTHER = "pihak_lain", _("Pihak lain")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="agreement_parties", verbose_name=_("organisasi")
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.OTHER)
    signatory_name = models.CharField(_("nama penanda tangan"), max_length=120, blank=True)
    signatory_position = models.CharField(_("jabatan penanda tangan"), max_length=120, blank=True)
    party_number = models.CharField(_("nomor kerja sama pihak"), max_length=120, blank=True)

    class Meta:
        ordering = ["agreement", "pk"]
        verbose_name = _("pihak kerja sama")
        verbose_name_plural = _("pihak kerja sama")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organization"], name="party_unique_per_agreement")
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class Commitment(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="commitments")
    title = models.CharField(_("komitmen"), max_length=300)
    metric_key = models.CharField(_("metrik"), max_length=60, default="manual")
    target_value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("satuan"), max_length=40)
    deadline = models.DateField(_("tenggat"))
    baseline = models.DecimalField(_("nilai awal"), max_digits=14, decimal_places=2, default=0)
    # Relative weight when rolling up into the agreement (and a PKS into its MoU).
    weight = models.DecimalField(_("bobot"), max_digits=6, decimal_places=2, default=1)
    # Optional split of the target, e.g. {"dasar": 6000, "menengah": 3000, "lanjut": 1000}.
    breakdown = models.JSONField(_("rincian target"), default=dict, blank=True)

    class Meta:
        ordering = ["agreement", "pk"]
        verbose_name = _("komitmen")
        verbose_name_plural = _("komitmen")

    def __str__(self) -> str:
        return self.title


class StatusChange(models.Model):
    """One step of an agreement's lifecycle: who moved it, when, and why."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("alasan"), blank=True)

    class Meta:
        ordering = ["agreement", "changed_at", "pk"]
        verbose_name = _("perubahan status")
        verbose_name_plural = _("perubahan status")

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.from_status} → {self.to_status}"


class AgreementDocument(models.Model):
    """A PDF kept with an agreement: the signed text, a review comment's attachment, monev evidence or a
    manual measurement's evidence. Stored under a random name; served only by a scoped view. The
    extracted text makes agreements findable by what their documents say."""

    class Kind(models.TextChoices):
        ATTACHMENT = "lampiran", _("Lampiran")
        COMMENT = "komentar", _("Lampiran komentar")
        MONEV = "monev", _("Bukti monev")
        EVIDENCE = "bukti", _("Bukti pengukuran")

    class TextStatus(models.TextChoices):
        READING = "dibaca", _("Sedang dibaca")
        READ = "terbaca", _("Terbaca")
        REFUSED = "ditolak", _("Ditolak")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.ATTACHMENT)
    file = models.FileField(_("berkas"), max_length=200)
    original_name = models.CharField(_("nama berkas"), max_length=200)
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    text = models.TextField(_("teks"), blank=True)
    # The text is read by a background job (a crafted PDF can make reading arbitrarily heavy): the
    # request only checks the size and header and stores the file.
    text_status = models.CharField(
        _("pembacaan teks"), max_length=10, choices=TextStatus.choices, default=TextStatus.READING
    )
    text_error = models.CharField(_("alasan penolakan"), max_length=300, blank=True)
    read_job = models.ForeignKey(
        "core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "-uploaded_at", "-pk"]
        verbose_name = _("dokumen kerja sama")
        verbose_name_plural = _("dokumen kerja sama")

    def __str__(self) -> str:
        return self.original_name


class ReviewComment(models.Model):
    """TKKSD review: a threaded discussion while the agreement is in Pembahasan, kept afterwards."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="review_comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("komentar"))
    attachment = models.ForeignKey(
        AgreementDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "created_at", "pk"]
        verbose_name = _("komentar pembahasan")
        verbose_name_plural = _("komentar pembahasan")

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.body[:40]}"


class MonevRound(models.Model):
    """A monitoring & evaluation round. `snapshot` freezes every commitment's value, percent and status
    at the moment the round is recorded, so later data never rewrites what the evaluators saw."""

    class Recommendation(models.TextChoices):
        CONTINUE = "dilanjutkan", _("Dilanjutkan")
        EXPAND = "diperluas", _("Diperluas")
        STOP = "dihentikan", _("Dihentikan")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="monev_rounds")
    evaluated_on = models.DateField(_("tanggal evaluasi"))
    period_label = models.CharField(_("periode"), max_length=60)
    recommendation = models.CharField(_("rekomendasi"), max_length=12, choices=Recommendation.choices)
    notes = models.TextField(_("catatan"), blank=True)
    evidence = models.ForeignKey(
        AgreementDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    snapshot = models.JSONField(_("potret komitmen"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "-evaluated_on", "-pk"]
        verbose_name = _("monev")
        verbose_name_plural = _("monev")

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.period_label}"


class ManualMeasurement(models.Model):
    """A value typed in by an officer, with its evidence: the only progress not counted from records."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="manual_measurements")
    value = models.DecimalField(_("nilai"), max_digits=14, decimal_places=2)
    evidence_note = models.TextField(_("keterangan bukti"), blank=True)
    evidence = models.ForeignKey(
        AgreementDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    measured_at = models.DateTimeField(_("waktu pengukuran"), auto_now_add=True)

    class Meta:
        ordering = ["commitment", "-measured_at", "-pk"]
        verbose_name = _("pengukuran manual")
        verbose_name_plural = _("pengukuran manual")

    def __str__(self) -> str:
        return f"{self.commitment_id}: {self.value}"


class CommitmentProgress(models.Model):
    """The value a commitment's metric had when it was last measured (metrics.py keeps it current).

    `definition` is the metric key and breakdown it was measured with: a commitment whose definition
    changed since is measured again before its value is shown. `stale` is set when records behind
    the value change and cleared by the refresh job that measures it again."""

    commitment = models.OneToOneField(
        Commitment, on_delete=models.CASCADE, primary_key=True, related_name="stored_progress"
    )
    value = models.DecimalField(_("nilai"), max_digits=16, decimal_places=2)
    measured_at = models.DateTimeField(_("waktu penghitungan"))
    definition = models.CharField(max_length=64)  # metrics.definition(): SHA-256 of metric and breakdown
    stale = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("kemajuan komitmen tersimpan")
        verbose_name_plural = _("kemajuan komitmen tersimpan")
        indexes = [models.Index(fields=["stale"], condition=models.Q(stale=True), name="progress_stale_idx")]

    def __str__(self) -> str:
        return f"{self.commitment_id}: {self.value} ({self.measured_at:%Y-%m-%d %H:%M})"
