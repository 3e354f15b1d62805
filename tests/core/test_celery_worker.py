"""A real job through a real Celery worker and Redis (127.0.0.1:6379)."""

import os
import subprocess
import sys
import time

import pytest

REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def worker():
    env = dict(os.environ, CELERY_BROKER_URL=REDIS, DJANGO_SETTINGS_MODULE="sinergi.settings")
    env.pop("DATABASE_URL", None)
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
            "celery",
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


def test_ping_task_runs_on_a_real_worker(worker):
    from celery import Celery

    client = Celery("sinergi-test", broker=REDIS, backend=REDIS)
    started = time.monotonic()
    result = client.send_task("sinergi.ping", args=["sinergi"])
    assert result.get(timeout=60) == "pong:sinergi"
    assert time.monotonic() - started < 60
