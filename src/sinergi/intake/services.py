"""Writes for intake: read an uploaded document, start a draft from text, save corrections, and create
the agreement from a confirmed draft. Bad input raises an exception whose message (Indonesian) says
what to do; creating is one transaction, so a failure leaves neither organisations nor agreement."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Organization
from sinergi.core.jobs import enqueue, job_handler, report_progress
from sinergi.intake.extract import check_input, extract
from sinergi.intake.models import IntakeDraft
from sinergi.partnerships.services import CommitmentInput, CreateResult, PartyInput, create_agreement
from sinergi.regions.models import Region

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A DOCX is a zip: refuse one that would inflate far beyond any real MoU (a "zip bomb").
MAX_DOCX_INFLATED = 60 * 1024 * 1024
MAX_PDF_PAGES = 200
# Longer texts are read by a background job: extraction grows faster than linearly with length
# (about 1 s for a news article, 15 s for the 200,000-character maximum on a busy two-core machine).
READ_IN_BACKGROUND_ABOVE = 30_000


class DocumentRejected(ValueError):
    """The uploaded file cannot be read; `message` says why, in Indonesian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def sniff_kind(head: bytes) -> str | None:
    """What a file is, from its first bytes rather than its name: "pdf", "zip" or None."""
    if head.lstrip(b"\r\n\t \xef\xbb\xbf")[:5] == b"%PDF-":
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        return "zip"
    return None


