"""Writes for partnerships: one function per use case, each transactional; bad input raises a
ValidationError whose message (Indonesian) names the field, and nothing is saved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from sinergi.accounts.models import Organization
from sinergi.partnerships.models import (
    Agreement,
    AgreementParty,
    AgreementType,
    Commitment,
    ManualMeasurement,
    Status,
    StatusChange,
)
from sinergi.regions.models import Region

MAX_YEARS_BEFORE_WARNING = 5

# The lifecycle. Kedaluwarsa is not reachable by hand: expire_overdue() sets it after the end date.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.USULAN: (Status.PEMBAHASAN, Status.DIHENTIKAN),
    Status.PEMBAHASAN: (Status.MENUNGGU_TTD, Status.USULAN, Status.DIHENTIKAN),
    Status.MENUNGGU_TTD: (Status.BERLAKU, Status.PEMBAHASAN, Status.DIHENTIKAN),
    Status.BERLAKU: (Status.SELESAI, Status.DIPERPANJANG, Status.DIHENTIKAN),
    Status.DIPERPANJANG: (Status.SELESAI, Status.DIHENTIKAN),
    Status.KEDALUWARSA: (Status.DIPERPANJANG, Status.SELESAI),
    Status.SELESAI: (),
    Status.DIHENTIKAN: (),
}
EXPIRABLE = (Status.BERLAKU, Status.DIPERPANJANG)


@dataclass(frozen=True)
class PartyInput:
    organization_id: int
    role: str = AgreementParty.Role.OTHER
    signatory_name: str = ""
    signatory_position: str = ""
    party_number: str = ""


@dataclass(frozen=True)
class CommitmentInput:
    title: str
    target_value: Decimal
    unit: str
    deadline: date
    metric_key: str = "manual"
    baseline: Decimal = Decimal(0)
    weight: Decimal = Decimal(1)
    breakdown: dict[str, Any] = field(default_factory=dict)


@dataclass
class CreateResult:
    agreement: Agreement
    warnings: list[str]


def _years_between(start: date, end: date) -> float:
    return (end - start).days / 365.25


@transaction.atomic
def create_agreement(
    *,
    user,
    type: str,  # noqa: A002 - the domain word; matches the model field
    title: str,
    start_date: date,
    end_date: date,
    parties: Sequence[PartyInput],
    commitments: Sequence[CommitmentInput] = (),
    region: Region | None = None,
    status: str = Status.USULAN,
    **fields: Any,
) -> CreateResult:
    from sinergi.partnerships.metrics import METRICS

    errors: dict[str, list[str]] = {}
    if end_date < start_date:
        errors.setdefault("end_date", []).append(
            "Tanggal berakhir tidak boleh sebelum tanggal mulai "
            f"({end_date:%d-%m-%Y} < {start_date:%d-%m-%Y})."
        )
    org_ids = [p.organization_id for p in parties]
    if len(set(org_ids)) < 2:
        errors.setdefault("parties", []).append(
            "Kerja sama harus memiliki sedikitnya dua pihak yang berbeda."
        )
    orgs = Organization.objects.in_bulk(org_ids)
    unknown = [str(i) for i in org_ids if i not in orgs]
    if unknown:
        errors.setdefault("parties", []).append(f"Pihak tidak dikenal (id organisasi: {', '.join(unknown)}).")
    parent = fields.get("parent")
    if type == AgreementType.PKS and parent is not None and parent.type != AgreementType.MOU:
        errors.setdefault("parent", []).append("Induk sebuah PKS harus berupa MoU / Nota Kesepahaman.")
    for row, c in enumerate(commitments, start=1):
        if c.metric_key not in METRICS:
            errors.setdefault("commitments", []).append(
                f"Komitmen baris {row}: metrik '{c.metric_key}' tidak dikenal."
            )
        if c.target_value <= c.baseline:
            errors.setdefault("commitments", []).append(
                f"Komitmen baris {row}: target harus lebih besar dari nilai awal."
            )
    if errors:
        raise ValidationError(errors)

    warnings = []
    if _years_between(start_date, end_date) > MAX_YEARS_BEFORE_WARNING:
        warnings.append(
            "Tanggal berakhir: jangka waktu lebih dari 5 tahun; periksa kembali "
            "(MoU umumnya paling lama 5 tahun)."
        )
    if region is None:
        region = getattr(user, "work_region", None) or next(
            (orgs[i].region for i in org_ids if orgs[i].region_id), None
        )
    agreement = Agreement.objects.create(
        type=type,
        title=title,
        start_date=start_date,
        end_date=end_date,
        region=region,
        status=status,
        created_by=user if user is not None and user.pk else None,
        **fields,
    )
    AgreementParty.objects.bulk_create(
        AgreementParty(
            agreement=agreement,
            organization=orgs[p.organization_id],
            role=p.role,
            signatory_name=p.signatory_name,
            signatory_position=p.signatory_position,
            party_number=p.party_number,
        )
        for p in parties
    )
    Commitment.objects.bulk_create(
        Commitment(
            agreement=agreement,
            title=c.title,
            metric_key=c.metric_key,
            target_value=c.target_value,
            unit=c.unit,
            deadline=c.deadline,
            baseline=c.baseline,
            weight=c.weight,
            breakdown=c.breakdown,
        )
        for c in commitments
    )
    StatusChange.objects.create(
        agreement=agreement,
        from_status="",
        to_status=status,
        changed_by=agreement.created_by,
        reason="Dibuat",
    )
    return CreateResult(agreement, warnings)


def _label(status: str) -> str:
    return str(Status(status).label)


@transaction.atomic
def transition(
    agreement: Agreement, to_status: str, user, reason: str = "", *, new_end_date: date | None = None
) -> Agreement:
    # Lock the row so two officers moving the same agreement at once cannot both pass the check.
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    current = locked.status
    if to_status not in Status.values:
        raise ValidationError({"status": f"Status '{to_status}' tidak dikenal."})
    if to_status == Status.KEDALUWARSA:
        raise ValidationError(
            {
                "status": "Status Kedaluwarsa ditetapkan otomatis setelah tanggal berakhir, "
                "tidak dapat dipilih."
            }
        )
    if to_status not in TRANSITIONS[current]:
        allowed = ", ".join(_label(s) for s in TRANSITIONS[current]) or "tidak ada (status akhir)"
        raise ValidationError(
            {
                "status": f"Perubahan status dari {_label(current)} ke {_label(to_status)} tidak diizinkan. "
                f"Status berikutnya yang diizinkan: {allowed}."
            }
        )
    if to_status == Status.DIHENTIKAN and not reason.strip():
        raise ValidationError({"reason": "Alasan wajib diisi untuk menghentikan kerja sama."})
    update = ["status", "updated_at"]
    if to_status == Status.DIPERPANJANG:
        if new_end_date is None or new_end_date <= locked.end_date:
            raise ValidationError(
                {"end_date": "Tanggal berakhir baru wajib diisi dan harus setelah tanggal berakhir saat ini."}
            )
        locked.end_date = new_end_date
        update.append("end_date")
    locked.status = to_status
    locked.save(update_fields=update)
    StatusChange.objects.create(
        agreement=locked, from_status=current, to_status=to_status, changed_by=user, reason=reason
    )
    agreement.status, agreement.end_date = locked.status, locked.end_date
    return locked


@transaction.atomic
def expire_overdue(today: date) -> int:
    """Mark agreements in force whose end date has passed as Kedaluwarsa. Safe to run twice."""
    overdue = list(
        Agreement.objects.select_for_update().filter(status__in=EXPIRABLE, end_date__lt=today).order_by("pk")
    )
    for agreement in overdue:
        StatusChange.objects.create(
            agreement=agreement,
            from_status=agreement.status,
            to_status=Status.KEDALUWARSA,
            changed_by=None,
            reason=f"Otomatis: tanggal berakhir {agreement.end_date:%d-%m-%Y} telah lewat.",
        )
        agreement.status = Status.KEDALUWARSA
        agreement.save(update_fields=["status", "updated_at"])
    return len(overdue)


@transaction.atomic
def add_manual_measurement(
    commitment: Commitment, value: Decimal, evidence_note: str, user
) -> ManualMeasurement:
    if commitment.metric_key != "manual":
        raise ValidationError(
            {"value": "Komitmen ini diukur otomatis dari data; nilai tidak dapat diisi manual."}
        )
    if value < 0:
        raise ValidationError({"value": "Nilai tidak boleh negatif."})
    if not evidence_note.strip():
        raise ValidationError({"evidence_note": "Keterangan bukti wajib diisi."})
    return ManualMeasurement.objects.create(
        commitment=commitment, value=value, evidence_note=evidence_note, entered_by=user
    )
