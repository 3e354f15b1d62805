"""Writes for partnerships: one function per use case, each transactional; bad input raises a
ValidationError whose message (Indonesian) names the field, and nothing is saved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Organization, User
from sinergi.core.document_text import DocumentUnreadable
from sinergi.core.jobs import JobRefused, enqueue, job_handler, report_progress
from sinergi.partnerships import documents
from sinergi.partnerships.models import (
    PUBLIC_STATUSES,
    Agreement,
    AgreementDocument,
    AgreementParty,
    AgreementType,
    Commitment,
    ManualMeasurement,
    MonevRound,
    ReviewComment,
    Scheme,
    Status,
    StatusChange,
    Topic,
)
from sinergi.partnerships.selectors import link_refused, refused_links
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


def signing_errors(status: str, signed_date: date | None) -> dict[str, list[str]]:
    """A signed agreement (Berlaku and every status after it) is a public document: its signing date
    must be on record, whichever way it got that status (form, import, API). The period (start and end
    date) is required of every agreement and checked with the other fields."""
    if status in PUBLIC_STATUSES and signed_date is None:
        return {
            "signed_date": [
                _("Tanggal penandatanganan wajib diisi sebelum kerja sama berstatus %(status)s.")
                % {"status": _label(status)}
            ]
        }
    return {}


def period_errors(start_date: date | None, end_date: date | None) -> dict[str, list[str]]:
    """An agreement ends on or after the day it starts. The one statement of the rule: the services,
    the import (per row) and the forms (next to the field) all ask it."""
    if start_date is None or end_date is None or end_date >= start_date:
        return {}
    return {
        "end_date": [
            _("Tanggal berakhir tidak boleh sebelum tanggal mulai (%(end)s < %(start)s).")
            % {"end": f"{end_date:%d-%m-%Y}", "start": f"{start_date:%d-%m-%Y}"}
        ]
    }


def parent_errors(
    *,
    user,
    type: str | None,  # noqa: A002 - the domain word; matches the model field
    parent: Agreement | None,
    agreement: Agreement | None = None,
) -> dict[str, list[str]]:
    """The MoU induk rules: only a PKS or an addendum has a parent, a PKS's parent is an MoU, an
    agreement is never its own parent, and a new link is to an agreement the user manages (the link it
    already has stays). `type` None (not known yet) skips the rules about the type."""
    if parent is None:
        return {}
    errors = []
    if type is not None:
        if type not in (AgreementType.PKS, AgreementType.ADDENDUM):
            errors.append(_("MoU induk hanya diisi untuk PKS atau addendum."))
        elif type == AgreementType.PKS and parent.type != AgreementType.MOU:
            errors.append(_("Induk sebuah PKS harus berupa MoU / Nota Kesepahaman."))
    if agreement is not None and agreement.pk is not None and parent.pk == agreement.pk:
        errors.append(_("Kerja sama tidak dapat menjadi induk bagi dirinya sendiri."))
    current = [agreement.parent_id] if agreement is not None and agreement.parent_id else []
    if refused_links(user, [parent], already_linked=current):
        errors.append(link_refused(parent.pk))
    return {"parent": errors} if errors else {}


def _merge(errors: dict[str, list[str]], more: dict[str, list[str]]) -> None:
    for field_name, messages in more.items():
        errors.setdefault(field_name, []).extend(messages)


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
    pk: int | None = None  # set when editing an existing commitment


@dataclass
class CreateResult:
    agreement: Agreement
    warnings: list[str]


def _years_between(start: date, end: date) -> float:
    return (end - start).days / 365.25


def _validate(
    *,
    user,
    type: str,  # noqa: A002 - the domain word; matches the model field
    title: str,
    start_date: date,
    end_date: date,
    parties: Sequence[PartyInput] | None,
    commitments: Sequence[CommitmentInput] | None,
    fields: dict[str, Any],
    status: str | None,
    agreement: Agreement | None = None,
) -> tuple[dict[int, Organization], list[str]]:
    """Every rule an agreement must satisfy, checked before anything is written. Raises one
    ValidationError listing every problem (each message names its field and row); returns the party
    organisations and the warnings that do not block saving. Parties or commitments given as None,
    and the signing date when `status` is None, are not being changed here and not checked."""
    from sinergi.partnerships.metrics import METRICS

    signed_date = fields.get("signed_date", agreement.signed_date if agreement is not None else None)
    errors: dict[str, list[str]] = signing_errors(status, signed_date) if status is not None else {}

    def add(field_name: str, message: str) -> None:
        errors.setdefault(field_name, []).append(message)

    if type not in AgreementType.values:
        add("type", _("Jenis kerja sama '%(value)s' tidak dikenal.") % {"value": type})
    if not title.strip():
        add("title", _("Judul wajib diisi."))
    _merge(errors, period_errors(start_date, end_date))
    scheme = fields.get("scheme")
    if scheme is not None and scheme not in Scheme.values:
        add("scheme", _("Skema '%(value)s' tidak dikenal.") % {"value": scheme})
    unknown_topics = [str(t) for t in fields.get("topics") or [] if t not in Topic.values]
    if unknown_topics:
        add("topics", _("Topik tidak dikenal: %(topics)s.") % {"topics": ", ".join(unknown_topics)})

    orgs: dict[int, Organization] = {}
    if parties is not None:
        org_ids = [p.organization_id for p in parties]
        if len(set(org_ids)) < 2:
            add("parties", _("Kerja sama harus memiliki sedikitnya dua pihak yang berbeda."))
        duplicates = sorted({i for i in org_ids if org_ids.count(i) > 1})
        if duplicates:
            add("parties", _("Satu organisasi hanya boleh tercatat sekali sebagai pihak."))
        # A signed-in officer may only name organisations they can see; anything else is "unknown",
        # so the message does not reveal what exists outside their scope.
        candidates = Organization.objects.all()
        if user is not None and getattr(user, "is_authenticated", False):
            allowed = Q(pk__in=Organization.objects.visible_to(user).values("pk"))
            if agreement is not None:  # its current parties stay allowed, wherever they are
                allowed |= Q(pk__in=agreement.parties.values("organization_id"))
            candidates = Organization.objects.filter(allowed)
        orgs = candidates.in_bulk(org_ids)
        for row, party in enumerate(parties, start=1):
            if party.organization_id not in orgs:
                add(
                    "parties",
                    _("Pihak tidak dikenal (baris %(row)s, id organisasi %(id)s).")
                    % {"row": row, "id": party.organization_id},
                )
            if party.role not in AgreementParty.Role.values:
                add(
                    "parties",
                    _("Pihak baris %(row)s: peran '%(role)s' tidak dikenal.")
                    % {"row": row, "role": party.role},
                )

    _merge(errors, parent_errors(user=user, type=type, parent=fields.get("parent"), agreement=agreement))

    for row, c in enumerate(commitments or (), start=1):
        if not c.title.strip():
            add("commitments", _("Komitmen baris %(row)s: judul wajib diisi.") % {"row": row})
        if c.metric_key not in METRICS:
            add(
                "commitments",
                _("Komitmen baris %(row)s: metrik '%(key)s' tidak dikenal.")
                % {"row": row, "key": c.metric_key},
            )
        if c.target_value <= c.baseline:
            add(
                "commitments",
                _("Komitmen baris %(row)s: target harus lebih besar dari nilai awal.") % {"row": row},
            )
        if c.weight < 0:
            add("commitments", _("Komitmen baris %(row)s: bobot tidak boleh negatif.") % {"row": row})
        if not c.unit.strip():
            add("commitments", _("Komitmen baris %(row)s: satuan wajib diisi.") % {"row": row})
    if errors:
        raise ValidationError(errors)

    warnings = []
    if _years_between(start_date, end_date) > MAX_YEARS_BEFORE_WARNING:
        warnings.append(
            _(
                "Tanggal berakhir: jangka waktu lebih dari 5 tahun; periksa kembali "
                "(MoU umumnya paling lama 5 tahun)."
            )
        )
    return orgs, warnings


def _party_rows(agreement: Agreement, parties: Sequence[PartyInput], orgs: dict[int, Organization]):
    return [
        AgreementParty(
            agreement=agreement,
            organization=orgs[p.organization_id],
            role=p.role,
            signatory_name=p.signatory_name,
            signatory_position=p.signatory_position,
            party_number=p.party_number,
        )
        for p in parties
    ]


_PARTY_FIELDS = ("role", "signatory_name", "signatory_position", "party_number")
_COMMITMENT_FIELDS = (
    "title",
    "metric_key",
    "target_value",
    "unit",
    "deadline",
    "baseline",
    "weight",
    "breakdown",
)


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
    responsible_officers: Sequence[Any] | None = None,
    **fields: Any,
) -> CreateResult:
    orgs, warnings = _validate(
        user=user,
        type=type,
        title=title,
        start_date=start_date,
        end_date=end_date,
        parties=parties,
        commitments=commitments,
        fields=fields,
        status=status,
    )
    if region is None:
        region = getattr(user, "work_region", None) or next(
            (orgs[p.organization_id].region for p in parties if orgs[p.organization_id].region_id), None
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
    AgreementParty.objects.bulk_create(_party_rows(agreement, parties, orgs))
    Commitment.objects.bulk_create(
        Commitment(agreement=agreement, **{f: getattr(c, f) for f in _COMMITMENT_FIELDS}) for c in commitments
    )
    if responsible_officers:
        agreement.responsible_officers.set(responsible_officers)
    StatusChange.objects.create(
        agreement=agreement,
        from_status="",
        to_status=status,
        changed_by=agreement.created_by,
        reason="Dibuat",
    )
    return CreateResult(agreement, warnings)


class AgreementDetails(TypedDict, total=False):
    """The details of an agreement that an update may change; a key left out keeps its value."""

    number: str
    title: str
    type: str
    scheme: str
    topics: list[str]
    scope: str
    signed_date: date | None
    signed_place: str
    start_date: date
    end_date: date
    region: Region | None  # None keeps the current region
    parent: Agreement | None


EDITABLE_FIELDS = frozenset(AgreementDetails.__annotations__)


@transaction.atomic
def update_agreement(
    *,
    agreement: Agreement,
    user,
    parties: Sequence[PartyInput] | None = None,
    commitments: Sequence[CommitmentInput] | None = None,
    responsible_officers: Sequence[Any] | None = None,
    status: str | None = None,
    reason: str = "",
    **details: Unpack[AgreementDetails],
) -> CreateResult:
    """Change an agreement: the details given, and, when given, its parties and commitments, and its
    status (through transition()). The one write path of the edit page, the XLSX import and the API;
    the caller has checked the user may manage the agreement.

    `parties` and `commitments` are the complete new lists. A party is matched by its organisation; a
    commitment input with a pk updates that commitment, one without creates a new one, and an existing
    commitment left out is deleted unless it already has measurements (its history would be lost),
    which is refused. An extension (Diperpanjang) moves the end date with the transition, as the
    lifecycle requires."""
    changes: dict[str, Any] = dict(details)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError({f: _("Kolom ini tidak dapat diubah.") for f in sorted(unknown)})
    if changes.get("region", "") is None:
        del changes["region"]
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    moving = status is not None and status != locked.status
    extending = moving and status == Status.DIPERPANJANG
    new_end = changes.pop("end_date", None) if extending else None
    orgs, warnings = _validate(
        user=user,
        type=changes.get("type", locked.type),
        title=changes.get("title", locked.title),
        start_date=changes.get("start_date", locked.start_date),
        end_date=changes.get("end_date", locked.end_date),
        parties=parties,
        commitments=commitments,
        fields=changes,
        # A status change checks the signing date in transition(); this keeps a signed one signed.
        status=None if moving else locked.status,
        agreement=locked,
    )
    existing = {c.pk: c for c in locked.commitments.all()} if commitments is not None else {}
    removed: list[Commitment] = []
    if commitments is not None:
        errors: list[str] = []
        for row, c in enumerate(commitments, start=1):
            if c.pk is not None and c.pk not in existing:
                errors.append(
                    _("Komitmen baris %(row)s: komitmen tidak dikenal (id %(id)s).")
                    % {"row": row, "id": c.pk}
                )
        kept = {c.pk for c in commitments if c.pk is not None}
        removed = [commitment for pk, commitment in existing.items() if pk not in kept]
        for gone in removed:
            if gone.manual_measurements.exists():
                errors.append(
                    _(
                        "Komitmen '%(title)s' sudah memiliki pengukuran dan tidak dapat dihapus; "
                        "ubah saja isinya bila perlu."
                    )
                    % {"title": gone.title}
                )
        if errors:
            raise ValidationError({"commitments": errors})

    if changes:
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save(update_fields=[*changes, "updated_at"])
    if parties is not None:
        _replace_parties(locked, parties, orgs)
    for gone in removed:
        gone.delete()
    for c in commitments or ():
        values = {f: getattr(c, f) for f in _COMMITMENT_FIELDS}
        if c.pk is None:
            Commitment.objects.create(agreement=locked, **values)
            continue
        commitment = existing[c.pk]
        changed = [f for f, v in values.items() if getattr(commitment, f) != v]
        if changed:
            for f in changed:
                setattr(commitment, f, values[f])
            commitment.save(update_fields=changed)
    if responsible_officers is not None:
        locked.responsible_officers.set(responsible_officers)
    if moving and status is not None:
        locked = transition(
            agreement=locked, to_status=status, user=user, reason=reason, new_end_date=new_end
        )
    for key in ("status", "end_date", *changes):
        setattr(agreement, key, getattr(locked, key))
    return CreateResult(locked, warnings)


def _replace_parties(
    agreement: Agreement, parties: Sequence[PartyInput], orgs: dict[int, Organization]
) -> None:
    """Make the agreement's parties exactly `parties`, matched by organisation: a party whose details
    are unchanged is not written, so the audit log shows only real changes."""
    current = {p.organization_id: p for p in agreement.parties.all()}
    wanted = {p.organization_id for p in parties}
    AgreementParty.objects.filter(pk__in=[p.pk for o, p in current.items() if o not in wanted]).delete()
    new = []
    for row in _party_rows(agreement, parties, orgs):
        party = current.get(row.organization_id)
        if party is None:
            new.append(row)
            continue
        changed = [f for f in _PARTY_FIELDS if getattr(party, f) != getattr(row, f)]
        if changed:
            for f in changed:
                setattr(party, f, getattr(row, f))
            party.save(update_fields=changed)
    AgreementParty.objects.bulk_create(new)


def _label(status: str) -> str:
    return str(Status(status).label)


@transaction.atomic
def transition(
    agreement: Agreement,
    *,
    to_status: str,
    user: User | None,
    reason: str = "",
    new_end_date: date | None = None,
    signed_date: date | None = None,
) -> Agreement:
    """Move an agreement one step along TRANSITIONS. Moving it to Berlaku may record its signing date
    in the same step (`signed_date`); without one on record the step is refused."""
    # Lock the row so two officers moving the same agreement at once cannot both pass the check.
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    current = locked.status
    if to_status not in Status.values:
        raise ValidationError({"status": _("Status '%(value)s' tidak dikenal.") % {"value": to_status}})
    if to_status == Status.KEDALUWARSA:
        raise ValidationError(
            {
                "status": _(
                    "Status Kedaluwarsa ditetapkan otomatis setelah tanggal berakhir, tidak dapat dipilih."
                )
            }
        )
    if to_status not in TRANSITIONS[current]:
        allowed = ", ".join(_label(s) for s in TRANSITIONS[current]) or _("tidak ada (status akhir)")
        raise ValidationError(
            {
                "status": _(
                    "Perubahan status dari %(from)s ke %(to)s tidak diizinkan. "
                    "Status berikutnya yang diizinkan: %(allowed)s."
                )
                % {"from": _label(current), "to": _label(to_status), "allowed": allowed}
            }
        )
    if to_status == Status.DIHENTIKAN and not reason.strip():
        raise ValidationError({"reason": _("Alasan wajib diisi untuk menghentikan kerja sama.")})
    update = ["status", "updated_at"]
    if signed_date is not None and to_status == Status.BERLAKU:
        locked.signed_date = signed_date
        update.append("signed_date")
    signing = signing_errors(to_status, locked.signed_date)
    if signing:
        raise ValidationError(signing)
    if to_status == Status.DIPERPANJANG:
        if new_end_date is None or new_end_date <= locked.end_date:
            raise ValidationError(
                {
                    "end_date": _(
                        "Tanggal berakhir baru wajib diisi dan harus setelah tanggal berakhir saat ini."
                    )
                }
            )
        locked.end_date = new_end_date
        update.append("end_date")
    locked.status = to_status
    locked.save(update_fields=update)
    StatusChange.objects.create(
        agreement=locked, from_status=current, to_status=to_status, changed_by=user, reason=reason
    )
    agreement.status, agreement.end_date = locked.status, locked.end_date
    agreement.signed_date = locked.signed_date
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


READ_DOCUMENT_JOB = "partnerships.read_document"


def _store_document(
    agreement: Agreement, *, upload: UploadedFile, user: User | None, kind: str, field_name: str
) -> AgreementDocument:
    """Check the size and header, then write, and leave the reading of the text to a job: a refused
    file leaves nothing behind, a file whose row fails to save is removed again, and nothing parses
    the PDF inside the request."""
    checked = documents.check_pdf(upload, field_name)
    name = documents.store(checked)
    uploader = user if user is not None and user.pk else None
    try:
        with transaction.atomic():
            document = AgreementDocument.objects.create(
                agreement=agreement,
                kind=kind,
                file=name,
                original_name=checked.original_name,
                size=len(checked.content),
                text_status=AgreementDocument.TextStatus.READING,
                uploaded_by=uploader,
            )
            document.read_job = enqueue(READ_DOCUMENT_JOB, user=uploader, document_id=document.pk)
            document.save(update_fields=["read_job"])
            return document
    except Exception:
        default_storage.delete(name)
        raise


@job_handler(READ_DOCUMENT_JOB)
def read_document_text(job, *, document_id: int) -> dict[str, Any]:
    """Read a stored PDF's text for search, within core.document_text's limits. A refused file is
    marked refused with a message naming its field and its stored bytes are deleted; the agreement,
    comment, monev round or measurement it came with stays as it was saved."""
    document = AgreementDocument.objects.filter(pk=document_id).first()
    if document is None or document.text_status != AgreementDocument.TextStatus.READING:
        return {"document": document_id, "skipped": 1}
    report_progress(job, 0, 1, _("Membaca teks %(name)s…") % {"name": document.original_name})
    try:
        with default_storage.open(str(document.file.name), "rb") as stored:
            content = stored.read(documents.max_bytes() + 1)
        if len(content) > documents.max_bytes():
            raise DocumentUnreadable(
                "too_big",
                _("berkas terlalu besar; ukuran maksimum %(mb)s MB.") % {"mb": documents.max_mb_label()},
            )
        text = documents.extract_text(content)
    except DocumentUnreadable as refusal:
        message = documents.refusal_message(
            str(AgreementDocument.Kind(document.kind).label), document.original_name, refusal
        )
        AgreementDocument.objects.filter(pk=document_id).update(
            text_status=AgreementDocument.TextStatus.REFUSED, text_error=message[:300], text=""
        )
        default_storage.delete(str(document.file.name))
        raise JobRefused(message) from None
    except FileNotFoundError:
        message = _("Berkas %(name)s tidak ditemukan lagi di penyimpanan.") % {"name": document.original_name}
        AgreementDocument.objects.filter(pk=document_id).update(
            text_status=AgreementDocument.TextStatus.REFUSED, text_error=message[:300]
        )
        raise JobRefused(message) from None
    AgreementDocument.objects.filter(pk=document_id).update(
        text=text, text_status=AgreementDocument.TextStatus.READ, text_error=""
    )
    job.message = (
        _("Teks %(name)s terbaca.") if text.strip() else _("%(name)s tidak memiliki teks (hasil pindai?).")
    ) % {"name": document.original_name}
    return {"document": document_id, "characters": len(text)}


@transaction.atomic
def attach_document(agreement: Agreement, *, upload: UploadedFile, user: User | None) -> AgreementDocument:
    return _store_document(
        agreement, upload=upload, user=user, kind=AgreementDocument.Kind.ATTACHMENT, field_name="file"
    )


@transaction.atomic
def add_review_comment(
    agreement: Agreement,
    *,
    user: User | None,
    body: str,
    parent: ReviewComment | None = None,
    upload: UploadedFile | None = None,
) -> ReviewComment:
    """TKKSD comments are written while the agreement is in Pembahasan; afterwards they are the record
    of the discussion and stay readable but closed."""
    current = Agreement.objects.select_for_update().get(pk=agreement.pk).status
    if current != Status.PEMBAHASAN:
        raise ValidationError(
            {
                "body": _(
                    "Komentar pembahasan hanya dapat ditulis saat kerja sama berstatus Pembahasan "
                    "(status sekarang: %(status)s)."
                )
                % {"status": _label(current)}
            }
        )
    if not body.strip():
        raise ValidationError({"body": _("Komentar wajib diisi.")})
    if parent is not None and parent.agreement_id != agreement.pk:
        raise ValidationError({"parent": _("Komentar yang dibalas tidak ditemukan pada kerja sama ini.")})
    attachment = (
        _store_document(
            agreement, upload=upload, user=user, kind=AgreementDocument.Kind.COMMENT, field_name="attachment"
        )
        if upload
        else None
    )
    return ReviewComment.objects.create(
        agreement=agreement, parent=parent, author=user, body=body.strip(), attachment=attachment
    )


def commitment_snapshot(agreement: Agreement, today: date) -> list[dict[str, Any]]:
    """Every commitment's value, percent and status now, as plain JSON that later data cannot change."""
    from sinergi.partnerships.metrics import progress_for_commitments

    rows = []
    commitments = list(agreement.commitments.select_related("agreement").order_by("pk"))
    measured = progress_for_commitments(commitments, today, fresh=True)
    for c in commitments:
        progress = measured[c.pk]
        rows.append(
            {
                "commitment_id": c.pk,
                "title": c.title,
                "unit": c.unit,
                "metric_key": c.metric_key,
                "target": str(c.target_value),
                "baseline": str(c.baseline),
                "value": str(progress.value),
                "percent": progress.percent,
                "expected_percent": progress.expected_percent,
                "status": progress.status,
                "status_label": progress.status_label,
                "measured_at": progress.measured_at.isoformat() if progress.measured_at else None,
            }
        )
    return rows


