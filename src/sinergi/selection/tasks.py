"""Celery task of selection; CELERY_BEAT_SCHEDULE in settings runs it every hour."""

from celery import shared_task


@shared_task(name="sinergi.selection.expire_offers")
def expire_offers() -> int:
    from sinergi.selection.services import expire_offers as expire

    return expire()
