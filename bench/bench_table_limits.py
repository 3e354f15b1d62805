"""What the upload limits cost and what they save (issue 12): core.tables.check_xlsx before parsing.

    .venv/bin/python bench/bench_table_limits.py               # 100,000 participant rows (≈ 1 min)
    .venv/bin/python bench/bench_table_limits.py --rows 20000  # smaller run

1. A realistic participant workbook (the template's columns, distinct names, e-mails and phone
   numbers as text, NIK as text, dates as date cells) written by openpyxl: its size on disk, its size
   unzipped, its shared strings, the time of the pre-parse check against the time of reading every
   row with openpyxl (read-only), and whether it fits the default limits (it must).
2. The shared-strings bomb of the issue (a few dozen KB, 1.2 million texts): opening it with
   openpyxl as the imports did before, against the check that refuses it.

Targets: the check costs at most 15 % of reading the rows of the legitimate file, which fits the
default limits; the bomb is refused in under 1 s, at least 20x faster than openpyxl opens it.
Timings are CPU seconds of this process on a shared machine.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")

CHECK_SHARE = 0.15
BOMB_SECONDS = 1.0
BOMB_RATIO = 20.0


def participant_workbook(n: int) -> bytes:
    import openpyxl

    from sinergi.registration.import_rows import PERSON_COLUMNS

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("peserta")
    sheet.append(PERSON_COLUMNS)
    born = date(1970, 1, 1)
    for i in range(n):
        sheet.append(
            [
                f"1671{i:012d}",
                f"Peserta Uji Nomor {i}",
                born + timedelta(days=i % 15000),
                "L" if i % 2 else "P",
                f"peserta{i}@contoh.go.id",
                f"0812{i:08d}",
                "16.71",
                "asn" if i % 4 == 0 else "umum",
                f"19900101201501{i % 10000:04d}" if i % 4 == 0 else None,
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def cpu(fn) -> tuple[float, object]:
    started = time.process_time()
    value = fn()
    return time.process_time() - started, value


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()

    import django

    django.setup()
    import openpyxl
    from tests.spreadsheets import shared_strings_bomb

    from sinergi.core import tables

    limits = tables.limits()
    data = participant_workbook(args.rows)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(m.file_size for m in archive.infolist())
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    # openpyxl writes texts inline; Excel would put each distinct one in the shared-string table.
    strings = len(set(re.findall(rb"<t>([^<]*)</t>", sheet_xml)))
    check_s, _ = cpu(lambda: tables.check_xlsx(io.BytesIO(data), limits, "peserta.xlsx"))

    def read_all() -> int:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        count = sum(1 for _row in book.worksheets[0].iter_rows(values_only=True))
        book.close()
        return count

    read_s, count = cpu(read_all)
    share = check_s / read_s
    print(f"participant workbook: {args.rows:,} rows, {len(data) / 1e6:.1f} MB on disk, ")
    print(f"  {unpacked / 1e6:.0f} MB unzipped, {strings:,} distinct texts (Excel's shared strings; limits: ")
    print(f"  {limits.max_unpacked_bytes / 1e6:.0f} MB, {limits.max_shared_strings:,} strings)")
    print(f"  check {check_s:6.2f} s   read every row {read_s:6.2f} s   check/read {share:.1%}")

    bomb = shared_strings_bomb(["nik", "nama"])
    open_s, _ = cpu(lambda: openpyxl.load_workbook(io.BytesIO(bomb), read_only=True).close())

    def refuse() -> str:
        try:
            tables.check_xlsx(io.BytesIO(bomb), limits, "bom.xlsx")
        except tables.TableRefused as refused:
            return str(refused)
        return ""

    refuse_s, message = cpu(refuse)
    print(f"shared-strings bomb: {len(bomb) / 1e3:.0f} KB on disk")
    print(f"  openpyxl opens it in {open_s:6.2f} s; check refuses it in {refuse_s:6.3f} s ")
    print(f"  ({open_s / refuse_s:,.0f}x): {message}")
    ok = (
        count == args.rows + 1
        and share <= CHECK_SHARE
        and refuse_s <= BOMB_SECONDS
        and open_s / refuse_s >= BOMB_RATIO
        and bool(message)
    )
    print(
        f"targets: check <= {CHECK_SHARE:.0%} of reading, bomb refused <= {BOMB_SECONDS:.0f} s and "
        f">= {BOMB_RATIO:.0f}x faster than opening: {'met' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
