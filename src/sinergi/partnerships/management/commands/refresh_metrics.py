"""sinergi refresh_metrics [--verify]

Without options: every commitment measured from scratch and its value stored (the cron job of the
embedded mode may pass --stale-only to measure only stale, unmeasured or hour-old values).
--verify: nothing is written; every stored value is compared with the live computation, each
difference is listed, and the exit status is 1 when there is any.
"""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand, CommandParser

from sinergi.partnerships import metrics
from sinergi.partnerships.models import Commitment


class Command(BaseCommand):
    help = "Menghitung ulang kemajuan tersimpan komitmen (--verify: bandingkan dengan hitungan langsung)."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--verify", action="store_true", help="Hanya membandingkan; keluar 1 bila berbeda."
        )
        group.add_argument(
            "--stale-only",
            action="store_true",
            help="Hanya nilai yang usang, belum dihitung, atau lebih dari 1 jam.",
        )

    def handle(self, *args, verify: bool, stale_only: bool, **options) -> None:
        started = time.monotonic()
        commitments = Commitment.objects.select_related("agreement").order_by("pk")
        if verify:
            differing = metrics.verify(commitments)
            for commitment, stored, live in differing:
                shown = "belum dihitung" if stored is None else f"{stored:f}"
                self.stdout.write(
                    f"komitmen {commitment.pk} ({commitment.metric_key}): "
                    f"tersimpan {shown}, langsung {live:f}"
                )
            self.stdout.write(
                f"{len(differing)} nilai berbeda dari {commitments.count()} komitmen "
                f"({time.monotonic() - started:.1f} s)."
            )
            if differing:
                sys.exit(1)
            return
        if stale_only:
            measured = metrics.refresh_stale(older_than=metrics.MAX_AGE)
        else:
            measured = len(metrics.refresh(commitments))
        self.stdout.write(f"{measured} komitmen dihitung ({time.monotonic() - started:.1f} s).")
