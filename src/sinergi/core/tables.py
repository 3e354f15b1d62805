"""Spreadsheets in and out: the one reader of uploaded CSV/XLSX tables and the one writer of cells.

Every import (participants, LMS attendance, agreements) reads through `read_rows` or `Workbook`;
every XLSX or CSV that Sinergi writes goes through `xlsx_row` / `csv_field`.

Reading policy
  * Kind: a file that starts like a zip (``PK``) is XLSX; anything else is CSV text.
  * Encoding of CSV: UTF-8, with or without BOM; failing that, Windows-1252 (what Excel on an
    Indonesian Windows writes for "CSV (Comma delimited)"). Latin-1 is not a fallback: it accepts any
    bytes, so a binary file would be read as nonsense rows. UTF-16 (and anything with NUL bytes) is
    refused with a request to save as CSV UTF-8.
  * Delimiter of CSV: comma, semicolon or tab, whichever splits the header line into the most
    columns (ties go to comma, then semicolon).
  * Dates (`parse_date`): a date cell; ISO ``TTTT-BB-HH``; day first ``HH-BB-TTTT``, ``HH/BB/TTTT``
    or ``HH.BB.TTTT`` (one separator throughout); a time of day after the date is ignored. Never
    month first, never two-digit years. A number in an XLSX cell that is not formatted as a date is
    read as an Excel serial (1900 system) when it is at least 10000 (1927-05-18): smaller numbers are
    more likely a year or a day typed alone than a date.
  * Row numbers are the ones a spreadsheet program shows: the header is row 1, blank rows count.

Limits (`Limits`, settings ``TABLE_LIMITS``) are checked before parsing, because parsing is where a
small file turns into minutes of CPU and gigabytes of memory. An XLSX is a zip of XML: the zip
directory is checked first (member count, declared sizes), then every member is decompressed as a
stream with a cap on the real bytes (a declared size may lie), counting cells, rows and shared
strings and refusing any DTD (entity expansion) on the way; only then does openpyxl (read-only mode)
parse it, and its rows are checked again as they come (row number, width). A CSV is refused above
its byte size or, counted in lines, its row limit before it is parsed; fields above
``max_field_chars`` (Excel's own cell limit) and rows wider than the column limit are refused while
reading. Every row iterator also checks a wall-clock deadline, so a job that reads a table ends in
its time budget. Refusals raise `TableRefused` with an Indonesian message.

Writing policy (formula injection)
  * XLSX: every text is written as an explicit string cell, so a cell that begins with ``=`` is shown
    as text and never run as a formula, and reads back exactly as written; numbers (negative ones
    too) and dates keep their types. Characters XML cannot hold are removed instead of crashing.
  * CSV has no types: a text beginning with ``= + - @``, tab or CR gets a leading ``'`` (OWASP), which
    spreadsheet programs show as text. Numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from sinergi.core.jobs import JobRefused
from sinergi.core.validators import formula_like

XLSX_MAGIC = b"PK\x03\x04"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_CHUNK = 1024 * 1024
Rows = Generator[tuple[int, list[Any]], None, None]  # (row number, cells); close() to stop early
_DEADLINE_EVERY = 256  # rows between two looks at the clock


class TableRefused(JobRefused):
    """The file as a whole cannot be read; the message (Indonesian) says why, for the person. In a
    job, it fails the job with that message."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int  # size of the uploaded file
    max_unpacked_bytes: int  # XLSX: all zip members together, decompressed
    max_member_bytes: int  # XLSX: one zip member, decompressed
    max_members: int  # XLSX: files inside the zip
    max_rows: int  # data rows of one sheet (the header not counted)
    max_columns: int
    max_cells: int  # XLSX: cells of all sheets together
    max_shared_strings: int  # XLSX: distinct texts, all held in memory by the parser
    max_field_chars: int  # characters of one CSV field
    max_seconds: float  # reading a table (and what the caller does between rows) ends by then

    def with_rows(self, max_rows: int) -> Limits:
        return replace(self, max_rows=min(self.max_rows, max_rows))


def limits(**overrides: Any) -> Limits:
    """The configured limits, optionally narrowed for one kind of import."""
    return Limits(**{**settings.TABLE_LIMITS, **overrides})


class Deadline:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.at:
            raise TableRefused(
                _(
                    "Pemrosesan berkas melebihi batas waktu %(s)d detik; bagi berkas menjadi beberapa "
                    "berkas yang lebih kecil."
                )
                % {"s": self.seconds}
            )


