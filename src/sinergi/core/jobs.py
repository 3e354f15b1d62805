"""Background jobs: Celery workers in production, a thread in the embedded mode.

An app registers a handler with @job_handler("kind"); callers use enqueue(). The handler gets the
Job and reports progress with report_progress(); its return value (a JSON-able dict) is stored.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone

from sinergi.core.models import Job

log = logging.getLogger(__name__)
Handler = Callable[..., dict[str, Any] | None]
_handlers: dict[str, Handler] = {}


class JobRefused(Exception):
    """Raised by a handler whose input cannot be processed (an unreadable or oversized upload): the
    job fails with this message, meant for the person who started it, and no traceback is logged."""


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _handlers[kind] = fn
        return fn

    return register


def enqueue(kind: str, *, user=None, **params: Any) -> Job:
    if kind not in _handlers:
        raise KeyError(f"Tidak ada penangan pekerjaan untuk jenis '{kind}'.")
    job = Job.objects.create(kind=kind, params=params, created_by=user if user and user.pk else None)
    transaction.on_commit(lambda: _dispatch(job.pk))
    return job


def _dispatch(job_id: int) -> None:
    if settings.JOBS_MODE == "celery":
        from sinergi.core.tasks import run_job

        run_job.delay(job_id)
    elif settings.JOBS_SYNCHRONOUS:
        run_job_now(job_id)
    else:
        threading.Thread(target=_run_in_thread, args=(job_id,), daemon=True, name=f"job-{job_id}").start()


def _run_in_thread(job_id: int) -> None:
    try:
        run_job_now(job_id)
    finally:
        close_old_connections()


def report_progress(job: Job, progress: int, total: int | None = None, message: str = "") -> None:
    job.progress = progress
    fields = ["progress"]
    if total is not None:
        job.total = total
        fields.append("total")
    if message:
        job.message = message[:300]
        fields.append("message")
    Job.objects.filter(pk=job.pk).update(**{f: getattr(job, f) for f in fields})


def run_job_now(job_id: int) -> Job:
    job = Job.objects.get(pk=job_id)
    if job.is_finished:
        return job
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    try:
        result = _handlers[job.kind](job, **job.params) or {}
    except JobRefused as exc:
        job.status, job.message, job.result = Job.Status.FAILED, str(exc)[:300], {}
    except Exception as exc:  # the failure is shown to the person who started the job
        log.exception("job %s failed", job_id)
        job.status, job.message = Job.Status.FAILED, f"Gagal: {exc}"[:300]
        job.result = {}
    else:
        job.status, job.result = Job.Status.DONE, result
        if not job.message:
            job.message = "Selesai."
        job.progress = max(job.progress, job.total)
    job.finished_at = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=job.status,
        result=job.result,
        message=job.message,
        progress=job.progress,
        finished_at=job.finished_at,
    )
    return job
