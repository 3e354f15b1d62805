"""sinergi load_population [FILE]: population reference data per region and year.

Columns: kode_wilayah,nama_wilayah,tahun,penduduk,sumber (shipped: reporting/data/population.csv)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sinergi.reporting.models import Population
from sinergi.reporting.population import DEFAULT_CSV, PopulationFileError, load_population


class Command(BaseCommand):
    help = "Memuat data jumlah penduduk per wilayah dan tahun (CSV, mis. proyeksi BPS)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default=str(DEFAULT_CSV))

    def handle(self, *args, file: str, **options) -> None:
        try:
            with open(file, encoding="utf-8") as handle:
                n = load_population(Population, handle)
        except OSError as exc:
            raise CommandError(f"Berkas '{file}' tidak dapat dibaca: {exc.strerror}.") from exc
        except PopulationFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"jumlah penduduk dimuat: {n} baris")
