"""`sinergi import participants FILE [--dry-run] [--json]`: bulk import from CSV or XLSX.

Valid rows are imported and invalid ones reported; exit status 0 when every row is valid, 1 when
any row is invalid, 2 when the file itself cannot be read or is over a limit (core.tables).
--dry-run checks without storing.
The subcommand leaves room for other kinds of import (e.g. `import agreements`).
"""

from __future__ import annotations

import json
import sys
from typing import NoReturn

from django.core.management.base import BaseCommand

from sinergi.registration.imports import ImportResult, UnreadableFile, import_file

EXIT_INVALID_ROWS = 1
EXIT_UNREADABLE = 2


class Command(BaseCommand):
    help = "Impor data dari berkas CSV atau XLSX. Contoh: sinergi import participants peserta.xlsx --json"

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="JENIS")
        participants = kinds.add_parser(
            "participants",
            help="peserta (dan pendaftarannya) dari berkas CSV/XLSX berkolom "
            "nik,nama,tanggal_lahir,jenis_kelamin,email,telepon,kode_wilayah,kategori,nip "
            "(boleh ditambah kegiatan_sebelum_pelatihan,gelombang,kelas_1,kelas_2,kelas_3)",
        )
        participants.add_argument(
            "file", help="berkas .csv (UTF-8 atau Windows-1252; koma, titik koma atau tab) atau .xlsx"
        )
        participants.add_argument(
            "--dry-run", action="store_true", help="periksa saja, tidak menyimpan apa pun"
        )
        participants.add_argument(
            "--json",
            action="store_true",
            help='cetak hasil per baris sebagai JSON: {"valid", "invalid", "rows"}',
        )

    def handle(self, *args, **options):
        if self.stdout._out is sys.stdout and hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(encoding="utf-8")  # Indonesian messages, whatever the terminal's locale
        if options["kind"] == "participants":
            self._participants(options)

    def _participants(self, options) -> None:
        try:
            result = import_file(options["file"], write=not options["dry_run"])
        except UnreadableFile as exc:
            self._fail(str(exc))
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "valid": result.valid,
                        "invalid": result.invalid,
                        "rows": [r.as_json() for r in result.rows],
                    },
                    ensure_ascii=False,
                )
            )
        else:
            self._print_text(result, dry_run=options["dry_run"])
        if result.invalid:
            raise SystemExit(EXIT_INVALID_ROWS)

    def _print_text(self, result: ImportResult, *, dry_run: bool) -> None:
        for row in result.rows:
            for fld, message in row.errors:
                self.stdout.write(f"baris {row.row}: {fld}: {message}")
        verb = "akan" if dry_run else "telah"
        self.stdout.write(
            f"{result.valid} baris valid, {result.invalid} baris bermasalah. "
            f"Peserta {verb} ditambahkan: {result.created}, diperbarui: {result.updated}, "
            f"tanpa perubahan: {result.unchanged}; pendaftaran baru: {result.applications_created}, "
            f"diubah: {result.applications_updated}."
            + (f" Diduga data ganda (menunggu tinjauan admin): {result.flagged}." if result.flagged else "")
            + (" (uji coba: tidak ada yang disimpan)" if dry_run else "")
        )

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        raise SystemExit(EXIT_UNREADABLE)
