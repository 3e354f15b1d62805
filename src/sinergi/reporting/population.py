"""Population reference data: the CSV shipped in reporting/data, or one an officer loads."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

DEFAULT_CSV = Path(__file__).parent / "data" / "population.csv"
COLUMNS = ("kode_wilayah", "nama_wilayah", "tahun", "penduduk", "sumber")


class PopulationFileError(ValueError):
    pass


def read_population(lines: Iterable[str]) -> list[tuple[str, int, int, str]]:
    """(region_code, year, population, source) rows; a bad row raises with its line number and column."""
    reader = csv.DictReader(lines)
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise PopulationFileError(f"Kolom wajib tidak ada: {', '.join(missing)}.")
    rows = []
    for number, row in enumerate(reader, start=2):
        code = (row["kode_wilayah"] or "").strip()
        try:
            year = int(row["tahun"])
        except (TypeError, ValueError):
            raise PopulationFileError(f"Baris {number}, kolom tahun: '{row['tahun']}' bukan tahun.") from None
        try:
            population = int((row["penduduk"] or "").replace(".", "").strip())
        except ValueError:
            raise PopulationFileError(
                f"Baris {number}, kolom penduduk: '{row['penduduk']}' bukan bilangan bulat."
            ) from None
        source = (row["sumber"] or "").strip()
        if not code:
            raise PopulationFileError(f"Baris {number}, kolom kode_wilayah: wajib diisi.")
        if population <= 0:
            raise PopulationFileError(f"Baris {number}, kolom penduduk: harus lebih dari 0.")
        if not source:
            raise PopulationFileError(f"Baris {number}, kolom sumber: wajib diisi (mis. BPS, tahun tabel).")
        rows.append((code, year, population, source[:200]))
    return rows


def load_population(model, lines: Iterable[str]) -> int:
    """Insert or update every row (all or nothing: rows are read before anything is written)."""
    from django.db import transaction

    rows = read_population(lines)
    with transaction.atomic():
        for code, year, population, source in rows:
            model.objects.update_or_create(
                region_code=code, year=year, defaults={"population": population, "source": source}
            )
    return len(rows)


def load_default(model) -> int:
    with DEFAULT_CSV.open(encoding="utf-8") as handle:
        return load_population(model, handle)
