"""PDF documents kept with agreements: checked, stored under a random name, text extracted for search.

A file is accepted only when its first bytes are a PDF header (the extension and the browser's
content type are not trusted), it is within AGREEMENT_ATTACHMENT_MAX_MB, and pypdf can open it.
Nothing is executed or rendered on the server; downloads are served as attachments by a scoped view.
"""

from __future__ import annotations

import io
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
# Readers accept the header anywhere in the first KiB (some scanners prepend junk); so do we.
HEADER_WINDOW = 1024
# Text extraction is for search, not archiving: a long scanned report need not be read to the end.
MAX_PAGES_FOR_TEXT = 300
MAX_TEXT_CHARS = 500_000
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
    text: str


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
    """The PDF's text layer (empty for scanned images); raises ValueError when pypdf cannot open it."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            # Many official PDFs are "encrypted" with an empty user password only to forbid editing.
            reader.decrypt("")
        parts = []
        for number, page in enumerate(reader.pages):
            if number >= MAX_PAGES_FOR_TEXT:
                break
            try:
                parts.append(page.extract_text() or "")
            except Exception:  # one odd page must not lose the rest of the document's text
                logger.warning("Teks halaman %s tidak dapat dibaca", number + 1, exc_info=True)
        text = "\n".join(parts)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ValueError(str(exc)) from exc
    except Exception as exc:  # pypdf raises many kinds on damaged files; all mean "not a usable PDF"
        raise ValueError(str(exc)) from exc
    # PostgreSQL text cannot hold NUL characters, which some PDFs' text layers contain.
    return text.replace("\x00", "")[:MAX_TEXT_CHARS]


def check_pdf(upload, field: str = "file") -> CheckedPdf:
    """Validate an uploaded file as a PDF within the size limit; the message names `field`."""
    name = (getattr(upload, "name", "") or "dokumen.pdf").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    content = _read_limited(upload, max_bytes(), field)
    if not content:
        raise ValidationError({field: _("Berkas kosong.")})
    if PDF_MAGIC not in content[:HEADER_WINDOW]:
        raise ValidationError(
            {field: _("Berkas '%(name)s' bukan PDF. Hanya berkas PDF yang diterima.") % {"name": name}}
        )
    try:
        text = extract_text(content)
    except ValueError:
        raise ValidationError(
            {
                field: _(
                    "Berkas '%(name)s' rusak atau bukan PDF yang valid; "
                    "simpan ulang sebagai PDF lalu coba lagi."
                )
                % {"name": name}
            }
        ) from None
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return CheckedPdf(content=content, original_name=name[:200], text=text)


def store(checked: CheckedPdf) -> str:
    """Save under an unguessable name (the original name is kept only in the database)."""
    name = f"{STORAGE_FOLDER}/{secrets.token_urlsafe(24)}.pdf"
    return default_storage.save(name, ContentFile(checked.content))
