"""Faults against real processes: a Celery worker SIGKILLed in the middle of a bulk job, Redis gone.

Each test starts its own Redis server and worker (tests/services.py) against this run's PostgreSQL
test database; the machine's Redis is never stopped. PostgreSQL pass only (a worker process cannot
see the in-memory SQLite database).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from tests.factories import (
    IMPORT_HEADER,
    BatchFactory,
    ParticipantFactory,
    ProgramFactory,
    TrainingClassFactory,
    UserFactory,
    import_row,
    regional_admin,
)
from tests.services import RedisServer, WebServer, Worker, database_url, service_env, wait_until

from sinergi.core.models import Job, Notification
from sinergi.credentials.models import Credential
from sinergi.learning.models import Enrolment
from sinergi.registration import imports
from sinergi.registration.models import Application, Participant

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
LEASE = "2"  # seconds without a heartbeat before a running job counts as abandoned


@pytest.fixture
def redis_server(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass of `make test`")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def worker(redis_server, tmp_path, settings):
    settings.SINERGI_JOB_LEASE_SECONDS = float(LEASE)
    env = service_env(
        CELERY_BROKER_URL=redis_server.url,
        DATABASE_URL=database_url(connection.settings_dict),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        SINERGI_JOB_LEASE_SECONDS=LEASE,
        CELERY_VISIBILITY_TIMEOUT="2",
    )
    process = Worker(env, tmp_path / "worker.log")
    yield process
    process.stop()


def send(redis_server: RedisServer, job: Job) -> None:
    from celery import Celery

    Celery("sinergi-test", broker=redis_server.url).send_task("sinergi.run_job", args=[job.pk])


def watch(job: Job, until, samples: list[tuple[int, int, str, int]], *, timeout: float, what: str) -> Job:
    """Poll the job as its progress page does, keeping each (attempt, progress, status, stored)."""

    def look():
        job.refresh_from_db()
        samples.append((job.attempts, job.progress, job.status, job.total))
        return job if until(job) else None

    return wait_until(look, timeout=timeout, what=what, every=0.02)


def assert_bar_never_runs_ahead(samples, total: int) -> None:
    """Within one run the bar only moves forward and never passes the total."""
    by_attempt: dict[int, list[int]] = {}
    for attempt, progress, _status, _total in samples:
        assert progress <= total
        by_attempt.setdefault(attempt, []).append(progress)
    for values in by_attempt.values():
        assert values == sorted(values), values


def test_an_import_cut_off_by_a_killed_worker_finishes_after_a_restart_without_duplicates(
    worker, redis_server, client
):
    admin = regional_admin("16.71")
    rows = 8_000
    lines = [",".join(IMPORT_HEADER)]
    for i in range(rows):
        row = import_row(i + 1, email="")
        lines.append(",".join(str(row.get(column, "")) for column in IMPORT_HEADER))
    upload = SimpleUploadedFile("peserta.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv")
    path = imports.save_upload(upload, admin)
    job = Job.objects.create(
        kind="registration.import",
        params={"path": path, "filename": "peserta.csv", "user_id": admin.pk, "write": True},
        created_by=admin,
    )
    samples: list = []
    worker.start()
    send(redis_server, job)
    watch(
        job,
        lambda j: j.status == Job.Status.RUNNING and 0 < j.progress < rows,
        samples,
        timeout=90,
        what="the import to be under way",
    )
    worker.kill()

    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and 0 < job.progress < rows
    # One transaction for the whole file: what the dead worker had prepared was rolled back.
    assert Participant.objects.count() == 0
    # Once the lease has passed, the progress page says the worker is gone and what happens next.
    client.force_login(admin)
    wait_until(lambda: Job.objects.get(pk=job.pk).stalled, timeout=10, what="the job to count as stalled")
    page = client.get(f"/pekerjaan/{job.pk}/").content.decode()
    assert "tidak memberi kabar" in page

    worker.start()
    done = watch(job, lambda j: j.is_finished, samples, timeout=120, what="the import to finish")
    assert done.status == Job.Status.DONE, done.message
    assert done.attempts == 2
    assert done.result["created"] == rows and done.result["invalid"] == 0
    assert Participant.objects.count() == rows
    assert Participant.objects.values("nik_hash").distinct().count() == rows
    assert_bar_never_runs_ahead(samples, rows)
    assert (done.progress, done.total) == (rows, rows)


def test_a_bulk_issuance_cut_off_by_a_killed_worker_resumes_without_duplicates_or_gaps(worker, redis_server):
    training_class = TrainingClassFactory(capacity=2000)
    count = 900
    people = []
    for i in range(count):
        person = Participant(
            full_name=f"Lulusan {i}",
            birth_date=timezone.localdate().replace(year=1995),
            sex="L",
            domicile_id="16.71",
            email="",
            category="umum",
        )
        person.set_nik(f"167101{person.birth_date:%d%m%y}{i + 1:04d}")
        people.append(person)
    Participant.objects.bulk_create(people)
    Enrolment.objects.bulk_create(
        Enrolment(
            participant=p,
            training_class=training_class,
            status=Enrolment.Status.COMPLETED,
            completed_at=timezone.now(),
        )
        for p in Participant.objects.all()
    )
    job = Job.objects.create(
        kind="credentials.issue_class",
        params={"class_id": training_class.pk, "credential_kind": "completion"},
    )
    samples: list = []
    worker.start()
    send(redis_server, job)
    watch(
        job,
        lambda j: j.status == Job.Status.RUNNING and 0 < j.progress < count,
        samples,
        timeout=120,
        what="the first chunk to be issued",
    )
    worker.kill()

    job.refresh_from_db()
    stored = Credential.objects.filter(enrolment__training_class=training_class).count()
    # The bar showed what was committed: whole chunks, nothing of the chunk cut off.
    assert job.progress == stored and 0 < stored < count

    worker.start()
    done = watch(job, lambda j: j.is_finished, samples, timeout=120, what="the issuance to finish")
    assert done.status == Job.Status.DONE, done.message
    assert done.attempts == 2 and done.result["issued"] == count
    assert_bar_never_runs_ahead(samples, count)
    credentials = Credential.objects.filter(enrolment__training_class=training_class)
    assert credentials.count() == count
    assert credentials.values("enrolment_id").distinct().count() == count
    # Numbers are taken under the issuer's lock in the chunk's transaction: the cut-off chunk's
    # numbers were rolled back with it, so the series has no hole.
    serials = sorted(int(number.rsplit("/", 1)[1]) for number in credentials.values_list("number", flat=True))
    assert serials == list(range(1, count + 1))


def test_with_redis_stopped_pages_sign_up_and_apply_work_and_jobs_run_when_it_returns(
    redis_server, worker, tmp_path
):
    batch = BatchFactory(
        status="open",
        registration_opens=timezone.now() - timezone.timedelta(days=1),
        registration_closes=timezone.now() + timezone.timedelta(days=10),
    )
    training_class = TrainingClassFactory(program=ProgramFactory(batch=batch))
    user = UserFactory(role="participant", email="pelamar@contoh.id")
    ParticipantFactory(user=user, consent_version="2026-11", consented_at=timezone.now())
    store = SessionStore()
    store.update(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
    )
    store.create()
    web = WebServer(
        service_env(REDIS_URL=redis_server.url, DATABASE_URL=database_url(connection.settings_dict)),
        tmp_path / "gunicorn.log",
    )
    try:
        redis_server.stop()
        from tests.services import Browser

        visitor = Browser(web.base)
        assert visitor.get("/")[0] == 200
        assert visitor.get("/pelatihan/")[0] == 200
        status, page = visitor.post(
            "/daftar/",
            [
                ("full_name", "Sari Dewi"),
                ("email", "sari@contoh.id"),
                ("password1", "kopi-susu-2026-pagi"),
                ("password2", "kopi-susu-2026-pagi"),
            ],
        )
        assert status == 200 and "sari@contoh.id" in page

        applicant = Browser(web.base, session_key=store.session_key)
        status, page = applicant.post(
            f"/pelatihan/gelombang/{batch.pk}/daftar/kirim/",
            [("kelas", str(training_class.pk))],
            form_page=f"/pelatihan/gelombang/{batch.pk}/daftar/",
        )
        assert status == 200 and "Pendaftaran terkirim" in page
        assert Application.objects.filter(participant__user=user, batch=batch).count() == 1
        receipt = Notification.objects.get(user=user)
        waiting = Job.objects.filter(kind="core.notification_emails", undelivered_since__isnull=False)
        assert waiting.exists() and receipt.emailed_at is None

        redis_server.start()
        worker.start()
        # The worker takes what waited at its start: the receipt goes out without anyone asking.
        wait_until(
            lambda: Notification.objects.get(pk=receipt.pk).emailed_at,
            timeout=60,
            what="the receipt e-mail to be sent",
        )
    finally:
        web.stop()


def test_cache_falls_back_to_process_memory_and_keeps_counting(redis_server):
    from sinergi.core.cache import ResilientRedisCache

    cache = ResilientRedisCache(redis_server.url, {"OPTIONS": {"socket_connect_timeout": 0.5}})
    cache.set("k", 1)
    assert cache.get("k") == 1
    redis_server.stop()
    assert cache.get("k") is None  # answered from process memory, not an error
    assert cache.add("hits", 1) and cache.incr("hits") == 2
    assert cache.redis_down


def test_postgresql_restarted_mid_request_shows_a_clear_page_stores_nothing_and_the_site_recovers(tmp_path):
    """On a private cluster holding a copy of this test's database: an application is held in flight
    by a lock, PostgreSQL restarts under it, and the same gunicorn serves the next request."""
    import subprocess
    import threading

    import psycopg
    from tests.services import Browser, PostgresCluster

    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass of `make test`")
    batch = BatchFactory(
        status="open",
        registration_opens=timezone.now() - timezone.timedelta(days=1),
        registration_closes=timezone.now() + timezone.timedelta(days=10),
    )
    training_class = TrainingClassFactory(program=ProgramFactory(batch=batch))
    user = UserFactory(role="participant", email="pelamar@contoh.id")
    participant = ParticipantFactory(user=user, consent_version="2026-11", consented_at=timezone.now())
    store = SessionStore()
    store.update(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
    )
    store.create()
    cluster = PostgresCluster()
    web = None
    try:
        cluster.start()
        dump = tmp_path / "copy.dump"
        subprocess.run(
            ["pg_dump", "-Fc", "--no-owner", f"--file={dump}", database_url(connection.settings_dict)],
            check=True,
        )
        with psycopg.connect(cluster.url("postgres"), autocommit=True) as admin:
            admin.execute("CREATE DATABASE sinergi")
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={cluster.url('sinergi')}", str(dump)],
            check=True,
        )
        web = WebServer(
            service_env(DATABASE_URL=cluster.url("sinergi"), JOBS_SYNCHRONOUS="true"),
            tmp_path / "gunicorn.log",
        )
        applicant = Browser(web.base, session_key=store.session_key)
        page = f"/pelatihan/gelombang/{batch.pk}/daftar/"
        assert applicant.get(page)[0] == 200

        token = applicant.token(page)  # before the lock: the page's menu reads the notifications
        blocker = psycopg.connect(cluster.url("sinergi"))
        # The receipt is written after the ranking, in the same transaction: hold it there.
        blocker.execute("LOCK TABLE core_notification IN ACCESS EXCLUSIVE MODE")
        answer: dict = {}
        request = threading.Thread(
            target=lambda: answer.update(
                zip(
                    ("status", "page"),
                    applicant.post(
                        f"{page}kirim/", [("kelas", str(training_class.pk))], form_page=page, token=token
                    ),
                    strict=True,
                )
            )
        )
        request.start()

        def waiting_on_the_lock() -> bool:
            with psycopg.connect(cluster.url("postgres"), autocommit=True) as look:
                return bool(
                    look.execute(
                        "SELECT 1 FROM pg_stat_activity"
                        " WHERE datname = 'sinergi' AND wait_event_type = 'Lock'"
                    ).fetchone()
                )

        wait_until(waiting_on_the_lock, timeout=30, what="the application to wait on the lock")
        cluster.ctl("restart", "-m", "fast")
        blocker.close()  # its session was ended by the restart, with the lock
        request.join(timeout=60)
        assert answer["status"] == 503 and "tidak disimpan" in answer["page"]

        def applications() -> int:
            with psycopg.connect(cluster.url("sinergi"), autocommit=True) as look:
                return look.execute(
                    "SELECT count(*) FROM registration_application WHERE participant_id = %s",
                    [participant.pk],
                ).fetchone()[0]

        assert applications() == 0  # neither the ranking nor its receipt: the transaction rolled back
        # The same gunicorn, not restarted: its kept connection is checked and replaced.
        status, text = applicant.post(f"{page}kirim/", [("kelas", str(training_class.pk))], form_page=page)
        assert status == 200 and "Pendaftaran terkirim" in text
        assert applications() == 1
    finally:
        if web is not None:
            web.stop()
        cluster.destroy()