def _n(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # Indonesian thousands separator


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def _too_big(name: str, what: str) -> TableRefused:
    return TableRefused(
        _("%(name)s ditolak: %(what)s. Bagi berkas menjadi beberapa berkas yang lebih kecil.")
        % {"name": name or _("Berkas"), "what": what}
    )


def _size_of(stream: IO[bytes]) -> int:
    position = stream.tell()
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(position)
    return size


def is_xlsx(stream: IO[bytes]) -> bool:
    head = stream.read(4)
    stream.seek(0)
    return head == XLSX_MAGIC


def check_size(stream: IO[bytes], lim: Limits, name: str = "") -> None:
    size = _size_of(stream)
    if size > lim.max_bytes:
        raise _too_big(name, _("ukurannya lebih dari %(mb)s") % {"mb": _mb(lim.max_bytes)})


# --- XLSX: the zip and its XML, before any parsing --------------------------------------------------

# Counting with bytes.count keeps the scan a small fraction of the parse it protects (2.5 %, see
# bench/bench_table_limits.py). Counts err on the high side ("<c" also counts <col>); a tag written
# in an unusual way escapes a count here but not the row and column checks made while rows are read.
_ROW_NUMBER = re.compile(rb'<row r="(\d{1,9})"')  # how Excel and LibreOffice write a row's number


@dataclass
class _Scan:
    lim: Limits
    name: str
    unpacked: int = 0
    cells: int = 0
    shared_strings: int = 0

    def add(self, xml: bytes) -> None:
        lim = self.lim
        if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
            raise TableRefused(
                _("%(name)s memuat deklarasi DTD/entitas XML yang tidak dipakai Excel; berkas ditolak.")
                % {"name": self.name or _("Berkas")}
            )
        self.cells += xml.count(b"<c") + xml.count(b":c")
        self.shared_strings += xml.count(b"<si") + xml.count(b":si")
        rows = _ROW_NUMBER.findall(xml)
        if rows and max(map(int, rows)) > lim.max_rows + 1:
            raise _too_big(self.name, _("lebih dari %(n)s baris data") % {"n": _n(lim.max_rows)})
        if self.cells > lim.max_cells:
            raise _too_big(self.name, _("lebih dari %(n)s sel") % {"n": _n(lim.max_cells)})
        if self.shared_strings > lim.max_shared_strings:
            raise _too_big(self.name, _("lebih dari %(n)s teks berbeda") % {"n": _n(lim.max_shared_strings)})


def check_xlsx(stream: IO[bytes], lim: Limits, name: str = "") -> None:
    """Refuse a workbook that is too big to parse, from what it really holds once decompressed."""
    check_size(stream, lim, name)
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _not_xlsx(name) from None
    with archive:
        members = archive.infolist()
        if len(members) > lim.max_members:
            raise _too_big(name, _("berisi %(n)d bagian (zip)") % {"n": len(members)})
        if sum(m.file_size for m in members) > lim.max_unpacked_bytes:
            raise _unpacked_too_big(name, lim.max_unpacked_bytes)
        if any(m.file_size > lim.max_member_bytes for m in members):
            raise _unpacked_too_big(name, lim.max_member_bytes)
        scan = _Scan(lim, name)
        for member in members:
            if member.flag_bits & 0x1:
                raise TableRefused(
                    _("%(name)s terenkripsi (berkata sandi); simpan ulang tanpa kata sandi.")
                    % {"name": name or _("Berkas")}
                )
            _scan_member(archive, member, scan)
    stream.seek(0)


def _unpacked_too_big(name: str, limit: int) -> TableRefused:
    return _too_big(name, _("isinya lebih dari %(max)s setelah dibuka") % {"max": _mb(limit)})


def _scan_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, scan: _Scan) -> None:
    """Decompress one member as a stream, never holding more than a chunk, and count what it holds."""
    size = 0
    carry = b""
    try:
        with archive.open(member) as part:
            while chunk := part.read(_CHUNK):
                size += len(chunk)
                scan.unpacked += len(chunk)
                if size > scan.lim.max_member_bytes:
                    raise _unpacked_too_big(scan.name, scan.lim.max_member_bytes)
                if scan.unpacked > scan.lim.max_unpacked_bytes:
                    raise _unpacked_too_big(scan.name, scan.lim.max_unpacked_bytes)
                buffer = carry + chunk
                # Cut before the last tag, so that no tag is counted twice or split in two.
                cut = buffer.rfind(b"<")
                if cut <= 0 or len(buffer) - cut > 4096:
                    cut = len(buffer)
                scan.add(buffer[:cut])
                carry = buffer[cut:]
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError):
        raise _not_xlsx(scan.name) from None
    scan.add(carry)


