"""The heavy steps of a run as background jobs (progress, one job at a time, Indonesian errors), the
e-mails of a publish (after the commit, in batches, once per person and event) and query budgets that
do not grow with the number of applicants."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from tests.factories import (
    ParticipantFactory,
    ProgramFactory,
    TrainingClassFactory,
    UserFactory,
    apply_to,
    regional_admin,
)

from sinergi.core.models import Job, Notification
from sinergi.selection import selectors, services
from sinergi.selection.models import AllocationRun, Offer, ResultEmail, RunStatus

pytestmark = pytest.mark.django_db


def make_batch(applicants: int, classes: int = 3):
    admin = regional_admin("16.71")
    program = ProgramFactory(batch__registration_closes=timezone.now() - dt.timedelta(hours=1))
    rooms = [
        TrainingClassFactory(program=program, capacity=2, reserved_seats={"asn": 1}) for _ in range(classes)
    ]
    people = []
    for i in range(applicants):
        person = ParticipantFactory(user=UserFactory(), category="asn" if i % 4 == 0 else "umum")
        apply_to(person, [rooms[i % classes], rooms[(i + 1) % classes]], score=50 + i % 9)
        people.append(person)
    return admin, program.batch, people


def to_status(admin, batch, status):
    run = services.create_run(admin, batch)
    run = services.draw_seed(admin, run)
    if status in (RunStatus.COMPUTED, RunStatus.PUBLISHED):
        run = services.compute(admin, run)
    if status == RunStatus.PUBLISHED:
        services.publish(admin, run)
    return AllocationRun.objects.get(pk=run.pk)


def test_a_second_click_while_a_step_is_queued_starts_no_second_job(client):
    admin, batch, _ = make_batch(6)
    run = to_status(admin, batch, RunStatus.SEEDED)
    client.force_login(admin)
    url = reverse("selection:run_compute", args=[run.pk])
    client.post(url)  # without the commit hook the job stays queued, as behind a busy worker
    page = client.post(url, follow=True).content.decode()
    assert Job.objects.filter(kind=services.COMPUTE).count() == 1
    assert "masih berjalan" in page
    # Meanwhile the run's page shows the progress bar, polled by htmx, and no step buttons.
    job = Job.objects.get(kind=services.COMPUTE)
    page = client.get(reverse("selection:run_detail", args=[run.pk])).content.decode()
    assert reverse("selection:step_progress", args=[job.pk]) in page and "<progress" in page
    assert "Jalankan simulasi" not in page and "Batalkan alokasi ini" not in page
    partial = client.get(reverse("selection:step_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and 'hx-trigger="every 1s"' in partial.content.decode()


def test_the_step_runs_in_the_job_not_in_the_request(client, django_capture_on_commit_callbacks):
    admin, batch, _ = make_batch(6)
    run = to_status(admin, batch, RunStatus.SEEDED)
    client.force_login(admin)
    with CaptureQueriesContext(connection) as request_queries:
        client.post(reverse("selection:run_compute", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == RunStatus.SEEDED  # the request only enqueued
    assert not any("selection_runentry" in q["sql"] for q in request_queries.captured_queries)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("selection:run_compute", args=[run.pk]))
    # The first job was still queued, so the second click was refused; run the queued one.
    from sinergi.core.jobs import run_job_now

    job = run_job_now(Job.objects.get(kind=services.COMPUTE).pk)
    assert job.status == Job.Status.DONE
    run.refresh_from_db()
    assert run.status == RunStatus.COMPUTED


def test_a_failed_step_says_why_in_indonesian_on_the_run_page(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    admin, batch, _ = make_batch(6)
    run = to_status(admin, batch, RunStatus.SEEDED)
    client.force_login(admin)

    def broken(inp):
        raise RuntimeError("out of memory in worker 3")

    monkeypatch.setattr(services, "allocate", broken)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("selection:run_compute", args=[run.pk]))
    job = Job.objects.get(kind=services.COMPUTE)
    assert job.status == Job.Status.FAILED
    page = client.get(reverse("selection:run_detail", args=[run.pk])).content.decode()
    assert "Langkah alokasi gagal" in page and "kesalahan sistem" in page
    assert "out of memory" not in page
    run.refresh_from_db()
    assert run.status == RunStatus.SEEDED and not run.summary  # nothing half-saved
    # The refused step can be tried again.
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("selection:run_compute", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == RunStatus.COMPUTED


def test_a_refused_step_keeps_the_engines_own_message(client, django_capture_on_commit_callbacks):
    admin, batch, _ = make_batch(6)
    run = to_status(admin, batch, RunStatus.SEEDED)
    engine_input = AllocationRun.objects.get(pk=run.pk).engine_input
    engine_input["applicants"][0]["score"] = 100.0  # tampered after the hash went out
    AllocationRun.objects.filter(pk=run.pk).update(engine_input=engine_input)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("selection:run_compute", args=[run.pk]))
    page = client.get(reverse("selection:run_detail", args=[run.pk])).content.decode()
    assert "Masukan tidak sama dengan hash yang diumumkan" in page


def test_progress_of_another_regions_step_is_not_there(client):
    admin, batch, _ = make_batch(3)
    job = services.start_step(admin, batch, step=services.FREEZE, run_kind="utama", reason="")
    client.force_login(regional_admin("64.72"))
    assert client.get(reverse("selection:step_progress", args=[job.pk])).status_code == 404
    client.force_login(admin)
    assert client.get(reverse("selection:step_progress", args=[job.pk])).status_code == 200


# --- e-mails of a publish ---------------------------------------------------------------------------


def test_emails_go_out_after_the_commit_in_a_job_once_per_person(django_capture_on_commit_callbacks):
    admin, batch, people = make_batch(8)
    run = to_status(admin, batch, RunStatus.COMPUTED)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        summary = services.publish(admin, run)
    assert mail.outbox == []  # nothing is sent inside the publish
    assert ResultEmail.objects.filter(run=run).count() == 8  # an offer or a "no seat" for each
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 8
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.user.email for p in people)
    assert summary.offers == Offer.objects.filter(run=run).count() == 6
    # A retried job sends nothing twice.
    assert services.send_result_emails(run.pk) == 0
    assert len(mail.outbox) == 8
    assert Notification.objects.count() == 8


def test_a_failed_batch_of_emails_is_sent_by_the_retry(monkeypatch, django_capture_on_commit_callbacks):
    admin, batch, _ = make_batch(5)
    run = to_status(admin, batch, RunStatus.COMPUTED)
    services.publish(admin, run)  # the e-mail job would run after commit; here it is run by hand
    from django.core.mail.backends.locmem import EmailBackend

    real = EmailBackend.send_messages

    def down(self, messages):
        raise ConnectionError("smtp down")

    monkeypatch.setattr(EmailBackend, "send_messages", down)
    with pytest.raises(ConnectionError):
        services.send_result_emails(run.pk)
    monkeypatch.setattr(EmailBackend, "send_messages", real)
    assert services.send_result_emails(run.pk) == 5
    assert services.send_result_emails(run.pk) == 0
    assert len(mail.outbox) == 5


# --- query budgets that do not grow with the run -----------------------------------------------------


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("step", ["publish", "pages"])
def test_query_counts_do_not_grow_with_the_number_of_applicants(client, step, settings):
    counts = []
    for size in (6, 30):
        admin, batch, people = make_batch(size)
        run = to_status(admin, batch, RunStatus.COMPUTED)
        if step == "publish":
            counts.append(_queries(lambda run=run, admin=admin: services.publish(admin, run)))
            continue
        client.force_login(admin)
        page = [
            _queries(lambda run=run: client.get(reverse("selection:run_detail", args=[run.pk]))),
            _queries(lambda batch=batch: client.get(reverse("selection:batch_detail", args=[batch.pk]))),
            _queries(lambda: client.get(reverse("selection:batch_list"))),
        ]
        services.publish(admin, run)
        client.force_login(people[-1].user)
        page.append(_queries(lambda: client.get(reverse("selection:my_results"))))
        counts.append(page)
        AllocationRun.objects.filter(pk=run.pk)  # keep the batch; the next size is another batch
    assert counts[0] == counts[1], counts


def test_results_page_reads_one_entry_and_renders_the_explanations(client):
    admin, batch, people = make_batch(9, classes=2)
    to_status(admin, batch, RunStatus.PUBLISHED)
    loser = next(p for p in people if not Offer.objects.filter(participant=p).exists())
    client.force_login(loser.user)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("selection:my_results")).content.decode()
    assert page.count("di bawah batas") + page.count("kalah dalam undian") >= 2
    assert "Posisi Anda di daftar tunggu kelas ini" in page
    entry_reads = [q for q in ctx.captured_queries if 'FROM "selection_runentry"' in q["sql"]]
    assert len(entry_reads) == 1
    assert "engine_input" not in entry_reads[0]["sql"] and '"result"' not in entry_reads[0]["sql"]


def test_run_statistics_page_the_classes(client):
    admin, batch, _ = make_batch(4, classes=60)
    run = to_status(admin, batch, RunStatus.COMPUTED)
    stats = selectors.run_statistics(run)
    assert len(stats.classes) == selectors.CLASSES_PER_PAGE
    assert stats.class_page.paginator.count == 60
    assert stats.seats == 120
    client.force_login(admin)
    page = client.get(reverse("selection:run_detail", args=[run.pk]) + "?page=2").content.decode()
    assert "Halaman 2 dari 2" in page
