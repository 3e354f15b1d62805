"""Celery task of the tracer; CELERY_BEAT_SCHEDULE in settings runs it every morning."""

from celery import shared_task


@shared_task(name="sinergi.outcomes.send_tracers")
def send_tracers() -> dict:
    from sinergi.outcomes.services import send_tracers as send

    return send()
