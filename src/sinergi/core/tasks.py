from celery import shared_task


@shared_task(name="sinergi.run_job")
def run_job(job_id: int) -> str:
    from sinergi.core.jobs import run_job_now

    return run_job_now(job_id).status


@shared_task(name="sinergi.ping")
def ping(value: str) -> str:
    """Round trip used by /healthz and the worker test."""
    return f"pong:{value}"


@shared_task(name="sinergi.core.apply_retention")
def apply_retention() -> dict[str, int]:
    from sinergi.core import retention

    return {o.code: o.removed for o in retention.apply(dry_run=False)}


@shared_task(name="sinergi.core.requeue_stalled_jobs")
def requeue_stalled_jobs() -> int:
    """Every minute from beat, and at each worker's start: jobs the broker never took (Redis was
    down) and jobs whose worker died are sent again."""
    from sinergi.core.jobs import requeue_stalled_jobs as requeue

    return requeue()
