"""The text of an uploaded PDF or DOCX, read within limits: the one reader for intake and agreements.

Every upload may be a decompression bomb (a 39 KB PDF whose pages inflate to megabytes of text, a
213 KB DOCX that inflates to 59 MB), so the limits are checked while reading, before anything large
is built in memory:
- PDF: at most DOCUMENT_MAX_PAGES pages are read; every stream pypdf decompresses is capped at
  PDF_MAX_STREAM_BYTES (pypdf stops inflating there) and a page's content at
  PDF_MAX_CONTENT_OPERATIONS operations; reading stops once DOCUMENT_MAX_TEXT_CHARS characters or
  DOCUMENT_READ_SECONDS seconds are reached (the result says it is incomplete).
- DOCX: at most DOCX_MAX_MEMBERS files in the zip; every member is inflated as a stream and counted,
  refused beyond DOCX_MAX_MEMBER_BYTES, and the whole beyond DOCX_MAX_INFLATED_BYTES, before
  python-docx parses anything.

Encrypted PDFs, one policy: many official PDFs are "encrypted" with an empty user password only to
forbid editing, so the empty password is tried; a PDF that needs a real password is refused with a
message asking for an unlocked copy.
"""

from __future__ import annotations

import io
import itertools
import logging
import time
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class DocumentUnreadable(ValueError):
    """The document cannot be read; `message` says why (Indonesian), `code` what kind of refusal."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class DocumentText:
    text: str
    # False when a limit (pages, text length, time) stopped the reading before the end.
    complete: bool
    pages: int = 0


def _limit(name: str, default: float) -> float:
    return getattr(settings, name, default)


def _declared_page_count(reader) -> int:
    """The count the page tree's root declares: read without walking the tree (walking 1,000 pages
    costs pypdf a second), so an over-long document is refused at once. A root that understates its
    count is caught by the bounded walk that follows."""
    try:
        return int(reader.trailer["/Root"]["/Pages"]["/Count"])
    except Exception:  # noqa: BLE001 - a malformed root is left to the walk, which has its own limits
        return 0


def read_pdf_text(data: bytes, *, whole: bool = False) -> DocumentText:
    """With `whole`, a PDF of more pages than the cap is answered as incomplete before any page is
    read: a caller that refuses partial texts (intake) need not pay for reading the first pages."""
    from pypdf import PasswordType, PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError

    max_pages = int(_limit("DOCUMENT_MAX_PAGES", 300))
    max_chars = int(_limit("DOCUMENT_MAX_TEXT_CHARS", 500_000))
    deadline = time.monotonic() + _limit("DOCUMENT_READ_SECONDS", 30)
    stream_bytes = int(_limit("PDF_MAX_STREAM_BYTES", 4 * 1024 * 1024))
    limits = {
        "zlib_maximum_output_length": stream_bytes,
        "lzw_maximum_output_length": stream_bytes,
        "run_length_maximum_output_length": stream_bytes,
        "array_based_stream_maximum_output_length": stream_bytes,
        "maximum_declared_stream_length": stream_bytes,
        "stream_parsing_work_maximum_count": int(_limit("PDF_MAX_CONTENT_OPERATIONS", 500_000)),
        "page_tree_maximum_entries": max_pages * 10 + 1000,
    }
    too_heavy = DocumentUnreadable(
        "too_heavy",
        _("PDF ini terlalu berat untuk dibaca (isi halamannya jauh melebihi naskah biasa)."),
    )
    parts: list[str] = []
    length = 0
    complete = True
    try:
        with apply_configuration(None, **limits):
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                raise DocumentUnreadable(
                    "encrypted", _("PDF terkunci dengan kata sandi. Unggah PDF yang tidak terkunci.")
                )
            declared = _declared_page_count(reader)
            if whole and declared > max_pages:
                return DocumentText("", False, declared)
            pages = len(reader.pages)
            if whole and pages > max_pages:
                return DocumentText("", False, pages)
            for number, page in enumerate(reader.pages):
                if number >= max_pages or length >= max_chars or time.monotonic() > deadline:
                    complete = False
                    break
                try:
                    text = (page.extract_text() or "").strip()
                except LimitReachedError:
                    raise
                except Exception:  # noqa: BLE001 - one odd page must not lose the rest of the text
                    logger.warning("Teks halaman %s tidak dapat dibaca", number + 1, exc_info=True)
                    continue
                parts.append(text)
                length += len(text) + 2
    except DocumentUnreadable:
        raise
    except LimitReachedError as exc:
        raise too_heavy from exc
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on damaged files; all mean "unreadable"
        raise DocumentUnreadable("damaged", _("PDF rusak atau tidak dapat dibaca.")) from exc
    # PostgreSQL text cannot hold NUL characters, which some PDFs' text layers contain.
    text = "\n\n".join(parts).replace("\x00", "")
    if len(text) > max_chars:
        text, complete = text[:max_chars], False
    return DocumentText(text, complete, pages)


def _checked_docx(data: bytes) -> None:
    """Inflate every member as a stream, counting, and refuse the package at the first limit passed."""
    max_members = int(_limit("DOCX_MAX_MEMBERS", 1000))
    max_member = int(_limit("DOCX_MAX_MEMBER_BYTES", 20 * 1024 * 1024))
    max_total = int(_limit("DOCX_MAX_INFLATED_BYTES", 40 * 1024 * 1024))
    too_big = DocumentUnreadable("too_heavy", _("Isi DOCX terlalu besar untuk dibaca."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > max_members:
                raise too_big
            if "word/document.xml" not in {m.filename for m in members}:
                raise DocumentUnreadable(
                    "not_docx", _("Berkas ZIP ini bukan dokumen Word (DOCX). Unggah PDF atau DOCX.")
                )
            # Declared sizes first (cheap); then the real ones, since a header may lie.
            declared = [m.file_size for m in members]
            if max(declared, default=0) > max_member or sum(declared) > max_total:
                raise too_big
            total = 0
            for member in members:
                inflated = 0
                with archive.open(member) as stream:
                    while chunk := stream.read(64 * 1024):
                        inflated += len(chunk)
                        total += len(chunk)
                        if inflated > max_member or total > max_total:
                            raise too_big
    except DocumentUnreadable:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError) as exc:
        raise DocumentUnreadable("damaged", _("Berkas DOCX rusak atau tidak dapat dibuka.")) from exc


def read_docx_text(data: bytes) -> DocumentText:
    _checked_docx(data)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on a malformed package
        raise DocumentUnreadable("damaged", _("Berkas DOCX rusak atau tidak dapat dibaca.")) from exc
    max_chars = int(_limit("DOCUMENT_MAX_TEXT_CHARS", 500_000))
    deadline = time.monotonic() + _limit("DOCUMENT_READ_SECONDS", 30)
    parts: list[str] = []
    length = 0
    complete = True
    rows = (" | ".join(cell.text.strip() for cell in row.cells) for t in document.tables for row in t.rows)
    for part in itertools.chain((p.text for p in document.paragraphs), rows):
        if length >= max_chars or time.monotonic() > deadline:
            complete = False
            break
        parts.append(part)
        length += len(part) + 1
    text = "\n".join(parts)
    if len(text) > max_chars:
        text, complete = text[:max_chars], False
    return DocumentText(text, complete)
