"""`sinergi load_default_tracer`: create the DTS/BLK tracer survey or bring its questions up to date
(a new version when the current one has answers). Safe to run again."""

from django.core.management.base import BaseCommand

from sinergi.outcomes.services import load_default_tracer


class Command(BaseCommand):
    help = "Muat survei tracer bawaan DTS/BLK (aman dijalankan ulang)."

    def handle(self, *args, **options):
        survey = load_default_tracer()
        version = survey.current_version
        self.stdout.write(f"{survey.title}: versi {version.number if version else '-'}.")
