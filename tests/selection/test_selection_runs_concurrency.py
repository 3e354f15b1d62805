"""Concurrent answers never overbook a class: the class row is locked (PostgreSQL row locks), so the
capacity check and the acceptance happen as one step per class. SQLite serialises writers anyway."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone
from tests.factories import (
    ParticipantFactory,
    ProgramFactory,
    TrainingClassFactory,
    UserFactory,
    apply_to,
    regional_admin,
)

from sinergi.learning.models import Enrolment
from sinergi.selection import services
from sinergi.selection.models import Offer, OfferStatus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")


def _published(capacity: int, applicants: int):
    admin = regional_admin("16.71")
    program = ProgramFactory(batch__registration_closes=timezone.now() - dt.timedelta(hours=1))
    cls = TrainingClassFactory(program=program, capacity=capacity)
    people = [ParticipantFactory(user=UserFactory()) for _ in range(applicants)]
    for i, person in enumerate(people):
        apply_to(person, [cls], score=50 + i)
    run = services.create_run(admin, program.batch)
    run = services.draw_seed(admin, run)
    run = services.compute(admin, run)
    services.publish(admin, run)
    return cls, people


def _race(calls):
    """Run the calls in threads released together; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def work(i, fn):
        try:
            barrier.wait()
            outcomes[i] = fn()
        except Exception as exc:  # the refusal is the outcome under test
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_simultaneous_acceptances_never_exceed_the_capacity():
    cls, people = _published(capacity=6, applicants=6)
    cls.capacity = 2  # the provider shrank the class after six offers went out
    cls.save()
    offers = {o.participant_id: o.pk for o in Offer.objects.all()}
    outcomes = _race([lambda p=p: services.accept_offer(p.user, offers[p.pk]) for p in people])
    accepted = [o for o in outcomes if isinstance(o, Offer)]
    refused = [o for o in outcomes if isinstance(o, services.SelectionError)]
    assert len(accepted) == 2 and len(refused) == 4
    assert all("penuh" in r.message for r in refused)
    assert Offer.objects.filter(status=OfferStatus.ACCEPTED).count() == 2
    assert Enrolment.objects.filter(training_class=cls).count() == 2


def test_accept_and_decline_of_one_offer_at_once_record_exactly_one_answer():
    _cls, people = _published(capacity=1, applicants=1)
    person = people[0]
    offer = Offer.objects.get()
    calls = [
        lambda: services.accept_offer(person.user, offer.pk),
        lambda: services.decline_offer(person.user, offer.pk),
        lambda: services.accept_offer(person.user, offer.pk),
        lambda: services.decline_offer(person.user, offer.pk),
    ]
    outcomes = _race(calls)
    assert sum(isinstance(o, Offer) for o in outcomes) == 1
    offer.refresh_from_db()
    assert offer.status in (OfferStatus.ACCEPTED, OfferStatus.DECLINED)
    assert Enrolment.objects.count() == (1 if offer.status == OfferStatus.ACCEPTED else 0)
