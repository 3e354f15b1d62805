"""Organisation API keys: an integration (an LMS, an HR system) reads and writes the API in the name of
one organisation, never in the name of a person.

A key is `sng_<prefix>_<secret>`. Only the SHA-256 of the whole key is stored: the secret is shown once,
when the key is created; the prefix (not secret) finds the row. The secret carries 256 random bits, so
a fast hash is enough (a password hash would only slow every request). A key acts with the scope of its
organisation (see `principal`): a government body's key sees its region, a provider's key its own
classes, a national body's key everything; and only for the resources and access its scopes name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Organization
from sinergi.regions.models import Region

KEY_PREFIX = "sng_"


class Resource(models.TextChoices):
    PROGRAMS = "programs", _("Program dan kelas")
    APPLICATIONS = "applications", _("Pendaftaran")
    ALLOCATIONS = "allocations", _("Hasil alokasi")
    ATTENDANCE = "attendance", _("Peserta kelas dan kehadiran")
    CREDENTIALS = "credentials", _("Sertifikat")
    METRICS = "metrics", _("Metrik dan kemajuan komitmen")


class Access(models.TextChoices):
    READ = "read", _("baca")
    WRITE = "write", _("tulis")


# The resources an integration may write; the others are read-only through the API.
WRITABLE = {Resource.ATTENDANCE}


def all_scopes() -> list[tuple[str, str]]:
    """Every scope a key may be given, as (code, label): "attendance:write", "Peserta kelas …: tulis"."""
    scopes = []
    for resource in Resource:
        scopes.append((f"{resource.value}:read", f"{resource.label} — {Access.READ.label}"))
        if resource in WRITABLE:
            scopes.append((f"{resource.value}:write", f"{resource.label} — {Access.WRITE.label}"))
    return scopes


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


_GOVERNMENT = {
    Organization.Kind.PROVINCE_GOV,
    Organization.Kind.REGENCY_GOV,
    Organization.Kind.CITY_GOV,
    Organization.Kind.OPD,
}
_NATIONAL = {Organization.Kind.MINISTRY, Organization.Kind.AGENCY}


def role_of(organization: Organization) -> str | None:
    """The role whose scope the organisation's keys act with, or None when it may have no key (a
    regional body without a region to be bound to)."""
    if organization.region_id is None and organization.kind in _NATIONAL:
        return "national_admin"
    if organization.region_id is not None and organization.kind in _GOVERNMENT | _NATIONAL:
        return "regional_admin"
    if organization.kind not in _GOVERNMENT | _NATIONAL:
        return "provider_staff"
    return None


class ApiKey(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="api_keys", verbose_name=_("organisasi")
    )
    name = models.CharField(_("nama"), max_length=120, help_text=_("Untuk apa kunci ini, mis. LMS Kampus."))
    prefix = models.CharField(_("awalan"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("cakupan"), default=list)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dibuat oleh")
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.TextField(_("alasan pencabutan"), blank=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("kunci API")
        verbose_name_plural = _("kunci API")

    def __str__(self) -> str:
        return f"{self.name} ({KEY_PREFIX}{self.prefix}…)"

    @property
    def shown_prefix(self) -> str:
        return f"{KEY_PREFIX}{self.prefix}_"

    def is_active(self, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())

    def status_label(self) -> str:
        if self.revoked_at is not None:
            return str(_("dicabut"))
        if self.expires_at <= timezone.now():
            return str(_("kedaluwarsa"))
        return str(_("aktif"))

    def allows(self, resource: str, access: str) -> bool:
        return f"{resource}:{access}" in self.scopes

    def principal(self) -> KeyPrincipal:
        return KeyPrincipal(self)


class ApiKeyUse(models.Model):
    """One request made with a key: which key, which endpoint, when, and what it was answered."""

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    method = models.CharField(max_length=8)
    path = models.CharField(_("titik akhir"), max_length=300)
    status = models.PositiveSmallIntegerField(_("status"))
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["key", "-at"], name="api_key_use_newest")]


@dataclass(frozen=True)
class KeyPrincipal:
    """Stands in for a user in the selectors (`scope_for`): the organisation's scope, no person. It is
    never request.user, so no page behind `role_required` ever sees it."""

    key: ApiKey

    is_authenticated = True
    is_anonymous = False
    is_superuser = False
    is_active = True
    pk = None
    id = None
    region_id = None

    @property
    def role(self) -> str | None:
        return role_of(self.key.organization)

    @property
    def organization(self) -> Organization:
        return self.key.organization

    @property
    def organization_id(self) -> int:
        return self.key.organization_id

    @property
    def work_region(self) -> Region | None:
        return self.key.organization.region