def _not_xlsx(name: str) -> TableRefused:
    return TableRefused(
        _("%(name)s bukan berkas Excel (XLSX) yang dapat dibaca; simpan ulang dari Excel/LibreOffice.")
        % {"name": name or _("Berkas")}
    )


# --- Reading ----------------------------------------------------------------------------------------


class Workbook:
    """An XLSX opened after check_xlsx, in openpyxl's read-only mode. Close it (or use `with`)."""

    def __init__(self, stream: IO[bytes], lim: Limits, name: str = "", deadline: Deadline | None = None):
        import openpyxl

        check_xlsx(stream, lim, name)
        self.limits = lim
        self.name = name
        self.deadline = deadline or Deadline(lim.max_seconds)
        try:
            self._book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        except Exception:  # openpyxl raises many unrelated kinds for a damaged or mislabelled file
            raise _not_xlsx(name) from None
        self.sheetnames: list[str] = list(self._book.sheetnames)

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._book.close()

    def rows(self, sheet: str | None = None) -> Iterator[tuple[int, list[Any]]]:
        """(row number, raw cell values) of a sheet (the first one by default), blank rows included."""
        ws = self._book[sheet] if sheet is not None else self._book.worksheets[0]
        if not hasattr(ws, "iter_rows"):  # a chart sheet
            return iter(())
        # The declared dimension is not trusted: rows are as wide as their own last cell.
        ws.reset_dimensions()
        return self._guarded(ws.iter_rows(values_only=True))

    def _guarded(self, rows: Iterator[tuple[Any, ...]]) -> Rows:
        try:
            for number, row in enumerate(rows, start=1):
                _check_row(number, len(row), self.limits, self.deadline, self.name)
                yield number, list(row)
        except TableRefused:
            raise
        except Exception:  # a damaged worksheet XML, found only while parsing it
            raise _not_xlsx(self.name) from None


def _check_row(number: int, width: int, lim: Limits, deadline: Deadline, name: str) -> None:
    if number > lim.max_rows + 1:
        raise _too_big(name, _("lebih dari %(n)s baris data") % {"n": _n(lim.max_rows)})
    if width > lim.max_columns:
        raise _too_big(name, _("lebih dari %(n)s kolom") % {"n": lim.max_columns})
    if number % _DEADLINE_EVERY == 0:
        deadline.check()


