"""`sinergi expire_offers`: mark seat offers past their deadline as expired (run it hourly from cron or
Celery beat). Their seats are then filled by the next backfill run, never by hand.

`--pada` judges the deadlines at a given moment instead of now (a replay, or a test's fixed clock)."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sinergi.selection.services import expire_offers


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--pada: bukan waktu ISO 8601 (mis. 2026-12-01T08:00): {value}") from exc
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = "Tandai tawaran kursi yang melewati batas jawaban sebagai kedaluwarsa."

    def add_arguments(self, parser):
        parser.add_argument(
            "--pada", type=_moment, default=None, help="waktu acuan (ISO 8601); bawaan: sekarang"
        )

    def handle(self, *args, **options):
        count = expire_offers(now=options["pada"])
        self.stdout.write(f"{count} tawaran kursi kedaluwarsa.")
