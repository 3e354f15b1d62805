"""sinergi seed_national [--participants N] [--seed S] [--tracer-answers T]: the national data set
of issues 14 and 16 (national.py)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sinergi.reporting.national import seed_national


class Command(BaseCommand):
    help = "Membuat data set nasional (peserta, pendaftaran, kelas, sertifikat, kerja sama) untuk uji skala."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--participants", type=int, default=500_000)
        parser.add_argument("--seed", type=int, default=14)
        parser.add_argument(
            "--tracer-answers", type=int, default=None, help="jawaban tracer (bawaan: peserta / 10)"
        )

    def handle(self, *args, participants: int, seed: int, tracer_answers: int | None, **options) -> None:
        if participants < 100:
            raise CommandError("--participants minimal 100.")
        started = time.monotonic()
        try:
            seed_national(participants=participants, seed=seed, tracers=tracer_answers, say=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"waktu: {time.monotonic() - started:.0f} s")
