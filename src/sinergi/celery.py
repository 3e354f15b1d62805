"""Celery application for production workers (`celery -A sinergi worker`)."""

import logging
import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")

app = Celery("sinergi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _take_over_abandoned_jobs(**_kwargs) -> None:
    """A worker that starts (again, after a crash) picks up at once what a dead one left, without
    waiting for the broker's visibility timeout or the next beat."""
    from sinergi.core.jobs import requeue_stalled_jobs

    try:
        requeue_stalled_jobs()
    except Exception:  # the worker must start even if the database is not there yet; beat tries again
        logging.getLogger(__name__).warning("stalled jobs not requeued at start", exc_info=True)
