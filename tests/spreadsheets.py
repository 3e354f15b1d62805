"""Crafted spreadsheets for the upload tests: decompression bombs small on disk, built in the test."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from contextlib import contextmanager

import openpyxl

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def xlsx_bytes(rows, sheet_title: str | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if sheet_title:
        sheet.title = sheet_title
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _replaced(base: bytes, parts: dict[str, object]) -> bytes:
    """`base` with some zip members replaced; a value may be bytes or an iterable of byte chunks."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        names = source.namelist()
        for name in names:
            if name not in parts:
                target.writestr(name, source.read(name))
        for name, content in parts.items():
            with target.open(name, "w") as member:
                for chunk in [content] if isinstance(content, bytes) else content:
                    member.write(chunk)
    return out.getvalue()


def shared_strings_bomb(header, count: int = 1_200_000) -> bytes:
    """A workbook whose shared-string table holds `count` texts (about 17 bytes each unzipped)."""
    base = xlsx_bytes([header])

    def chunks():
        yield f'<?xml version="1.0"?><sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">'.encode()
        block = b"<si><t>a</t></si>" * 10_000
        for _ in range(count // 10_000):
            yield block
        yield b"</sst>"

    # openpyxl writes inline strings; declare a shared-string table, as Excel does.
    with zipfile.ZipFile(io.BytesIO(base)) as source:
        types = source.read("[Content_Types].xml").replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
    return _replaced(base, {"[Content_Types].xml": types, "xl/sharedStrings.xml": chunks()})


def dimension_bomb(header) -> bytes:
    """One sheet that claims (and, with one far cell, really reaches) 1,048,576 rows x 16,384 columns."""
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(header)
    )
    sheet = (
        f'<?xml version="1.0"?><worksheet xmlns="{MAIN}">'
        '<dimension ref="A1:XFD1048576"/><sheetData>'
        f'<row r="1">{cells}</row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    return _replaced(xlsx_bytes([header]), {"xl/worksheets/sheet1.xml": sheet})


def zip_bomb(header, unpacked_mb: int = 300) -> bytes:
    """A worksheet padded with whitespace to `unpacked_mb` MB: a few hundred KB on disk."""
    base = xlsx_bytes([header])
    with zipfile.ZipFile(io.BytesIO(base)) as source:
        sheet = source.read("xl/worksheets/sheet1.xml")
    head, tail = sheet.split(b"</sheetData>")

    def chunks():
        yield head
        block = b" " * (1024 * 1024)
        for _ in range(unpacked_mb):
            yield block
        yield b"</sheetData>" + tail

    return _replaced(base, {"xl/worksheets/sheet1.xml": chunks()})


def many_lines_csv(header, lines: int) -> bytes:
    """A CSV of `lines` one-character rows: half a megabyte for a quarter of a million rows."""
    return (",".join(header) + "\n" + "x\n" * lines).encode()


@contextmanager
def within_budget(*, peak_mb: float = 40, cpu_seconds: float = 10):
    """Run the block under tracemalloc and assert its peak memory and CPU time. The bounds are
    generous: the point is that a bomb is refused in milliseconds and megabytes, not minutes and
    gigabytes (the shared-strings bomb below took 14 s and 150 MB to open before it was checked)."""
    tracemalloc.start()
    started = time.process_time()
    try:
        yield
    finally:
        spent = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
        tracemalloc.stop()
    assert peak < peak_mb, f"peak memory {peak:.1f} MB"
    assert spent < cpu_seconds, f"CPU {spent:.1f} s"
