"""Celery tasks of reporting; CELERY_BEAT_SCHEDULE in settings rebuilds the stored funnel hourly."""

from celery import shared_task


@shared_task(name="sinergi.reporting.refresh_funnel")
def refresh_funnel() -> dict[str, int]:
    from sinergi.reporting.funnel import refresh_funnel as rebuild

    return {"rows": rebuild()}
