"""`sinergi remind_offers`: remind participants whose seat offer lapses within 24 hours (once per offer).
Celery beat runs it hourly; in the embedded mode run it hourly from cron, next to `expire_offers`."""

from django.core.management.base import BaseCommand

from sinergi.selection.reminders import remind_expiring_offers


class Command(BaseCommand):
    help = "Ingatkan peserta yang tawaran kursinya berakhir dalam 24 jam."

    def handle(self, *args, **options):
        sent = remind_expiring_offers()
        self.stdout.write(f"{sent} pengingat tawaran kursi terkirim.")
