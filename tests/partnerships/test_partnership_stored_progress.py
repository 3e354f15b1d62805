"""Stored commitment progress (issue 14): after every kind of change the stored value equals the live
computation once the transaction commits, pages show the stored value with its measuring time, and
`sinergi refresh_metrics --verify` reports any difference."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone
from tests.factories import (
    ParticipantFactory,
    ProgramFactory,
    TrainingClassFactory,
    UserFactory,
    apply_to,
    national_admin,
    provider_staff,
    regional_admin,
)

from sinergi.credentials import services as credential_services
from sinergi.learning import services as learning_services
from sinergi.learning.models import Enrolment
from sinergi.partnerships import metrics
from sinergi.partnerships.models import Agreement, Commitment, CommitmentProgress, Status
from sinergi.partnerships.services import add_manual_measurement
from sinergi.selection import services as selection_services
from sinergi.selection.models import Offer

pytestmark = pytest.mark.django_db

KEYS = [
    "registration.participants",
    "registration.applications",
    "registration.eligible",
    "selection.seats_offered",
    "selection.seats_filled",
    "learning.completions",
    "credentials.certified",
    "manual",
]


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """A signed MoU with one commitment per metric kind over a programme with two classes."""
    # One capture around the set-up: the refresh job runs once, as after a real commit.
    with django_capture_on_commit_callbacks(execute=True):
        today = timezone.localdate()
        agreement = Agreement.objects.create(
            type="mou",
            title="MoU talenta digital",
            start_date=today - dt.timedelta(days=30),
            end_date=today + dt.timedelta(days=300),
            signed_date=today - dt.timedelta(days=30),
            status=Status.BERLAKU,
        )
        program = ProgramFactory(batch__registration_closes=timezone.now() - dt.timedelta(hours=1))
        program.agreements.add(agreement)
        classes = [TrainingClassFactory(program=program, capacity=5) for _ in range(2)]
        commitments = {
            key: Commitment.objects.create(
                agreement=agreement,
                title=key,
                metric_key=key,
                target_value=Decimal(10),
                unit="orang",
                deadline=agreement.end_date,
            )
            for key in KEYS
        }
    return agreement, classes, commitments


def stored(commitment) -> Decimal:
    return CommitmentProgress.objects.get(commitment=commitment).value


def assert_stored_equals_live():
    commitments = Commitment.objects.select_related("agreement")
    assert CommitmentProgress.objects.count() == commitments.count()
    assert metrics.verify(commitments) == []


def test_every_kind_of_change_reaches_the_stored_value(world, django_capture_on_commit_callbacks):
    agreement, classes, commitments = world
    assert_stored_equals_live()  # measured when created, all zero
    people = [ParticipantFactory(user=UserFactory()) for _ in range(3)]

    with django_capture_on_commit_callbacks(execute=True):  # applications (bulk choices)
        for person in people:
            apply_to(person, classes)
    assert stored(commitments["registration.applications"]) == 3
    assert stored(commitments["registration.eligible"]) == 3
    assert_stored_equals_live()

    admin = regional_admin("16.71")
    with django_capture_on_commit_callbacks(execute=True):  # allocation published (bulk offers)
        run = selection_services.create_run(admin, classes[0].program.batch)
        selection_services.publish(
            admin, selection_services.compute(admin, selection_services.draw_seed(admin, run))
        )
    assert stored(commitments["selection.seats_offered"]) == 3
    assert_stored_equals_live()

    with django_capture_on_commit_callbacks(execute=True):  # a seat accepted → enrolment
        for person in people[:2]:
            selection_services.accept_offer(person.user, Offer.objects.get(participant=person).pk)
    assert stored(commitments["selection.seats_filled"]) == 2
    assert_stored_equals_live()

    staff = provider_staff()
    enrolment = Enrolment.objects.filter(participant=people[0]).get()
    with django_capture_on_commit_callbacks(execute=True):  # completion
        learning_services.decide_outcome(
            enrolment, status=Enrolment.Status.COMPLETED, user=staff, reason="Lulus lewat uji pengganti"
        )
    assert stored(commitments["learning.completions"]) == 1
    assert_stored_equals_live()

    with django_capture_on_commit_callbacks(execute=True):  # credential issued (bulk insert)
        credential = credential_services.issue_credential(Enrolment.objects.get(pk=enrolment.pk), user=staff)
    assert stored(commitments["credentials.certified"]) == 1
    assert_stored_equals_live()

    with django_capture_on_commit_callbacks(execute=True):  # credential revoked
        credential_services.revoke(credential, user=staff, reason="Data keliru")
    assert stored(commitments["credentials.certified"]) == 0
    assert_stored_equals_live()

    with django_capture_on_commit_callbacks(execute=True):  # manual measurement
        add_manual_measurement(
            commitments["manual"], value=Decimal(7), evidence_note="Laporan triwulan", user=national_admin()
        )
    assert stored(commitments["manual"]) == 7
    assert_stored_equals_live()


def test_pages_read_the_stored_value_and_say_when_it_was_measured(world, client):
    agreement, classes, commitments = world
    for person in [ParticipantFactory() for _ in range(2)]:
        apply_to(person, classes)  # inside the test transaction: the refresh job has not run yet
    page = client.get(f"/kerja-sama/{agreement.pk}/")
    shown = dict((c.metric_key, p) for c, p in page.context["commitments"])
    assert shown["registration.applications"].value == 0  # the stored value, not a live count
    assert "dihitung pada" in page.content.decode()
    metrics.refresh_stale()
    page = client.get(f"/kerja-sama/{agreement.pk}/")
    shown = dict((c.metric_key, p) for c, p in page.context["commitments"])
    assert shown["registration.applications"].value == 2


def test_a_changed_breakdown_is_measured_again_before_it_is_shown(world):
    agreement, classes, commitments = world
    apply_to(ParticipantFactory(sex="P"), classes)
    apply_to(ParticipantFactory(sex="L"), classes)
    metrics.refresh_stale()
    commitment = commitments["registration.participants"]
    commitment.breakdown = {"sex": "P"}
    commitment.save()
    today = timezone.localdate()
    assert metrics.commitment_progress(commitment, today).value == 1


def test_refresh_metrics_verify_exits_1_listing_each_difference(world, capsys):
    agreement, classes, commitments = world
    call_command("refresh_metrics", "--verify")  # everything equal: exit status 0
    apply_to(ParticipantFactory(), classes)  # no commit in a test: nothing refreshed it
    with pytest.raises(SystemExit) as exited:
        call_command("refresh_metrics", "--verify")
    assert exited.value.code == 1
    out = capsys.readouterr().out
    assert f"komitmen {commitments['registration.applications'].pk} (registration.applications)" in out
    assert "tersimpan 0.00, langsung 1" in out
    call_command("refresh_metrics")
    call_command("refresh_metrics", "--verify")


def test_mark_stale_only_touches_the_matching_commitments(world):
    agreement, classes, commitments = world
    marked = metrics.mark_stale(Q(metric_key="manual"))
    assert marked == 1
    assert list(CommitmentProgress.objects.filter(stale=True).values_list("commitment_id", flat=True)) == [
        commitments["manual"].pk
    ]
