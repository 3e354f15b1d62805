"""Participants (one per NIK), their applications to a batch with ranked class choices, duplicate flags."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core import pii
from sinergi.programs.models import Batch, Category, Education, TrainingClass
from sinergi.regions.models import Region


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class ActivityStatus(models.TextChoices):
    """A person's main activity, asked at registration (before training) and again by the tracer survey
    (after), with the same codes, so the two can be compared."""

    FULL_TIME = "bekerja_penuh", _("Bekerja penuh waktu")
    PART_TIME = "bekerja_paruh", _("Bekerja paruh waktu")
    SELF_EMPLOYED = "wirausaha", _("Berwirausaha")
    STUDYING = "studi", _("Melanjutkan studi")
    JOB_SEEKING = "mencari_kerja", _("Sedang mencari kerja")
    NOT_AVAILABLE = "belum_bekerja", _("Belum memungkinkan bekerja")


# Counted as employed by the tracer metrics (outcomes.employed_after).
EMPLOYED_ACTIVITIES = (ActivityStatus.FULL_TIME, ActivityStatus.PART_TIME, ActivityStatus.SELF_EMPLOYED)


class Participant(models.Model):
    """A person who registers or is imported. The NIK is never stored in clear (see pii.py)."""

    class DuplicateStatus(models.TextChoices):
        CLEAR = "clear", _("Tidak ada indikasi ganda")
        FLAGGED = "flagged", _("Diduga ganda — menunggu tinjauan admin")
        CONFIRMED_DISTINCT = "distinct", _("Ditinjau: orang berbeda")
        CONFIRMED_DUPLICATE = "duplicate", _("Ditinjau: data ganda")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participant",
        help_text=_("Kosong untuk peserta hasil impor yang belum membuat akun."),
    )
    nik_hash = models.CharField(max_length=64, unique=True, editable=False)
    nik_encrypted = models.TextField(editable=False)
    kk_encrypted = models.TextField(editable=False, blank=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    birth_date = models.DateField(_("tanggal lahir"))
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    domicile = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("domisili (kab/kota)")
    )
    education = models.CharField(
        _("pendidikan terakhir"), max_length=4, choices=Education.choices, blank=True
    )
    category = models.CharField(_("kategori"), max_length=10, choices=Category.choices, default=Category.UMUM)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    has_disability = models.BooleanField(_("penyandang disabilitas"), default=False)
    # Optional; its value when a tracer round invites the person is kept with the invitation.
    activity_before = models.CharField(
        _("kegiatan utama sebelum pelatihan"), max_length=15, choices=ActivityStatus.choices, blank=True
    )
    consent_version = models.CharField(_("versi pemberitahuan privasi"), max_length=20, blank=True)
    consented_at = models.DateTimeField(_("waktu persetujuan"), null=True, blank=True)
    duplicate_status = models.CharField(
        _("status data ganda"), max_length=10, choices=DuplicateStatus.choices, default=DuplicateStatus.CLEAR
    )
    # Set once, when an approved erasure replaced the personal fields with a pseudonym (privacy.py).
    erased_at = models.DateTimeField(_("data pribadi dihapus"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["full_name", "pk"]
        verbose_name = _("peserta")
        verbose_name_plural = _("peserta")
        indexes = [models.Index(fields=["birth_date", "full_name"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.masked_nik})"

    def set_nik(self, nik: str) -> None:
        nik = pii.normalise_number(nik)
        self.nik_hash = pii.keyed_hash(nik)
        self.nik_encrypted = pii.encrypt(nik)

    @property
    def nik(self) -> str:
        return pii.decrypt(self.nik_encrypted)

    @property
    def masked_nik(self) -> str:
        return pii.mask(self.nik)

    @property
    def is_allocatable(self) -> bool:
        return self.duplicate_status in (self.DuplicateStatus.CLEAR, self.DuplicateStatus.CONFIRMED_DISTINCT)


class DuplicateFlag(models.Model):
    """Two participants who look like the same person (same birth date, similar name, different NIK)."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Menunggu tinjauan")
        DISTINCT = "distinct", _("Orang berbeda")
        DUPLICATE = "duplicate", _("Data ganda")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="duplicate_flags")
    similar_to = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField(_("kemiripan nama"))
    decision = models.CharField(
        _("keputusan"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("dugaan data ganda")
        verbose_name_plural = _("dugaan data ganda")
        constraints = [
            models.UniqueConstraint(fields=["participant", "similar_to"], name="duplicate_flag_pair_unique")
        ]


class Application(models.Model):
    """A participant's application to one batch; the ranked class choices hang off it.

    One per participant and batch, enforced by the database, so a double submit or two concurrent
    requests can never create two.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Terkirim")
        WITHDRAWN = "withdrawn", _("Ditarik")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="applications")
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    # Selection score (e.g. an online test); higher ranks first at every class. Ties go to the lottery.
    score = models.DecimalField(_("nilai seleksi"), max_digits=6, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pendaftaran")
        verbose_name_plural = _("pendaftaran")
        constraints = [
            models.UniqueConstraint(fields=["participant", "batch"], name="one_application_per_batch")
        ]

    def __str__(self) -> str:
        return f"{self.participant} → {self.batch}"


class ApplicationChoice(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="choices")
    training_class = models.ForeignKey(TrainingClass, on_delete=models.PROTECT, related_name="choices")
    rank = models.PositiveSmallIntegerField(_("urutan pilihan"))

    class Meta:
        ordering = ["application", "rank"]
        verbose_name = _("pilihan kelas")
        verbose_name_plural = _("pilihan kelas")
        constraints = [
            models.UniqueConstraint(fields=["application", "rank"], name="choice_rank_unique"),
            models.UniqueConstraint(fields=["application", "training_class"], name="choice_class_unique"),
        ]


class Invitation(models.Model):
    """An e-mail inviting an imported participant to claim their record as an account.

    The link carries this row's id signed with the site's key; it works once (``used_at``), for
    ``VALID_DAYS`` days, and only while it is the person's newest invitation (a re-send replaces it)."""

    VALID_DAYS = 14

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    sent_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    used_at = models.DateTimeField(_("dipakai"), null=True, blank=True)
    replaced_at = models.DateTimeField(_("diganti undangan baru"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("undangan akun peserta")
        verbose_name_plural = _("undangan akun peserta")
        indexes = [models.Index(fields=["participant", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.participant_id} ({self.created_at:%Y-%m-%d})"


class PersonalDataView(models.Model):
    """One display of a participant's unmasked personal data (NIK, KK, NIP, birth date, phone) to
    someone other than the person: who, whose, when, on which page (UU 27/2022: the data subject may
    know who accessed their data). The participant reads their own rows on /peserta/data-saya/."""

    class Field(models.TextChoices):
        NIK = "nik", _("NIK")
        KK = "kk", _("Nomor KK")
        NIP = "nip", _("NIP")
        BIRTH_DATE = "birth_date", _("Tanggal lahir")
        PHONE = "phone", _("Nomor HP")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="data_views")
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept as text so the row still says who it was after that account is closed.
    viewer_name = models.CharField(_("dilihat oleh"), max_length=250)
    fields = models.JSONField(_("data yang ditampilkan"), default=list)
    page = models.CharField(_("alamat halaman"), max_length=300)
    # The page's Indonesian title as a catalogue msgid, translated when shown.
    page_title = models.CharField(_("halaman"), max_length=150)
    viewed_at = models.DateTimeField(_("waktu"), db_index=True)

    class Meta:
        ordering = ["-viewed_at", "-pk"]
        verbose_name = _("tampilan data pribadi")
        verbose_name_plural = _("tampilan data pribadi")
        indexes = [models.Index(fields=["participant", "-viewed_at"], name="data_view_of_participant")]

    def __str__(self) -> str:
        return f"{self.viewer_name} → {self.participant_id} ({self.viewed_at:%Y-%m-%d %H:%M})"

    @property
    def field_labels(self) -> list[str]:
        labels = dict(self.Field.choices)
        return [str(labels.get(code, code)) for code in self.fields]


class ErasureRequest(models.Model):
    """A participant's request to erase their personal data, decided by an officer of their region
    within the legal period (`due_at`). Approval pseudonymises the record (privacy.erase); neither a
    decision nor the erasure can be undone."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu keputusan")
        APPROVED = "approved", _("Disetujui — data telah dihapus")
        REFUSED = "refused", _("Ditolak")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="erasure_requests")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(_("diajukan"))
    due_at = models.DateTimeField(_("batas waktu keputusan"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    reason = models.TextField(_("alasan"), blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("permintaan penghapusan data")
        verbose_name_plural = _("permintaan penghapusan data")
        constraints = [
            # A second click or a second tab finds the first request; never two pending at once.
            models.UniqueConstraint(
                fields=["participant"],
                condition=models.Q(status="pending"),
                name="one_pending_erasure_per_participant",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.get_status_display()})"
