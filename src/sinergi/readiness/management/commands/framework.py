"""`sinergi framework load FILE.yaml [FILE.yaml ...]` and `sinergi framework list`.

load: checks each file completely before loading anything; every problem is printed on stderr as
`line N: reason` and the command exits 2 with nothing loaded. Exit 0: loaded (or already loaded with
the same content). A version once loaded never changes: the same slug and version with other content is
refused, so assessments made under it keep their meaning.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from sinergi.core.commandline import InputFileError, read_text_argument
from sinergi.readiness import services
from sinergi.readiness.frameworks import FrameworkFileError
from sinergi.readiness.messages import problem_lines
from sinergi.readiness.models import Framework

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Muat dan daftar kerangka kesiapan smart city / SPBE dari berkas YAML."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="muat berkas kerangka YAML")
        load.add_argument("files", nargs="+", help="berkas YAML")
        sub.add_parser("list", help="daftar kerangka yang sudah dimuat")

    def handle(self, *args, **options) -> None:
        if options["action"] == "list":
            for framework in Framework.objects.order_by("slug", "version"):
                count = framework.indicators.count()
                self.stdout.write(
                    f"{framework.slug}\tv{framework.version}\t{count} indikator\t{framework.name}"
                )
            return
        failed = False
        try:
            with transaction.atomic():
                for name in options["files"]:
                    try:
                        framework, created = services.load_framework(
                            text=read_text_argument(name, kind="YAML")
                        )
                    except InputFileError as exc:
                        self.stderr.write(f"{name}: {exc}")
                        failed = True
                        continue
                    except FrameworkFileError as exc:
                        for line in problem_lines(exc.problems):
                            self.stderr.write(f"{name}: {line}")
                        failed = True
                        continue
                    verb = "dimuat" if created else "sudah dimuat, tidak berubah"
                    count = framework.indicators.count()
                    self.stdout.write(
                        f"{name}: {framework.name} v{framework.version} {verb} ({count} indikator)"
                    )
                if failed:
                    raise _NothingLoaded
        except _NothingLoaded:
            self.stderr.write("Tidak ada kerangka yang dimuat.")
            sys.exit(EXIT_BAD_INPUT)


class _NothingLoaded(Exception):
    pass
