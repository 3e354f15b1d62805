"""Crafted PDF and DOCX files for the upload tests: decompression bombs small on disk, built in the test."""

from __future__ import annotations

import io
import zipfile
import zlib

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


def docx_with_members(members: dict[str, bytes | int]) -> bytes:
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


def pdf_bomb() -> bytes:
    """Two pages of 22 MB of text each (Flate-compressed): under 250 KB on disk."""
    return pdf_with_pages([text_page("A" * 200, repeat=100_000)] * 2)


def docx_bomb() -> bytes:
    """A DOCX whose document.xml inflates to 59 MB: under 400 KB on disk."""
    return docx_with_members({"[Content_Types].xml": b"<Types/>", "word/document.xml": 59 * MB})
