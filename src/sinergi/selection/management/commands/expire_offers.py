"""`sinergi expire_offers`: mark seat offers past their deadline as expired (run it hourly from cron or
Celery beat). Their seats are then filled by the next backfill run, never by hand."""

from django.core.management.base import BaseCommand

from sinergi.selection.services import expire_offers


class Command(BaseCommand):
    help = "Tandai tawaran kursi yang melewati batas jawaban sebagai kedaluwarsa."

    def handle(self, *args, **options):
        count = expire_offers()
        self.stdout.write(f"{count} tawaran kursi kedaluwarsa.")
