import datetime as dt

import pytest
from django.utils import timezone
from tests.factories import EnrolmentFactory, TrainingClassFactory, region

from sinergi.learning.models import Enrolment
from sinergi.outcomes import services

COMPLETED_ON = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _jobs_run_on_commit(django_capture_on_commit_callbacks, monkeypatch):
    """Jobs (the tracer e-mails) run when the transaction commits, for the pages and the scheduler."""
    from django.test import Client

    original = Client.request

    def request(self, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)


@pytest.fixture
def run_scheduler(django_capture_on_commit_callbacks):
    def run(today: dt.date) -> dict:
        with django_capture_on_commit_callbacks(execute=True):
            return services.send_tracers(today=today)

    return run


def graduate(training_class, *, completed_on: dt.date = COMPLETED_ON, **participant):
    at = timezone.make_aware(dt.datetime.combine(completed_on, dt.time(15, 0)))
    participant.setdefault("domicile", training_class.region)
    return EnrolmentFactory(
        training_class=training_class,
        status=Enrolment.Status.COMPLETED,
        completed_at=at,
        **{f"participant__{k}": v for k, v in participant.items()},
    )


@pytest.fixture
def palembang_class(db):
    return TrainingClassFactory(program__batch__region=region("16.71"))


@pytest.fixture
def rounds(palembang_class):
    return services.ensure_default_rounds(palembang_class.program)
