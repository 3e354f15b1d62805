"""The hand-off e-mails of an intake, each asserted the way a participant meets it: one e-mail per
event per person (also when the event repeats or the sending job is retried), the facts it promises
(ranked choices, deadline, reason, verify link), and every link on the public address (SITE_URL)."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from tests.factories import (
    BatchFactory,
    ClassSessionFactory,
    EnrolmentFactory,
    ParticipantFactory,
    ProgramFactory,
    TrainingClassFactory,
    UserFactory,
    provider_staff,
)
from tests.selection.test_selection_runs_jobs import make_batch, to_status

from sinergi.core.notifications import send_pending_emails
from sinergi.credentials import services as credentials
from sinergi.learning import services as learning
from sinergi.learning.models import Enrolment
from sinergi.registration.services import submit_application
from sinergi.selection import services as selection
from sinergi.selection.models import Offer, OfferStatus, RunStatus

pytestmark = pytest.mark.django_db
SITE = "https://sinergi.contoh.go.id"
LINK = re.compile(r"https?://\S+")


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.SITE_URL = SITE
    mail.outbox.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run `event` in its own committed transaction, as a request or job would; then retry sending."""

    def run(event, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = event(*args, **kwargs)
        assert send_pending_emails() == 0  # a retried sending job finds nothing left
        return result

    return run


def mails_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def assert_links_public(message):
    links = LINK.findall(message.body)
    assert links, message.body
    assert all(link.startswith(SITE + "/") for link in links), links


def test_application_received_lists_the_ranked_choices_once(committed):
    program = ProgramFactory(batch=BatchFactory())
    first = TrainingClassFactory(program=program, name="Kelas Data Pagi")
    second = TrainingClassFactory(program=program, name="Kelas Data Sore")
    person = ParticipantFactory(user=UserFactory(), consent_version="2026-11", consented_at=timezone.now())
    committed(submit_application, person, program.batch, class_ids=[first.pk, second.pk])
    committed(submit_application, person, program.batch, class_ids=[first.pk, second.pk])  # the same, again
    [message] = mails_to(person.user)
    assert "1. Kelas Data Pagi\n2. Kelas Data Sore" in message.body
    assert_links_public(message)


def test_seat_offered_with_its_deadline_once_per_person_also_when_sending_is_retried(committed):
    admin, batch, people = make_batch(6)
    committed(to_status, admin, batch, RunStatus.PUBLISHED)
    offers = list(Offer.objects.filter(status=OfferStatus.OFFERED).select_related("participant__user"))
    assert offers
    run = selection.AllocationRun.objects.filter(batch=batch).latest("pk")
    assert selection.send_result_emails(run.pk) == 0  # a retried job sends nothing again
    for offer in offers:
        [message] = mails_to(offer.participant.user)
        deadline = timezone.localtime(offer.deadline).strftime("%d-%m-%Y %H:%M")
        assert deadline in message.body
        assert_links_public(message)


def test_seat_lost_by_expiry_is_told_once(committed):
    admin, batch, people = make_batch(3)
    committed(to_status, admin, batch, RunStatus.PUBLISHED)
    mail.outbox.clear()
    offer = Offer.objects.filter(status=OfferStatus.OFFERED).select_related("participant__user").first()
    Offer.objects.filter(pk=offer.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    assert committed(selection.expire_offers) == 1
    assert committed(selection.expire_offers) == 0  # the hourly job again
    [message] = mails_to(offer.participant.user)
    assert "kedaluwarsa" in message.subject and "tidak dijawab sebelum batas waktunya" in message.body
    assert_links_public(message)


def test_class_schedule_is_sent_once_per_schedule(committed):
    staff = provider_staff("16.71")
    tc = TrainingClassFactory(provider=staff.organization, name="Kelas Python Dasar")
    ClassSessionFactory(training_class=tc, number=1, topic="Pengantar")
    enrolment = EnrolmentFactory(training_class=tc, participant=ParticipantFactory(user=UserFactory()))
    committed(learning.announce_schedule, tc, user=staff)
    committed(learning.announce_schedule, tc, user=staff)  # unchanged: nothing new
    [message] = mails_to(enrolment.participant.user)
    assert "Jadwal kelas Kelas Python Dasar" in message.subject and "Pengantar" in message.body
    assert_links_public(message)


def test_certificate_issued_with_its_verify_link_and_revoked_with_its_reason_once_each(committed):
    enrolment = EnrolmentFactory(
        participant=ParticipantFactory(user=UserFactory()),
        status=Enrolment.Status.COMPLETED,
        completed_at=timezone.now(),
    )
    credential = committed(credentials.issue_credential, enrolment)
    committed(credentials.issue_credential, enrolment)  # idempotent: no second e-mail
    [issued] = mails_to(enrolment.participant.user)
    assert credentials.verify_url(credential) in issued.body and credential.number in issued.body
    assert_links_public(issued)
    committed(credentials.revoke, credential, user=None, reason="Data kelulusan keliru")
    with pytest.raises(credentials.IssuingError):
        committed(credentials.revoke, credential, user=None, reason="Data kelulusan keliru")
    issued_mail, revoked = mails_to(enrolment.participant.user)
    assert "dicabut" in revoked.subject and "Data kelulusan keliru" in revoked.body
    assert_links_public(revoked)
