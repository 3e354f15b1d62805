"""`sinergi extract FILE.txt`: print the draft agreement extracted from a news or MoU text as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from sinergi.core.commandline import InputFileError, read_text_argument
from sinergi.intake.extract import MAX_CHARS, InputRejected, check_input, extract

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Baca berita atau naskah kerja sama (berkas teks UTF-8) dan cetak draf kesepakatannya sebagai JSON: "
        "pihak, jenis, status, tanggal dan tempat penandatanganan, topik, komitmen, durasi, tokoh."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="berkas teks (.txt, UTF-8); '-' untuk membaca dari stdin")
        parser.add_argument(
            "--rich",
            action="store_true",
            help="cetak bentuk lengkap: tiap nilai dengan tingkat keyakinan dan posisi karakter di teks",
        )

    def handle(self, *args, **options):
        text = self._read(options["file"])
        try:
            check_input(text)
        except InputRejected as exc:
            self._fail(exc.message)
        result = extract(text)
        data = result.to_rich_json() if options["rich"] else result.to_simple_json()
        if self.stdout._out is sys.stdout and hasattr(sys.stdout, "reconfigure"):
            # Names and places are Indonesian text; never let a non-UTF-8 locale mangle them.
            sys.stdout.reconfigure(encoding="utf-8")
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def _read(self, name: str) -> str:
        # A file far beyond the longest text the extractor accepts is refused before it is read.
        limit = MAX_CHARS * 4  # UTF-8 needs at most four bytes a character
        try:
            too_big = name != "-" and Path(name).is_file() and Path(name).stat().st_size > limit
        except OSError:
            too_big = False
        if too_big:
            self._fail(
                f"Berkas terlalu besar untuk dibaca sebagai satu berita atau naskah "
                f"(batas {MAX_CHARS:,} karakter).".replace(",", ".")
            )
        try:
            return read_text_argument(name, kind="teks")
        except InputFileError as exc:
            self._fail(str(exc))
        raise AssertionError("unreachable")

    def _fail(self, message: str) -> None:
        self.stderr.write(message)
        raise SystemExit(EXIT_BAD_INPUT)
