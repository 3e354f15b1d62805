"""`sinergi send_tracers [--today YYYY-MM-DD]`: invite graduates whose tracer round is due and send the
e-mails and reminders. Celery beat runs it daily; in the embedded mode run it daily from cron. Running
it again the same day sends nothing twice."""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from sinergi.core.models import Job
from sinergi.outcomes.services import SEND, send_tracers


class Command(BaseCommand):
    help = "Kirim undangan dan pengingat survei pelacakan (tracer) lulusan yang jatuh tempo."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Tanggal acuan YYYY-MM-DD (bawaan: hari ini).")

    def handle(self, *args, **options):
        today = None
        if options.get("today"):
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today: tanggal tidak sah, gunakan format YYYY-MM-DD.") from None
        # In the embedded mode the e-mails are sent here, before the command exits (a background
        # thread would die with it); with Celery a worker sends them.
        synchronous = settings.JOBS_MODE != "celery"
        with override_settings(JOBS_SYNCHRONOUS=synchronous or settings.JOBS_SYNCHRONOUS):
            result = send_tracers(today=today)
        self.stdout.write(f"{result['invited']} undangan tracer baru.")
        job = Job.objects.filter(kind=SEND).order_by("-pk").first()
        if synchronous and job is not None and job.result:
            sent, reminders = job.result.get("sent", 0), job.result.get("reminders", 0)
            self.stdout.write(f"{sent} e-mail undangan dan {reminders} pengingat terkirim.")
