"""Benchmark of the participant bulk import (issue 5) against PostgreSQL COPY of the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import .venv/bin/python bench/bench_import.py
    .venv/bin/python bench/bench_import.py --rows 20000     # smaller run

The database is created if missing and migrated, and the participant table is emptied first. One CSV
of generated rows (valid NIKs composed from real kecamatan codes, 25 % ASN with a consistent NIP,
1 % deliberately invalid) is written once; then:

  import   = `sinergi import participants FILE` in-process: read, check every row (NIK rules,
             region codes), keyed hash, Fernet encryption, chunked bulk_create in one transaction
  reimport = the same file again (every row found by NIK hash and unchanged: nothing written)
  COPY     = psycopg COPY of the same CSV into a plain text table with the same columns (the floor:
             no checks, no hashing, no encryption, no indexes)

Targets: import of 100,000 rows <= 60 s, and <= 10x COPY. Timings are wall-clock on a shared machine.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_import"
os.environ["DATABASE_URL"] = os.environ.get("DATABASE_URL") or DEFAULT_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")

TARGET_SECONDS = 60.0
TARGET_RATIO = 10.0


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')


def generate_csv(path: Path, n: int, seed: int = 2026) -> int:
    """n rows; returns how many are deliberately invalid."""
    from sinergi.regions.models import Region
    from sinergi.registration.import_rows import PERSON_COLUMNS as HEADER  # the template's columns
    from sinergi.registration.nik import compose_nik

    rng = random.Random(seed)
    kecamatan = list(
        Region.objects.filter(level=Region.Level.DISTRICT, code__startswith="16.").values_list(
            "code", flat=True
        )
    )
    first = ["Siti", "Budi", "Dewi", "Agus", "Rina", "Andi", "Putri", "Rizky", "Nur", "Hendra", "Ayu", "Joko"]
    last = ["Rahmawati", "Santoso", "Lestari", "Saputra", "Wijaya", "Hidayat", "Pratama", "Kurniawan"]
    categories = ["asn", "asn", "pelajar", "guru", "umkm", "umum", "umum", "asn"]
    invalid = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for i in range(n):
            sex = "P" if i % 2 else "L"
            born = date(1965, 1, 1) + timedelta(days=rng.randint(0, 14000))
            code = kecamatan[(i // 10000 + i) % len(kecamatan)]
            nik = compose_nik(code, born, sex, i % 10000)
            category = categories[i % len(categories)]
            nip = ""
            if category == "asn":
                tmt = min(born.year + 24, 2024)
                nip = f"{born:%Y%m%d}{tmt}{rng.randint(1, 12):02d}{1 if sex == 'L' else 2}{i % 1000:03d}"
            day = born.isoformat() if i % 3 else born.strftime("%d-%m-%Y")
            if i % 100 == 99:  # 1 %: a birth date that disagrees with the NIK
                day = (born + timedelta(days=1)).isoformat()
                invalid += 1
            writer.writerow(
                [
                    nik,
                    f"{rng.choice(first)} {rng.choice(last)}",
                    day,
                    sex,
                    f"peserta{i}@contoh.id",
                    f"08{rng.randint(100_000_000, 999_999_999)}",
                    code[:5] if i % 2 else code[:5].replace(".", ""),
                    category,
                    nip,
                ]
            )
    return invalid


def time_copy(url: str, path: Path) -> float:
    import psycopg

    from sinergi.registration.import_rows import PERSON_COLUMNS as HEADER

    with psycopg.connect(url) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_import_copy")
        conn.execute("CREATE TABLE bench_import_copy (" + ", ".join(f"{c} text" for c in HEADER) + ")")
        conn.commit()
        started = time.perf_counter()
        with (
            conn.cursor() as cur,
            cur.copy("COPY bench_import_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
        ):
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    copy.write(chunk)
        conn.commit()
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE bench_import_copy")
        conn.commit()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        sys.exit("bench_import needs PostgreSQL: DATABASE_URL=postgres://...")
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from sinergi.core import pii
    from sinergi.registration.imports import import_file

    call_command("migrate", verbosity=0)
    with connection.cursor() as cur:
        cur.execute("TRUNCATE registration_participant CASCADE")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "peserta.csv"
        invalid = generate_csv(path, args.rows)
        size_mb = path.stat().st_size / 1e6

        started, cpu = time.perf_counter(), time.process_time()
        result = import_file(path, write=True)
        import_s, import_cpu = time.perf_counter() - started, time.process_time() - cpu
        assert result.invalid == invalid, (result.invalid, invalid)

        started = time.perf_counter()
        again = import_file(path, write=True)
        reimport_s = time.perf_counter() - started
        assert again.created == again.updated == 0

        started, cpu = time.perf_counter(), time.process_time()
        checked = import_file(path, write=False)
        check_s, check_cpu = time.perf_counter() - started, time.process_time() - cpu
        assert checked.valid == result.valid

        started = time.process_time()
        pii.encrypt_many([f"{1671010101900000 + i}" for i in range(result.valid)])
        fernet_s = time.process_time() - started

        copy_s = time_copy(url, path)

    n = args.rows
    ratio = import_s / copy_s
    print(f"Participant import vs PostgreSQL COPY (python {sys.version.split()[0]}, {os.cpu_count()} CPU)")
    print(f"  file: {n:,} rows, {size_mb:.1f} MB CSV, {invalid:,} invalid on purpose")
    print(
        f"  import   {import_s:7.2f} s  {n / import_s:9,.0f} rows/s  "
        f"({result.created:,} created, {result.invalid:,} refused)"
    )
    print(
        f"  reimport {reimport_s:7.2f} s  {n / reimport_s:9,.0f} rows/s  "
        "(0 written: unchanged rows are skipped)"
    )
    print(
        f"  check    {check_s:7.2f} s  {n / check_s:9,.0f} rows/s  "
        "(--dry-run: read + row checks + hash lookups)"
    )
    print(f"  CPU      {import_cpu:7.2f} s  of this process during the import (check: {check_cpu:.2f} s)")
    print(
        f"  Fernet   {fernet_s:7.2f} s  CPU of encrypting {result.valid:,} NIKs "
        "(pii.encrypt_many, part of the import)"
    )
    load = os.getloadavg()[0]
    print(f"  load average {load:.1f} at the end; import CPU is {import_cpu / copy_s:.1f}x COPY wall-clock")
    if load > (os.cpu_count() or 1):
        print(f"  note: load average {load:.1f} on {os.cpu_count()} CPUs; wall-clock figures are inflated")
    print(f"  COPY     {copy_s:7.2f} s  {n / copy_s:9,.0f} rows/s  (same CSV into a plain text table)")
    print(f"  ratio: import is {ratio:.1f}x COPY (target <= {TARGET_RATIO:.0f}x)")
    ok = ratio <= TARGET_RATIO and (n < 100_000 or import_s <= TARGET_SECONDS)
    print(
        f"  target: {n:,} rows <= {TARGET_SECONDS:.0f} s and <= {TARGET_RATIO:.0f}x COPY "
        f"-> {'OK' if ok else 'MISSED'}"
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
