"""sinergi refresh_dashboards: rebuild the stored funnel the dashboards and open data read (cron in the
embedded mode; Celery beat runs it hourly in production)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from sinergi.reporting.funnel import refresh_funnel


class Command(BaseCommand):
    help = "Menghitung ulang corong pelatihan untuk dasbor dan data terbuka."

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        rows = refresh_funnel()
        self.stdout.write(f"corong dihitung ulang: {rows} baris dalam {time.monotonic() - started:.1f} s")
