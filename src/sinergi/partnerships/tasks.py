"""Celery tasks of partnerships; CELERY_BEAT_SCHEDULE in settings runs the daily one."""

from celery import shared_task


@shared_task(name="sinergi.partnerships.daily")
def daily_reminders(today: str | None = None) -> dict[str, int]:
    from datetime import date

    from django.utils import timezone

    from sinergi.partnerships.reminders import run_daily

    report = run_daily(date.fromisoformat(today) if today else timezone.localdate())
    return {"sent": report.sent, "skipped": report.skipped, "expired": report.expired}