@transaction.atomic
def record_monev(
    agreement: Agreement,
    *,
    user: User | None,
    evaluated_on: date,
    period_label: str,
    recommendation: str,
    notes: str = "",
    upload: UploadedFile | None = None,
    today: date | None = None,
) -> MonevRound:
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if evaluated_on > today:
        errors["evaluated_on"] = [_("Tanggal evaluasi tidak boleh di masa depan.")]
    if evaluated_on < agreement.start_date:
        errors["evaluated_on"] = [_("Tanggal evaluasi tidak boleh sebelum tanggal mulai kerja sama.")]
    if not period_label.strip():
        errors["period_label"] = [_("Periode wajib diisi, mis. Semester I 2025.")]
    if recommendation not in MonevRound.Recommendation.values:
        errors["recommendation"] = [_("Rekomendasi '%(value)s' tidak dikenal.") % {"value": recommendation}]
    if agreement.status in (Status.USULAN, Status.PEMBAHASAN, Status.MENUNGGU_TTD):
        errors["agreement"] = [_("Monev hanya untuk kerja sama yang sudah ditandatangani.")]
    if errors:
        raise ValidationError(errors)
    evidence = (
        _store_document(
            agreement, upload=upload, user=user, kind=AgreementDocument.Kind.MONEV, field_name="evidence"
        )
        if upload
        else None
    )
    return MonevRound.objects.create(
        agreement=agreement,
        evaluated_on=evaluated_on,
        period_label=period_label.strip(),
        recommendation=recommendation,
        notes=notes.strip(),
        evidence=evidence,
        snapshot={"taken_on": today.isoformat(), "commitments": commitment_snapshot(agreement, today)},
        created_by=user if user is not None and user.pk else None,
    )


@transaction.atomic
def add_manual_measurement(
    commitment: Commitment,
    *,
    value: Decimal,
    evidence_note: str,
    user: User | None,
    upload: UploadedFile | None = None,
) -> ManualMeasurement:
    if commitment.metric_key != "manual":
        raise ValidationError(
            {"value": _("Komitmen ini diukur otomatis dari data; nilai tidak dapat diisi manual.")}
        )
    if value < 0:
        raise ValidationError({"value": _("Nilai tidak boleh negatif.")})
    if not evidence_note.strip():
        raise ValidationError({"evidence_note": _("Keterangan bukti wajib diisi.")})
    evidence = (
        _store_document(
            commitment.agreement,
            upload=upload,
            user=user,
            kind=AgreementDocument.Kind.EVIDENCE,
            field_name="evidence",
        )
        if upload
        else None
    )
    return ManualMeasurement.objects.create(
        commitment=commitment, value=value, evidence_note=evidence_note, entered_by=user, evidence=evidence
    )
