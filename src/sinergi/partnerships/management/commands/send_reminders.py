"""`sinergi send_reminders [--today YYYY-MM-DD]`: the daily partnership job for the embedded mode
(cron or a systemd timer); production runs the same function from Celery beat."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sinergi.partnerships.reminders import run_daily


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--today harus berbentuk TTTT-BB-HH, mis. 2026-11-23 (diberikan: {value})."
        ) from None


class Command(BaseCommand):
    help = (
        "Kirim pengingat masa berakhir kerja sama (90, 60, 30, 7 dan 0 hari) dan tandai kerja sama "
        "yang lewat tanggal berakhir sebagai Kedaluwarsa. Aman dijalankan berulang kali."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Tanggal acuan TTTT-BB-HH (bawaan: hari ini).")

    def handle(self, *args, **options):
        today = _parse_day(options["today"]) if options.get("today") else timezone.localdate()
        report = run_daily(today)
        self.stdout.write(
            f"{today:%d-%m-%Y}: {report.sent} pengingat terkirim, {report.skipped} sudah pernah dikirim, "
            f"{report.expired} kerja sama menjadi Kedaluwarsa."
        )
