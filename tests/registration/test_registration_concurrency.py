"""A burst of identical and competing apply requests: never two applications, never a lost one.

Needs real concurrent transactions, so PostgreSQL only (SQLite serialises writers anyway).
"""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone
from tests.factories import (
    BatchFactory,
    ParticipantFactory,
    ProgramFactory,
    TrainingClassFactory,
    UserFactory,
)

from sinergi.registration.models import Application, ApplicationChoice
from sinergi.registration.services import submit_application

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL for concurrent transactions"
    ),
]


def run_in_threads(jobs):
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        try:
            barrier.wait()
            job()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.fixture
def open_batch():
    batch = BatchFactory(max_choices=3)
    program = ProgramFactory(batch=batch)
    return batch, [TrainingClassFactory(program=program) for _ in range(3)]


def participant():
    return ParticipantFactory(
        user=UserFactory(role="participant"), consent_version="2026-11", consented_at=timezone.now()
    )


def test_double_submit_burst_makes_one_application(open_batch):
    batch, classes = open_batch
    person = participant()
    ids = [c.pk for c in classes]
    errors = run_in_threads([lambda: submit_application(person, batch, class_ids=ids) for _ in range(12)])
    assert errors == []
    assert Application.objects.filter(participant=person).count() == 1
    assert list(ApplicationChoice.objects.order_by("rank").values_list("training_class_id", flat=True)) == ids


def test_competing_rankings_end_in_one_whole_ranking(open_batch):
    batch, classes = open_batch
    person = participant()
    orders = [[c.pk for c in classes], [c.pk for c in reversed(classes)], [classes[1].pk]]
    errors = run_in_threads([lambda o=o: submit_application(person, batch, class_ids=o) for o in orders * 4])
    assert errors == []
    application = Application.objects.get(participant=person)
    final = list(application.choices.order_by("rank").values_list("training_class_id", flat=True))
    assert final in orders  # one request's ranking, never a mix


def test_many_people_at_once_none_lost(open_batch):
    batch, classes = open_batch
    people = [participant() for _ in range(16)]
    jobs = [
        lambda p=p: submit_application(p, batch, class_ids=[classes[0].pk]) for p in people for _ in range(2)
    ]
    errors = run_in_threads(jobs)
    assert errors == []
    assert Application.objects.filter(batch=batch).count() == len(people)
    assert ApplicationChoice.objects.filter(application__batch=batch).count() == len(people)