def read_document(upload: UploadedFile) -> tuple[str, str]:
    """The text of an uploaded PDF or DOCX and its kind ("pdf"/"docx")."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise DocumentRejected(
            _("Berkas terlalu besar (%(size).1f MB; batas 5 MB).") % {"size": upload.size / 1024 / 1024}
        )
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise DocumentRejected(_("Berkas terlalu besar (batas 5 MB)."))
    if not data:
        raise DocumentRejected(_("Berkas kosong."))
    kind = sniff_kind(data[:1024])
    if kind == "pdf":
        return _pdf_text(data), "pdf"
    if kind == "zip":
        return _docx_text(data), "docx"
    raise DocumentRejected(
        _("Berkas bukan PDF atau DOCX (isinya tidak dikenali, apa pun nama berkasnya). Unggah PDF atau DOCX.")
    )


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DocumentRejected(_("PDF terkunci dengan kata sandi. Unggah PDF yang tidak terkunci."))
        if len(reader.pages) > MAX_PDF_PAGES:
            raise DocumentRejected(
                _("PDF terlalu panjang (%(n)d halaman; batas %(max)d).")
                % {"n": len(reader.pages), "max": MAX_PDF_PAGES}
            )
        text = "\n\n".join((page.extract_text() or "").strip() for page in reader.pages)
    except DocumentRejected:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise DocumentRejected(_("PDF rusak atau tidak dapat dibaca.")) from exc
    if not text.strip():
        raise DocumentRejected(
            _(
                "PDF ini tidak berisi teks yang dapat dibaca (kemungkinan hasil pindaian/gambar). "
                "Salin teksnya lalu tempelkan, atau unggah PDF yang berisi teks."
            )
        )
    return text


def _docx_text(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise DocumentRejected(_("Berkas DOCX rusak atau tidak dapat dibuka.")) from exc
    if "word/document.xml" not in names:
        raise DocumentRejected(_("Berkas ZIP ini bukan dokumen Word (DOCX). Unggah PDF atau DOCX."))
    if inflated > MAX_DOCX_INFLATED:
        raise DocumentRejected(_("Isi DOCX terlalu besar untuk dibaca."))
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on a malformed package
        raise DocumentRejected(_("Berkas DOCX rusak atau tidak dapat dibaca.")) from exc
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text.strip() for cell in row.cells))
    text = "\n".join(parts)
    if not text.strip():
        raise DocumentRejected(_("DOCX ini tidak berisi teks."))
    return text


def _normalise(text: str) -> str:
    # Browsers send CRLF from a textarea; one line ending keeps spans and the rendered text aligned.
    return text.replace("\r\n", "\n").replace("\r", "\n")


@transaction.atomic
def start_draft(*, user, text: str = "", upload: UploadedFile | None = None) -> IntakeDraft:
    """Read the text (pasted or from the file), check it, extract, and keep it all as a draft.
    Raises DocumentRejected or InputRejected (both carry `.message`)."""
    kind: str = IntakeDraft.SourceKind.TEXT
    name = ""
    if upload is not None:
        text, kind = read_document(upload)
        name = (upload.name or "")[:200]
        upload.seek(0)
    text = _normalise(text)
    check_input(text)
    in_background = len(text) > READ_IN_BACKGROUND_ABOVE
    draft = IntakeDraft(
        source_kind=kind,
        source_name=name,
        source_text=text,
        status=IntakeDraft.Status.READING if in_background else IntakeDraft.Status.DRAFT,
        extraction={} if in_background else extract(text, today=timezone.localdate()).to_rich_json(),
        region=getattr(user, "work_region", None) if not user.scope.is_national else None,
        created_by=user,
    )
    if upload is not None:
        draft.source_file.save(name or f"sumber.{kind}", upload, save=False)
    draft.save()
    if in_background:
        enqueue("intake.extract", user=user, draft_id=draft.pk)
    return draft


@job_handler("intake.extract")
def read_in_background(job, *, draft_id: int) -> dict[str, int]:
    draft = IntakeDraft.objects.get(pk=draft_id)
    report_progress(job, 0, 1, _("Membaca teks…"))
    try:
        result = extract(draft.source_text, today=timezone.localdate())
    except Exception:
        IntakeDraft.objects.filter(pk=draft_id).update(
            error=_(
                "Teks tidak dapat dibaca karena kesalahan sistem. "
                "Coba lagi atau tempelkan bagian yang penting saja."
            )
        )
        raise
    IntakeDraft.objects.filter(pk=draft_id, status=IntakeDraft.Status.READING).update(
        extraction=result.to_rich_json(), status=IntakeDraft.Status.DRAFT, updated_at=timezone.now()
    )
    return {"draft": draft_id}


def save_corrections(draft: IntakeDraft, data: dict[str, list[str]]) -> None:
    if draft.status != IntakeDraft.Status.DRAFT:
        raise ValidationError(_("Draf ini sudah dibuat menjadi kerja sama dan tidak dapat diubah lagi."))
    draft.form_data = {k: v for k, v in data.items() if k not in ("csrfmiddlewaretoken", "action")}
    draft.save(update_fields=["form_data", "updated_at"])


@dataclass(frozen=True)
class NewOrganization:
    name: str
    kind: str
    region: Region | None


@dataclass(frozen=True)
class ConfirmedParty:
    """One party as the officer confirmed it: an existing organisation or one to create."""

    organization: Organization | None
    new: NewOrganization | None
    role: str
    signatory_name: str = ""
    signatory_position: str = ""


@transaction.atomic
def create_from_draft(
    draft: IntakeDraft,
    *,
    user,
    agreement_fields: dict[str, Any],
    parties: Sequence[ConfirmedParty],
    commitments: Sequence[CommitmentInput],
) -> CreateResult:
    """Create the confirmed agreement, its new organisations, parties and commitments, all or nothing."""
    locked = IntakeDraft.objects.select_for_update().get(pk=draft.pk)
    if locked.status != IntakeDraft.Status.DRAFT:
        raise ValidationError(_("Draf ini sudah dibuat menjadi kerja sama."))
    inputs: list[PartyInput] = []
    for party in parties:
        org = party.organization
        if org is None:
            assert party.new is not None
            # The same name in the same region is the same organisation, even if this officer cannot
            # list it (another region's government): reuse it rather than fail on the unique name.
            org, _created = Organization.objects.get_or_create(
                name=party.new.name.strip(), region=party.new.region, defaults={"kind": party.new.kind}
            )
        inputs.append(
            PartyInput(
                organization_id=org.pk,
                role=party.role,
                signatory_name=party.signatory_name.strip(),
                signatory_position=party.signatory_position.strip(),
            )
        )
    result = create_agreement(user=user, parties=inputs, commitments=commitments, **agreement_fields)
    locked.status = IntakeDraft.Status.CREATED
    locked.agreement = result.agreement
    locked.save(update_fields=["status", "agreement", "updated_at"])
    draft.status, draft.agreement = locked.status, locked.agreement
    return result


def delete_draft(draft: IntakeDraft) -> None:
    if draft.status == IntakeDraft.Status.CREATED:
        raise ValidationError(_("Draf yang sudah dibuat menjadi kerja sama disimpan sebagai riwayat."))
    if draft.source_file:
        draft.source_file.delete(save=False)
    draft.delete()
