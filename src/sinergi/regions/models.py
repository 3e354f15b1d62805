from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionQuerySet(models.QuerySet["Region"]):
    def within(self, region: "Region") -> "RegionQuerySet":
        """The region itself and everything below it (a province's kab/kota and kecamatan)."""
        return self.filter(models.Q(code=region.code) | models.Q(code__startswith=region.code + "."))

    def search(self, term: str) -> "RegionQuerySet":
        term = term.strip()
        if not term:
            return self.none()
        return self.filter(
            models.Q(name__icontains=term)
            | models.Q(short_name__icontains=term)
            | models.Q(aliases__name__iexact=term)
        ).distinct()


class Region(models.Model):
    """A Kemendagri administrative area. The code is dotted: 73 (province), 73.71 (kab/kota), 73.71.01."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Provinsi")
        REGENCY = "regency", _("Kabupaten")
        CITY = "city", _("Kota")
        DISTRICT = "district", _("Kecamatan")

    code = models.CharField(_("kode Kemendagri"), max_length=13, primary_key=True)
    name = models.CharField(_("nama resmi"), max_length=120, db_index=True)
    short_name = models.CharField(_("nama singkat"), max_length=120)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("induk"),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self) -> str:
        return self.name

    @property
    def province_code(self) -> str:
        return self.code.split(".")[0]

    def contains(self, other: "Region | None") -> bool:
        return other is not None and (other.code == self.code or other.code.startswith(self.code + "."))


class RegionAlias(models.Model):
    """Names people use for a region that are not its official name ("Kotim", "Sulsel")."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("alias"), max_length=60, db_index=True)

    class Meta:
        unique_together = [("region", "name")]
        verbose_name = _("alias wilayah")
        verbose_name_plural = _("alias wilayah")

    def __str__(self) -> str:
        return f"{self.name} → {self.region.name}"
