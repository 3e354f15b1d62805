"""A real job through a real Celery worker and Redis (127.0.0.1:6379) against the test database."""

import os
import subprocess
import sys
import uuid

import pytest
from django.db import connection

from sinergi.core.models import Job

REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# A queue of this run's own: other test runs on the same Redis (parallel checkouts, CI jobs) have
# workers of their own databases, which must never take this run's job.
QUEUE = f"sinergi-test-{uuid.uuid4().hex}"

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker():
    if connection.vendor != "postgresql":
        # The worker is another process: it cannot see the SQLite test database, which lives in memory.
        pytest.skip("runs in the PostgreSQL pass of `make test`")
    env = dict(
        os.environ,
        CELERY_BROKER_URL=REDIS,
        DATABASE_URL=_database_url(),
        DJANGO_SETTINGS_MODULE="sinergi.settings",
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "sinergi",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            QUEUE,
            "--loglevel=WARNING",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_a_queued_job_is_run_by_the_worker_and_its_result_stored(worker):
    from celery import Celery

    # What enqueue() does in Celery mode: a Job row, then its id on the queue.
    job = Job.objects.create(kind="selection.expire_offers", params={})
    client = Celery("sinergi-test", broker=REDIS, backend=REDIS)
    result = client.send_task("sinergi.run_job", args=[job.pk], queue=QUEUE)
    assert result.get(timeout=60) == Job.Status.DONE
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result == {"expired": 0} and job.finished_at is not None
