"""Celery tasks of partnerships; CELERY_BEAT_SCHEDULE in settings runs the daily one."""

from celery import shared_task


@shared_task(name="sinergi.partnerships.daily")
def daily_reminders(today: str | None = None) -> dict[str, int]:
    from datetime import date

    from django.utils import timezone

    from sinergi.partnerships.reminders import run_daily

    report = run_daily(date.fromisoformat(today) if today else timezone.localdate())
    return {"sent": report.sent, "skipped": report.skipped, "expired": report.expired}


@shared_task(name="sinergi.partnerships.refresh_metrics")
def refresh_metrics() -> dict[str, int]:
    """The safety net of metrics.py: stale, unmeasured and older-than-MAX_AGE values measured again."""
    from sinergi.partnerships.metrics import MAX_AGE, refresh_stale

    return {"measured": refresh_stale(older_than=MAX_AGE)}
