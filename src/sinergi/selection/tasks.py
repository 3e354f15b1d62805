"""Celery task of selection; CELERY_BEAT_SCHEDULE in settings runs it every hour."""

from celery import shared_task


@shared_task(name="sinergi.selection.expire_offers")
def expire_offers() -> int:
    from sinergi.selection.services import expire_offers as expire

    return expire()


@shared_task(name="sinergi.selection.remind_expiring_offers")
def remind_expiring_offers() -> int:
    from sinergi.selection.reminders import remind_expiring_offers as remind

    return remind()
