"""`sinergi load_minimum_wages FILE.csv`: load UMP figures with their sources (format: outcomes/wages.py)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sinergi.outcomes.wages import load_minimum_wages


class Command(BaseCommand):
    help = "Muat tabel upah minimum provinsi (kode_provinsi, tahun, ump, sumber, tautan) dari berkas CSV."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, **options):
        try:
            text = Path(options["path"]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Berkas tidak dapat dibaca: {exc}") from None
        try:
            loaded = load_minimum_wages(text)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        self.stdout.write(f"{loaded} baris upah minimum dimuat.")