def decode_text(data: bytes, name: str = "") -> str:
    """CSV bytes as text: UTF-8 (BOM or not), else Windows-1252; see the module's policy."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _not_utf8(name, data[3:], exc) from None
    if b"\x00" in data[: 64 * 1024]:
        raise TableRefused(
            _("%(name)s bukan berkas CSV (teks) atau XLSX. Simpan ulang sebagai CSV UTF-8 atau XLSX.")
            % {"name": name or _("Berkas")}
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise _not_utf8(name, data, exc) from None


def _not_utf8(name: str, data: bytes, exc: UnicodeDecodeError) -> TableRefused:
    line = data.count(b"\n", 0, exc.start) + 1
    return TableRefused(
        _("%(name)s bukan teks UTF-8 (sekitar baris %(line)d). Simpan ulang sebagai CSV UTF-8.")
        % {"name": name or _("Berkas"), "line": line}
    )


def sniff_delimiter(header_line: str) -> str:
    best, widest = ",", 0
    for delimiter in (",", ";", "\t"):
        width = len(next(csv.reader([header_line], delimiter=delimiter), []))
        if width > widest:
            best, widest = delimiter, width
    return best


def csv_rows(stream: IO[bytes], lim: Limits, name: str = "", deadline: Deadline | None = None) -> Rows:
    """(row number, cells) of a CSV, blank rows included. Checks the size before reading."""
    check_size(stream, lim, name)
    text = decode_text(stream.read(), name)
    deadline = deadline or Deadline(lim.max_seconds)
    if not text.strip():
        raise TableRefused(_("Berkas %(name)s kosong: tidak ada baris judul.") % {"name": name})
    # Counted in lines before parsing (a cell spanning lines counts each): cheap, and an upper bound.
    if text.count("\n") > lim.max_rows + 1:
        raise _too_big(name, _("lebih dari %(n)s baris data") % {"n": _n(lim.max_rows)})
    header_line = text.lstrip("\r\n").split("\n", 1)[0]
    # Process-wide, like the csv module's default it replaces (131,072): Excel's own cell limit.
    csv.field_size_limit(lim.max_field_chars)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(header_line))
    return _csv_guarded(reader, lim, name, deadline)


def _csv_guarded(reader, lim: Limits, name: str, deadline: Deadline) -> Rows:
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):  # noqa: B007 - read in the except below
            _check_row(number, len(cells), lim, deadline, name)
            yield number, cells
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise _too_big(
                name,
                _("sel di baris %(row)d lebih dari %(n)s karakter")
                % {"row": number + 1, "n": _n(lim.max_field_chars)},
            ) from None
        raise TableRefused(
            _("CSV rusak di sekitar baris %(line)d: %(err)s") % {"line": number + 1, "err": exc}
        ) from None


def read_rows(stream: IO[bytes], lim: Limits, name: str = "", deadline: Deadline | None = None) -> Rows:
    """(row number, cells) of the first sheet of an XLSX, or of a CSV. XLSX cells keep their types
    (str, int, float, datetime, bool, None); CSV cells are text. The workbook closes when the rows
    are exhausted or closed."""
    if not is_xlsx(stream):
        return csv_rows(stream, lim, name, deadline)
    book = Workbook(stream, lim, name, deadline)

    def closing() -> Rows:
        try:
            yield from book.rows()
        finally:
            book.close()

    return closing()


# --- Cell values ------------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as the text a person typed: 3201… for a NIK typed as a number, ISO for a date cell."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


_ISO_DATE = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
_DAY_FIRST_DATE = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")
_TIME_OF_DAY = re.compile(r"\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:[.,]\d+)?)?")
_SERIAL_MIN, _SERIAL_MAX = 10_000, 2_958_465  # 1927-05-18 .. 9999-12-31


def excel_serial_date(serial: float) -> date | None:
    if not _SERIAL_MIN <= serial <= _SERIAL_MAX:
        return None
    # Excel's day 1 is 1900-01-01 and it counts a 29 February 1900 that never was.
    return date(1899, 12, 30) + timedelta(days=int(serial))


def parse_date(value: Any) -> date | None:
    """A date by the module's policy; None when the value is not one (or not a real calendar date)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return excel_serial_date(value)
    text = str(value).strip()
    for separator in (" ", "T"):
        head, found, tail = text.partition(separator)
        if found and _TIME_OF_DAY.fullmatch(tail.strip()):
            text = head
            break
    if m := _ISO_DATE.fullmatch(text):
        y, mo, d = int(m[1]), int(m[3]), int(m[4])
    elif m := _DAY_FIRST_DATE.fullmatch(text):
        d, mo, y = int(m[1]), int(m[3]), int(m[4])
    else:
        return None
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def is_blank(cells: list[Any]) -> bool:
    return not any(cell_text(c) for c in cells)


# --- Writing ----------------------------------------------------------------------------------------

# What XML 1.0 cannot hold (openpyxl raises IllegalCharacterError on it); tab, LF and CR are fine.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def xlsx_row(ws, values: list[Any], *, date_format: str | None = None, bold: bool = False) -> list:
    """Cells for ws.append (normal and write-only sheets): text always as a string cell, never a
    formula; numbers and dates as they are."""
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Font

    cells = []
    for value in values:
        if isinstance(value, str):
            cell = Cell(ws, row=1, column=1)  # append() gives it its real place
            cell.value = xml_safe(value)
            cell.data_type = "s"  # after the value: openpyxl would otherwise make "=…" a formula
        else:
            cell = Cell(ws, row=1, column=1, value=value)
            if date_format and isinstance(value, date):
                cell.number_format = date_format
        if bold:
            cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def csv_field(value: Any) -> str:
    """A value for csv.writer: dates ISO, numbers as numbers, formula-like text behind a quote."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, str):
        return str(value)
    text = xml_safe(value)
    return "'" + text if formula_like(text) else text


# --- Uploads waiting for their job -------------------------------------------------------------------


def store_upload(uploaded, user, folder: str) -> str:
    """Keep an uploaded table under a private, unguessable name (MEDIA is never served publicly)
    until its job reads it. Returns the storage path."""
    import secrets

    from django.core.files.storage import default_storage
    from django.utils import timezone

    suffix = ".xlsx" if uploaded.name.lower().endswith(".xlsx") else ".csv"
    name = f"private/{folder}/{timezone.now():%Y/%m}/{user.pk}-{secrets.token_hex(16)}{suffix}"
    return default_storage.save(name, uploaded)


def discard_upload(path: str) -> None:
    from django.core.files.storage import default_storage

    if default_storage.exists(path):
        default_storage.delete(path)
