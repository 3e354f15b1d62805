"""Reading uploaded PDF and DOCX text within limits: crafted bombs (built here, small on disk) are
refused or cut off before they are fully inflated or parsed, within a memory budget."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
import zlib

import pytest

from sinergi.core.document_text import DocumentUnreadable, read_docx_text, read_pdf_text

MB = 1024 * 1024


def pdf_with_pages(contents: list[bytes]) -> bytes:
    """A minimal PDF whose pages carry the given (Flate-compressed) content streams."""
    n = len(contents)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n))
        + b"] /Count %d >>" % n,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, content in enumerate(contents):
        packed = zlib.compress(content, 9)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (5 + 2 * i)
        )
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"
        )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def text_page(text: str, repeat: int = 1) -> bytes:
    line = b"BT /F1 12 Tf 72 720 Td (" + text.encode("latin-1") + b") Tj ET\n"
    return line * repeat


def peak_mb(function, *args):
    tracemalloc.start()
    try:
        try:
            result = function(*args)
        except DocumentUnreadable as exc:
            result = exc
        return result, tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()


def test_an_ordinary_pdf_is_read():
    read = read_pdf_text(pdf_with_pages([text_page("Pemkot Palembang dan Kominfo teken MoU")]))
    assert "Pemkot Palembang" in read.text and read.complete and read.pages == 1


def test_pdf_pages_inflating_to_megabytes_are_refused_before_they_are_inflated(settings):
    settings.PDF_MAX_STREAM_BYTES = 1 * MB
    # Two pages of 22 MB of text each: under 250 KB on disk.
    bomb = pdf_with_pages([text_page("A" * 200, repeat=100_000)] * 2)
    assert len(bomb) < 250_000
    result, peak = peak_mb(read_pdf_text, bomb)
    assert isinstance(result, DocumentUnreadable) and result.code == "too_heavy"
    assert "terlalu berat" in result.message
    assert peak < 30  # not the 44 MB of content, let alone its text


def test_pdf_text_stops_at_the_length_cap(settings):
    settings.DOCUMENT_MAX_TEXT_CHARS = 50_000
    pages = [text_page("kerja sama pelatihan digital " * 10, repeat=300)] * 40  # ~90,000 characters a page
    result, peak = peak_mb(read_pdf_text, pdf_with_pages(pages))
    assert not result.complete and len(result.text) == 50_000 and result.pages == 40
    assert peak < 60


def test_pdf_page_count_is_capped(settings):
    settings.DOCUMENT_MAX_PAGES = 5
    read = read_pdf_text(pdf_with_pages([text_page(f"Halaman {i}") for i in range(12)]))
    assert not read.complete and "Halaman 4" in read.text and "Halaman 5" not in read.text


def test_a_password_locked_pdf_is_refused_and_an_empty_password_is_opened():
    from pypdf import PdfReader, PdfWriter

    plain = pdf_with_pages([text_page("Nota Kesepahaman Pemkot Samarinda")])
    locked = []
    for user_password in ("rahasia", ""):
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain)))
        writer.encrypt(user_password=user_password, owner_password="pemilik", algorithm="AES-128")
        out = io.BytesIO()
        writer.write(out)
        locked.append(out.getvalue())
    with pytest.raises(DocumentUnreadable) as refused:
        read_pdf_text(locked[0])
    assert refused.value.code == "encrypted" and "kata sandi" in refused.value.message
    assert "Pemkot Samarinda" in read_pdf_text(locked[1]).text


def _docx(members: dict[str, bytes | int]) -> bytes:
    """A zip whose members are given bytes, or (an int) that many bytes of repeated XML streamed in."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            if isinstance(content, int):
                with archive.open(name, "w", force_zip64=True) as stream:
                    chunk = b"<w:p><w:r><w:t>bom</w:t></w:r></w:p>" * 30_000
                    for _ in range(content // len(chunk)):
                        stream.write(chunk)
            else:
                archive.writestr(name, content)
    return buf.getvalue()


def test_a_docx_inflating_to_tens_of_megabytes_is_refused_before_parsing():
    bomb = _docx({"[Content_Types].xml": b"<Types/>", "word/document.xml": 59 * MB})
    assert len(bomb) < 400_000
    result, peak = peak_mb(read_docx_text, bomb)
    assert isinstance(result, DocumentUnreadable) and result.code == "too_heavy"
    assert peak < 5  # refused on the declared size: nothing inflated, nothing parsed


def test_a_docx_whose_members_together_inflate_too_far_is_refused(settings):
    settings.DOCX_MAX_INFLATED_BYTES = 8 * MB
    members: dict[str, bytes | int] = {
        "word/document.xml": 4 * MB,
        "word/a.xml": 4 * MB,
        "word/b.xml": 4 * MB,
    }
    result, peak = peak_mb(read_docx_text, _docx(members))
    assert isinstance(result, DocumentUnreadable) and result.code == "too_heavy"
    assert peak < 5


def test_a_docx_with_thousands_of_members_is_refused():
    members: dict[str, bytes | int] = {f"word/media/{i}.xml": b"x" for i in range(1_500)}
    members["word/document.xml"] = b"<w:document/>"
    with pytest.raises(DocumentUnreadable) as refused:
        read_docx_text(_docx(members))
    assert refused.value.code == "too_heavy"
