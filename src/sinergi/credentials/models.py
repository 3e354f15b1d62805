"""Issuers (an organisation's signing key and certificate-number pattern) and the credentials they sign.

A credential is stored exactly as signed (the JSON text), so `export` gives back the bytes the proof
covers. Certificate numbers and status-list indices come from per-issuer counters that only move
forward: a revoked credential keeps its number and its bit, neither is ever given to anyone else.
"""

from __future__ import annotations

import hashlib
import json
import string
import uuid as uuid_module
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Organization
from sinergi.credentials.signing import MIN_STATUS_LIST_BITS
from sinergi.learning.models import Enrolment

PATTERN_FIELDS = {"year", "region", "seq", "issuer"}
# {issuer} keeps numbers of two issuers in one region apart until an admin sets a pattern of their own.
DEFAULT_PATTERN = "SRT/{year}/{region}/{issuer}/{seq:06d}"
# Check codes: 8 characters of 32 that cannot be misread for one another (no 0/O, 1/I), 40 bits.
CHECK_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def check_code_of(credential_uuid: uuid_module.UUID) -> str:
    """The code printed beside the QR and required with the number for the public verification page.
    Numbers are sequential and guessable; the credential's UUID is random, so a code derived from it
    cannot be guessed from the number, needs no key that could be rotated away, and no column."""
    digest = hashlib.sha256(b"sinergi/check-code/" + credential_uuid.bytes).digest()
    value = int.from_bytes(digest[:5], "big")
    chars = "".join(CHECK_ALPHABET[(value >> (5 * i)) & 31] for i in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def normalize_check_code(text: str) -> str:
    """What a person typed, as printed: case and separators do not matter."""
    chars = "".join(c for c in text.upper() if c.isascii() and c.isalnum())
    return f"{chars[:4]}-{chars[4:]}" if len(chars) == 8 else chars


def validate_number_pattern(pattern: str) -> None:
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError as exc:
        raise ValidationError(_("Pola nomor tidak sah: %(error)s") % {"error": exc}) from None
    unknown = fields - PATTERN_FIELDS
    if unknown:
        raise ValidationError(
            _(
                "Pola nomor memuat kolom yang tidak dikenal: %(fields)s. "
                "Yang tersedia: {year}, {region}, {seq}, {issuer}."
            )
            % {"fields": ", ".join(sorted(unknown))}
        )
    if "seq" not in fields:
        raise ValidationError(_("Pola nomor wajib memuat {seq} agar setiap nomor unik."))
    try:
        pattern.format(year=2026, region="X", seq=1, issuer=1)
    except (ValueError, IndexError, KeyError) as exc:
        raise ValidationError(_("Pola nomor tidak sah: %(error)s") % {"error": exc}) from None


class Issuer(models.Model):
    organization = models.OneToOneField(
        Organization, on_delete=models.PROTECT, related_name="credential_issuer", verbose_name=_("organisasi")
    )
    number_pattern = models.CharField(
        _("pola nomor sertifikat"),
        max_length=80,
        default=DEFAULT_PATTERN,
        validators=[validate_number_pattern],
        help_text=_(
            "Mis. DTS/{year}/{region}/{seq:06d} → DTS/2026/PLG/000123. {issuer} adalah nomor penerbit; "
            "pola dan kode wilayah tidak boleh sama dengan penerbit lain."
        ),
    )
    region_code = models.CharField(
        _("kode wilayah pada nomor"), max_length=12, default="NAS", help_text=_("Mis. PLG untuk Palembang.")
    )
    signer_name = models.CharField(_("nama penandatangan"), max_length=150, blank=True)
    signer_title = models.CharField(_("jabatan penandatangan"), max_length=150, blank=True)
    public_key_multibase = models.CharField(max_length=80, editable=False)
    private_key_encrypted = models.TextField(editable=False)
    key_created_at = models.DateTimeField(auto_now_add=True)
    next_seq = models.PositiveBigIntegerField(default=1, editable=False)
    next_status_index = models.PositiveBigIntegerField(default=0, editable=False)
    status_list_bits = models.PositiveIntegerField(default=MIN_STATUS_LIST_BITS, editable=False)
    # The signed status list as last published; rebuilt on every revocation, read by offline verify.
    status_list_json = models.TextField(blank=True, editable=False)
    status_list_updated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["organization__name"]
        verbose_name = _("penerbit sertifikat")
        verbose_name_plural = _("penerbit sertifikat")

    def __str__(self) -> str:
        return str(self.organization)

    @property
    def name(self) -> str:
        return self.organization.name

    def clean(self) -> None:
        clash = Issuer.objects.exclude(pk=self.pk).filter(
            number_pattern=self.number_pattern, region_code=self.region_code
        )
        if "{issuer}" not in self.number_pattern and clash.exists():
            raise ValidationError(
                {
                    "number_pattern": _(
                        "Pola nomor dan kode wilayah ini sudah dipakai penerbit lain; nomor bisa bentrok."
                    )
                }
            )


class Credential(models.Model):
    class Kind(models.TextChoices):
        COMPLETION = "completion", _("Sertifikat pelatihan")
        COMPETENCY = "competency", _("Sertifikat kompetensi")
        AWARD = "award", _("Piagam penghargaan")

    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="credentials")
    # Empty for an award (readiness/awards): it recognises a region, a regional head or an ASN, not a class.
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="credentials", null=True, blank=True
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices, default=Kind.COMPLETION)
    number = models.CharField(_("nomor sertifikat"), max_length=100, unique=True)
    uuid = models.UUIDField(unique=True, editable=False)
    status_index = models.PositiveBigIntegerField(editable=False)
    holder_name = models.CharField(_("nama pemegang"), max_length=150)
    document = models.TextField(editable=False)  # the signed OpenBadgeCredential, byte for byte
    # Set when the holder's personal data was erased: the name is gone from `document` (its salted
    # hash stays) and this SHA-256 of the content as signed lets the proof still be checked.
    signed_digest = models.CharField(max_length=64, blank=True, editable=False)
    issued_at = models.DateTimeField(_("waktu terbit"))
    valid_until = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("waktu dicabut"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.TextField(_("alasan pencabutan"), blank=True)
    pdf = models.FileField(_("berkas PDF"), max_length=200, blank=True, editable=False)
    # A correction: this credential was issued in place of a revoked one (new number, same enrolment).
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("menggantikan"),
    )

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("sertifikat")
        verbose_name_plural = _("sertifikat")
        constraints = [
            # One valid credential per enrolment and kind; a re-issue revokes the one it replaces first.
            models.UniqueConstraint(
                fields=["enrolment", "kind"],
                condition=models.Q(revoked_at__isnull=True),
                name="credential_one_valid_per_enrolment_kind",
            ),
            models.UniqueConstraint(fields=["issuer", "status_index"], name="credential_status_index_unique"),
        ]
        indexes = [
            models.Index(fields=["revoked_at"]),
            # the officers' list /sertifikat/ pages newest first (the Meta ordering) without a sort
            models.Index(fields=["-issued_at", "-id"], name="credential_newest_first"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def check_code(self) -> str:
        return check_code_of(self.uuid)

    @property
    def signed(self) -> dict[str, Any]:
        return json.loads(self.document)
