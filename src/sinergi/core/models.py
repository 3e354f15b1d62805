import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin


class Job(models.Model):
    """A background job with progress that a person can watch (imports, bulk issuing)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    kind = models.CharField(_("jenis"), max_length=60)
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveIntegerField(_("kemajuan"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.CharField(_("pesan"), max_length=300, blank=True)
    result = models.JSONField(_("hasil"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Set when the broker could not take the job (Redis down): it stays queued and is sent again by
    # core.jobs.requeue_stalled_jobs once the broker is back. Empty on the usual path (no extra write).
    undelivered_since = models.DateTimeField(null=True, blank=True)
    # Runs begun (a worker killed mid-way leaves the job running; the next run takes it over) and the
    # running worker's last sign of life, which tells a live run from an abandoned one.
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pekerjaan latar")
        verbose_name_plural = _("pekerjaan latar")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.progress * 100 / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def stalled(self) -> bool:
        """Running, but its worker has not been heard of for a lease: it died, and the job will be
        taken over (core.jobs.requeue_stalled_jobs)."""
        from datetime import timedelta

        from django.utils import timezone

        if self.status != self.Status.RUNNING or self.heartbeat_at is None:
            return False
        lease = timedelta(seconds=settings.SINERGI_JOB_LEASE_SECONDS)
        return self.heartbeat_at < timezone.now() - lease


class Notification(models.Model):
    """An in-app message to one user (reminders, allocation results, certificates)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(_("tautan"), max_length=300, blank=True)
    # Lets a sender make a message idempotent: the same key for the same user is stored once.
    dedupe_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # The e-mail copy is an outbox row: wanted when written, claimed once by the sending job, so a retried
    # or a second concurrent job never sends it again.
    email_wanted = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_once_per_key",
            )
        ]
        indexes = [
            models.Index(
                fields=["id"],
                condition=models.Q(email_wanted=True, emailed_at__isnull=True),
                name="notification_email_todo",
            )
        ]

    def __str__(self) -> str:
        return self.title


class RecoveryCodeDevice(ThrottlingMixin, TimestampMixin, Device):
    """The ten one-time recovery codes of a two-factor account, as a django-otp device so that a code
    verifies a session exactly as a TOTP code does. Only a SHA-256 of each code is stored: a code has
    80 random bits, so the hash cannot be reversed by guessing, and a copy of the database opens no
    account. A code used is deleted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_code_devices"
    )

    class Meta:
        verbose_name = _("kode pemulihan")
        verbose_name_plural = _("kode pemulihan")

    def get_throttle_factor(self) -> float:
        # The same back-off as the TOTP device (1 s, 2 s, 4 s … after each wrong code).
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)

    def verify_token(self, token) -> bool:
        allowed, _detail = self.verify_is_allowed()
        if not allowed:
            return False
        # One DELETE decides: of two requests racing with the same code, only one removes the row.
        removed, _rows = self.codes.filter(code_hash=recovery_code_hash(str(token))).delete()
        if not removed:
            self.throttle_increment()
            return False
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


def recovery_code_hash(code: str) -> str:
    """Spaces, dashes and letter case do not matter when a person types a code back."""
    normalised = "".join(code.split()).replace("-", "").lower()
    return hashlib.sha256(normalised.encode()).hexdigest()


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = _("kode pemulihan")
        verbose_name_plural = _("kode pemulihan")
