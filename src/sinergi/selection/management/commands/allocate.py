"""`sinergi allocate INPUT.json`: run the seat allocation engine and print the result as JSON.

For auditors: the published anonymised input and seed give back the published result, byte for byte.
``--explain ID`` prints one applicant's explanations (what the participant's result page shows).
"""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

from django.core.management.base import BaseCommand

from sinergi.core.commandline import InputFileError, read_text_argument
from sinergi.selection.engine import AllocationInputError, allocate, parse_input, result_to_json

EXIT_BAD_INPUT = 2


def _refuse_constant(name: str) -> Any:
    raise AllocationInputError(f"nilai {name} tidak diperbolehkan dalam masukan")


class Command(BaseCommand):
    help = (
        "Jalankan alokasi kursi (deferred acceptance dengan kursi cadangan) atas berkas masukan JSON dan "
        "cetak hasilnya sebagai JSON: penempatan, batas nilai, daftar tunggu, penjelasan, input_sha256."
    )

    def add_arguments(self, parser):
        parser.add_argument("input", help="berkas masukan JSON; '-' untuk membaca dari stdin")
        parser.add_argument(
            "--indent", type=int, default=None, help="indentasi JSON keluaran (bawaan ringkas)"
        )
        parser.add_argument(
            "--explain",
            metavar="ID",
            help="cetak penjelasan satu pelamar (tiap pilihan di atas kursi yang didapat), bukan hasilnya",
        )

    def handle(self, *args, **options):
        raw = self._read(options["input"])
        try:
            data = json.loads(raw, parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            self._fail(f"Masukan bukan JSON yang valid: baris {exc.lineno}, kolom {exc.colno}: {exc.msg}")
        except AllocationInputError as exc:
            self._fail(str(exc))
        except RecursionError:
            self._fail("Masukan JSON terlalu dalam bersarang")
        try:
            inp = parse_input(data)
        except AllocationInputError as exc:
            self._fail(str(exc))
        result = allocate(inp)
        if options["explain"] is not None:
            if options["explain"] not in result.assignment:
                self._fail(f"Pelamar '{options['explain']}' tidak ada dalam masukan")
            lines = [
                {"class": e.class_id, "choice": e.choice, "message": e.message}
                for e in result.explain(options["explain"])
            ]
            text = json.dumps(lines, ensure_ascii=False, indent=options["indent"])
        else:
            text = json.dumps(result_to_json(result), ensure_ascii=False, indent=options["indent"])
        if self.stdout._out is sys.stdout and hasattr(sys.stdout, "reconfigure"):
            # Messages are Indonesian text; never let a non-UTF-8 locale mangle them.
            sys.stdout.reconfigure(encoding="utf-8")
        self.stdout.write(text)

    def _read(self, name: str) -> str:
        try:
            return read_text_argument(name, kind="JSON")
        except InputFileError as exc:
            self._fail(str(exc))
        raise AssertionError("unreachable")

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        raise SystemExit(EXIT_BAD_INPUT)
