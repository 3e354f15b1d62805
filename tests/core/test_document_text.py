"""Reading uploaded PDF and DOCX text within limits: crafted bombs (built here, small on disk) are
refused or cut off before they are fully inflated or parsed, within a memory budget."""

from __future__ import annotations

import io
import tracemalloc

import pytest
from tests.documents import docx_with_members as _docx
from tests.documents import pdf_with_pages, text_page

from sinergi.core.document_text import DocumentUnreadable, read_docx_text, read_pdf_text

MB = 1024 * 1024


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
