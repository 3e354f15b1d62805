"""Writes for intake: read an uploaded document, start a draft from text, save corrections, and create
the agreement from a confirmed draft. Bad input raises an exception whose message (Indonesian) says
what to do; creating is one transaction, so a failure leaves neither organisations nor agreement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Organization
from sinergi.core.document_text import DocumentUnreadable, read_docx_text, read_pdf_text
from sinergi.core.jobs import enqueue, job_handler, report_progress
from sinergi.intake.extract import MAX_CHARS, InputRejected, check_input, extract
from sinergi.intake.models import IntakeDraft
from sinergi.partnerships.services import CommitmentInput, CreateResult, PartyInput, create_agreement
from sinergi.regions.models import Region

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Longer pasted texts are read by a background job, and so is every uploaded document: a request only
# stores what it was given (reading a PDF or DOCX, or extracting from a long text, is work a crafted
# file can make arbitrarily heavy).
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


def check_upload(upload: UploadedFile) -> str:
    """The kind of an uploaded document ("pdf"/"docx") from its size and first bytes; nothing is parsed."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise DocumentRejected(
            _("Berkas terlalu besar (%(size).1f MB; batas 5 MB).") % {"size": upload.size / 1024 / 1024}
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if not head:
        raise DocumentRejected(_("Berkas kosong."))
    kind = sniff_kind(head)
    if kind is None:
        raise DocumentRejected(
            _(
                "Berkas bukan PDF atau DOCX (isinya tidak dikenali, apa pun nama berkasnya). "
                "Unggah PDF atau DOCX."
            )
        )
    return "pdf" if kind == "pdf" else "docx"


def read_document(data: bytes) -> str:
    """The text of a stored PDF or DOCX, read within the limits of core.document_text."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise DocumentRejected(_("Berkas terlalu besar (batas 5 MB)."))
    kind = sniff_kind(data[:1024])
    try:
        if kind == "pdf":
            read = read_pdf_text(data, whole=True)
            empty = _(
                "PDF ini tidak berisi teks yang dapat dibaca (kemungkinan hasil pindaian/gambar). "
                "Salin teksnya lalu tempelkan, atau unggah PDF yang berisi teks."
            )
        elif kind == "zip":
            read = read_docx_text(data)
            empty = _("DOCX ini tidak berisi teks.")
        else:
            raise DocumentRejected(_("Berkas bukan PDF atau DOCX. Unggah PDF atau DOCX."))
    except DocumentUnreadable as exc:
        raise DocumentRejected(exc.message) from exc
    if not read.complete:
        # A partial text would give a draft that silently misses parties or commitments.
        raise DocumentRejected(
            _(
                "Dokumen terlalu panjang untuk dibaca sebagai satu naskah (batas %(pages)d halaman "
                "atau %(chars)s karakter). Unggah naskahnya saja, atau tempelkan bagian yang penting."
            )
            % {"pages": settings.DOCUMENT_MAX_PAGES, "chars": f"{MAX_CHARS:,}".replace(",", ".")}
        )
    if not read.text.strip():
        raise DocumentRejected(empty)
    return read.text


def _normalise(text: str) -> str:
    # Browsers send CRLF from a textarea; one line ending keeps spans and the rendered text aligned.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def rejection_message(refusal: InputRejected) -> str:
    """Why the text was refused, in the reader's language: the extractor keeps its Indonesian
    catalogue text, translated here where it reaches the page."""
    template = _(refusal.template)
    return template % refusal.params if refusal.params else template


@transaction.atomic
def start_draft(*, user, text: str = "", upload: UploadedFile | None = None) -> IntakeDraft:
    """Keep the pasted text or the uploaded file as a draft, and read it: a short pasted text at once,
    a long one and every document in a background job. Raises DocumentRejected or InputRejected (both
    carry `.message`)."""
    kind: str = IntakeDraft.SourceKind.TEXT
    name = ""
    if upload is not None:
        kind = check_upload(upload)
        name = (upload.name or "")[:200]
        text = ""
    else:
        text = _normalise(text)
        check_input(text)
    in_background = upload is not None or len(text) > READ_IN_BACKGROUND_ABOVE
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
    text = draft.source_text
    if draft.source_file and not text:
        report_progress(job, 0, 2, _("Membaca berkas…"))
        try:
            with draft.source_file.open("rb") as stored:
                data = stored.read(MAX_UPLOAD_BYTES + 1)
            text = _normalise(read_document(data))
            check_input(text)
        except (DocumentRejected, InputRejected) as exc:
            IntakeDraft.objects.filter(pk=draft_id).update(error=exc.message[:300], updated_at=timezone.now())
            return {"draft": draft_id, "rejected": 1}
    report_progress(job, 1, 2, _("Membaca teks…"))
    try:
        result = extract(text, today=timezone.localdate())
    except Exception:
        IntakeDraft.objects.filter(pk=draft_id).update(
            error=_(
                "Teks tidak dapat dibaca karena kesalahan sistem. "
                "Coba lagi atau tempelkan bagian yang penting saja."
            )
        )
        raise
    IntakeDraft.objects.filter(pk=draft_id, status=IntakeDraft.Status.READING).update(
        source_text=text,
        extraction=result.to_rich_json(),
        status=IntakeDraft.Status.DRAFT,
        updated_at=timezone.now(),
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
