"""PDF documents kept with agreements: checked, stored under a random name, text extracted for search.

The upload request accepts a file only when its first bytes are a PDF header (the extension and the
browser's content type are not trusted) and it is within AGREEMENT_ATTACHMENT_MAX_MB; nothing in the
request parses it. Its text is read afterwards by a background job through core.document_text and
its limits (a 39 KB PDF can hold megabytes of text per page); a file the reader refuses is marked
refused with a message that names the field, and whatever the upload belonged to stays saved.
Nothing is executed or rendered on the server; downloads are served as attachments by a scoped view.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from sinergi.core.document_text import DocumentUnreadable, read_pdf_text

PDF_MAGIC = b"%PDF-"
# Readers accept the header anywhere in the first KiB (some scanners prepend junk); so do we.
HEADER_WINDOW = 1024
STORAGE_FOLDER = "kerja-sama"


def max_mb() -> float:
    return float(getattr(settings, "AGREEMENT_ATTACHMENT_MAX_MB", 10))


def max_mb_label() -> str:
    """The limit as an Indonesian reads it: 10, 2,5."""
    return f"{max_mb():g}".replace(".", ",")


def max_bytes() -> int:
    return int(max_mb() * 1024 * 1024)


@dataclass(frozen=True)
class CheckedPdf:
    content: bytes
    original_name: str


def _read_limited(upload, limit: int, field: str) -> bytes:
    size = getattr(upload, "size", None)
    too_big = ValidationError(
        {field: _("Berkas terlalu besar; ukuran maksimum %(mb)s MB.") % {"mb": max_mb_label()}}
    )
    if size is not None and size > limit:
        raise too_big
    buffer = io.BytesIO()
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        buffer.write(chunk)
        if buffer.tell() > limit:
            raise too_big
    return buffer.getvalue()


def extract_text(content: bytes) -> str:
    """The PDF's text layer for search (empty for scanned images), read by the shared reader and its
    limits (a long report is read up to its page, text and time limits); raises DocumentUnreadable
    (with an Indonesian message) for a damaged, password-locked or bomb-like PDF."""
    return read_pdf_text(content).text


def check_pdf(upload, field: str = "file") -> CheckedPdf:
    """Check an uploaded file's size and PDF header, without parsing it; the message names `field`."""
    name = (getattr(upload, "name", "") or "dokumen.pdf").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    content = _read_limited(upload, max_bytes(), field)
    if not content:
        raise ValidationError({field: _("Berkas kosong.")})
    if PDF_MAGIC not in content[:HEADER_WINDOW]:
        raise ValidationError(
            {field: _("Berkas '%(name)s' bukan PDF. Hanya berkas PDF yang diterima.") % {"name": name}}
        )
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return CheckedPdf(content=content, original_name=name[:200])


def refusal_message(field_label: str, name: str, refusal: DocumentUnreadable) -> str:
    """Why the reader refused a stored PDF, naming the field it was uploaded in and the file."""
    if refusal.code == "damaged":
        reason = _("berkas rusak atau bukan PDF yang valid; simpan ulang sebagai PDF lalu unggah lagi.")
    else:
        reason = refusal.message
    return _("%(field)s '%(name)s' ditolak: %(reason)s") % {
        "field": field_label,
        "name": name,
        "reason": reason,
    }


def store(checked: CheckedPdf) -> str:
    """Save under an unguessable name (the original name is kept only in the database)."""
    name = f"{STORAGE_FOLDER}/{secrets.token_urlsafe(24)}.pdf"
    return default_storage.save(name, ContentFile(checked.content))
