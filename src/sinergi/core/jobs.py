"""Background jobs: Celery workers in production, a thread in the embedded mode.

An app registers a handler with @job_handler("kind"); callers use enqueue(). The handler gets the
Job and reports progress with report_progress(); its return value (a JSON-able dict) is stored.

Faults (tests/core/test_faults.py). A job is run by whoever claims it: a queued job, or a running one
whose worker has not been heard of for a lease (SINERGI_JOB_LEASE_SECONDS). A worker killed mid-way
therefore leaves a job that the next worker takes over, either when the broker gives the
unacknowledged message out again (acks_late, visibility timeout) or when requeue_stalled_jobs (at
worker start and every minute from beat) queues it again; a second copy of the message finds the job
claimed or finished and does nothing. Handlers make this safe by being idempotent per chunk: what a
dead run committed is found and skipped, what it had not committed was rolled back. When the broker
cannot take a job at all (Redis down), the request that made it still succeeds; the job waits,
marked undelivered, until requeue_stalled_jobs can send it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

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
        send_to_broker(job_id)
    elif settings.JOBS_SYNCHRONOUS:
        run_job_now(job_id)
    else:
        threading.Thread(target=_run_in_thread, args=(job_id,), daemon=True, name=f"job-{job_id}").start()


def send_to_broker(job_id: int) -> bool:
    """Put the job on the Celery queue; False when the broker cannot be reached. The caller's request
    goes on: the job stays queued, marked undelivered, and requeue_stalled_jobs sends it later."""
    from sinergi.core.tasks import run_job

    try:
        # One quick retry, not Celery's default three: a sign-up must not hang on a dead broker.
        run_job.apply_async(
            (job_id,),
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0.2, "interval_step": 0, "interval_max": 0.2},
        )
    except Exception as exc:  # kombu's OperationalError, redis' ConnectionError, OSError: all "no broker"
        log.warning("job %s not delivered to the broker, kept for later: %s", job_id, exc)
        Job.objects.filter(pk=job_id, undelivered_since__isnull=True).update(
            undelivered_since=timezone.now(),
            message=_("Menunggu antrean pekerjaan pulih; pekerjaan akan dijalankan otomatis."),
        )
        return False
    return True


def requeue_stalled_jobs(now=None) -> int:
    """Send again every job the broker never took, and queue again every running job whose worker
    died (no heartbeat for a lease). Returns how many were sent; stops at the first refusal."""
    if settings.JOBS_MODE != "celery":
        return 0
    now = now or timezone.now()
    lease = timedelta(seconds=settings.SINERGI_JOB_LEASE_SECONDS)
    abandoned = Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=now - lease)
    # Back to queued, so the next worker claims it at once; a live worker would have kept it fresh.
    abandoned.update(
        status=Job.Status.QUEUED,
        message=_("Pekerja berhenti di tengah jalan; pekerjaan diantrekan lagi."),
    )
    waiting = list(
        Job.objects.filter(status=Job.Status.QUEUED)
        .filter(Q(undelivered_since__isnull=False) | Q(attempts__gt=0))
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )
    sent = 0
    for job_id in waiting:
        if not send_to_broker(job_id):
            break
        Job.objects.filter(pk=job_id).update(undelivered_since=None)
        sent += 1
    return sent


def _run_in_thread(job_id: int) -> None:
    try:
        run_job_now(job_id)
    finally:
        close_old_connections()


class _Heartbeat(threading.Thread):
    """Keeps a running job's heartbeat fresh from a thread of its own, and writes its progress: a
    handler may report from inside a transaction (an import stores all rows at once), where its own
    writes would stay invisible to the progress page until the end."""

    def __init__(self, job_id: int, attempt: int) -> None:
        super().__init__(daemon=True, name=f"job-{job_id}-heartbeat")
        self.job_id, self.attempt = job_id, attempt
        self.interval = max(0.2, settings.SINERGI_JOB_LEASE_SECONDS / 4)
        self._pending: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()

    def report(self, fields: dict[str, Any]) -> None:
        with self._lock:
            self._pending.update(fields)
        self._wake.set()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        self.join(timeout=30)

    def run(self) -> None:
        try:
            while True:
                self._wake.wait(self.interval)
                self._wake.clear()
                with self._lock:
                    fields, self._pending = self._pending, {}
                try:
                    Job.objects.filter(
                        pk=self.job_id, status=Job.Status.RUNNING, attempts=self.attempt
                    ).update(heartbeat_at=timezone.now(), **fields)
                except Exception:  # the database may be restarting; the next beat tries again
                    log.warning("heartbeat of job %s not written", self.job_id, exc_info=True)
                    close_old_connections()
                if self._stopping.is_set():
                    return
        finally:
            connection.close()


_running = threading.local()


def report_progress(job: Job, progress: int, total: int | None = None, message: str = "") -> None:
    job.progress = progress
    fields = ["progress"]
    if total is not None:
        job.total = total
        fields.append("total")
    if message:
        job.message = message[:300]
        fields.append("message")
    values = {f: getattr(job, f) for f in fields}
    heartbeat = getattr(_running, "heartbeat", None)
    if heartbeat is not None and heartbeat.job_id == job.pk:
        heartbeat.report(values)
    else:
        Job.objects.filter(pk=job.pk).update(**values, heartbeat_at=timezone.now())


def _claim(job_id: int) -> Job | None:
    """Take the job for this run: queued, or running with a worker not heard of for a lease."""
    now = timezone.now()
    lease = timedelta(seconds=settings.SINERGI_JOB_LEASE_SECONDS)
    abandoned = Q(status=Job.Status.RUNNING) & (
        Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - lease)
    )
    claimed = (
        Job.objects.filter(Q(status=Job.Status.QUEUED) | abandoned, pk=job_id)
        # The bar starts from zero in the same write: what a dead run had not committed is gone, and
        # the handler reports what is stored as it finds it.
        .update(
            status=Job.Status.RUNNING,
            attempts=F("attempts") + 1,
            heartbeat_at=now,
            undelivered_since=None,
            progress=0,
        )
    )
    if not claimed:
        return None
    job = Job.objects.get(pk=job_id)
    if job.attempts > 1:
        job.message = _(
            "Dilanjutkan setelah pekerja berhenti (percobaan ke-%(n)d); bagian yang sudah tersimpan "
            "tidak diulang."
        ) % {"n": job.attempts}
        Job.objects.filter(pk=job.pk).update(message=job.message)
    return job


def run_job_now(job_id: int) -> Job:
    job = _claim(job_id)
    if job is None:  # finished, or a live run elsewhere has it
        return Job.objects.get(pk=job_id)
    claim_message = job.message
    heartbeat = None
    if settings.JOBS_MODE == "celery" and not settings.JOBS_SYNCHRONOUS:
        heartbeat = _Heartbeat(job.pk, job.attempts)
        heartbeat.start()
        _running.heartbeat = heartbeat
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
        if not job.message or job.message == claim_message:
            job.message = "Selesai."
        job.progress = max(job.progress, job.total)
    finally:
        if heartbeat is not None:
            _running.heartbeat = None
            heartbeat.stop()
    job.finished_at = timezone.now()
    # Only this run's own outcome: a run taken over by another (it was thought dead) writes nothing.
    Job.objects.filter(pk=job.pk, attempts=job.attempts).update(
        status=job.status,
        result=job.result,
        message=job.message,
        progress=job.progress,
        finished_at=job.finished_at,
    )
    return job
