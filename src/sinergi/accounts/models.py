from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.regions.models import Region

if TYPE_CHECKING:
    from sinergi.accounts.scoping import Scope


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("Admin nasional")
    REGIONAL_ADMIN = "regional_admin", _("Admin daerah")
    PROVIDER_STAFF = "provider_staff", _("Staf penyelenggara")
    ASSESSOR = "assessor", _("Asesor")
    PARTICIPANT = "participant", _("Peserta")


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def visible_to(self, user) -> OrganizationQuerySet:
        from sinergi.accounts.scoping import scope_for

        return scope_for(user).organizations(self)  # type: ignore[return-value]


class Organization(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Kementerian")
        AGENCY = "agency", _("Badan/lembaga")
        PROVINCE_GOV = "province_gov", _("Pemerintah provinsi")
        REGENCY_GOV = "regency_gov", _("Pemerintah kabupaten")
        CITY_GOV = "city_gov", _("Pemerintah kota")
        OPD = "opd", _("Perangkat daerah (OPD)")
        UNIVERSITY = "university", _("Perguruan tinggi")
        PROVIDER = "provider", _("BLK/lembaga pelatihan")
        LSP = "lsp", _("Lembaga sertifikasi profesi (LSP)")
        COMPANY = "company", _("Perusahaan")
        COMMUNITY = "community", _("Komunitas")

    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=60, blank=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("wilayah"),
        help_text=_("Kosongkan untuk lembaga tingkat nasional."),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="units", verbose_name=_("induk")
    )
    aliases = models.CharField(
        _("nama lain"), max_length=200, blank=True, help_text=_("Dipisah koma, mis. Kominfo, Kemenkominfo")
    )
    website = models.URLField(_("situs web"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisasi")
        verbose_name_plural = _("organisasi")
        constraints = [
            models.UniqueConstraint(fields=["name", "region"], name="organization_unique_name_region")
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in. Role and organisation decide what they may see (see scoping.py)."""

    email = models.EmailField(_("alamat e-mail"), unique=True)
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organisasi"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wilayah kerja"),
        help_text=_("Untuk admin daerah: wilayah yang dikelola. Bila kosong, diambil dari organisasi."),
    )
    # Set once the owner of the address has opened a link sent to it. A sign-up stays inactive until
    # then; an inactive account with this set was switched off by an officer and no link revives it.
    email_confirmed_at = models.DateTimeField(_("e-mail dikonfirmasi"), null=True, blank=True)

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    @property
    def scope(self) -> Scope:
        from sinergi.accounts.scoping import scope_for

        return scope_for(self)

    @property
    def is_pending_signup(self) -> bool:
        """Signed up, and the address not confirmed yet."""
        return not self.is_active and self.email_confirmed_at is None

    @property
    def work_region(self) -> Region | None:
        if self.region_id:
            return self.region
        return self.organization.region if self.organization else None
