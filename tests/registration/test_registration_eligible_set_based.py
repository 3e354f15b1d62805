"""registration.eligible computed set-based gives the numbers of the old one-query-per-application path,
on generated data with every kind of rule, and its query count does not grow with the applications."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests.factories import ParticipantFactory, ProgramFactory, TrainingClassFactory, apply_to, region

from sinergi.learning.models import Enrolment
from sinergi.partnerships.metrics import get_metric
from sinergi.partnerships.models import Agreement, Commitment
from sinergi.programs.eligibility import reasons_not_eligible
from sinergi.programs.models import EligibilityRule
from sinergi.registration.metrics import _programs, breakdown_filters, counted_applications
from sinergi.registration.selectors import person_for, program_terms

pytestmark = pytest.mark.django_db


def old_eligible_participant_ids(commitment) -> set[int]:
    """The previous implementation, kept here as the reference: one enrolment query per application."""
    filters = breakdown_filters(commitment)
    programs = list(_programs(commitment, filters).select_related("batch"))
    terms = program_terms(programs)
    eligible = set()
    for application in counted_applications(commitment).prefetch_related("choices__training_class"):
        person = person_for(application.participant, application.batch)
        for choice in application.choices.all():
            program_id = choice.training_class.program_id
            if program_id in terms and not reasons_not_eligible(
                person, terms[program_id], choice.training_class_id
            ):
                eligible.add(application.participant_id)
                break
    return eligible


@pytest.fixture
def generated():
    rng = random.Random(7)
    agreement = Agreement.objects.create(
        type="mou", title="MoU", start_date=dt.date(2026, 1, 1), end_date=dt.date(2027, 1, 1)
    )
    closes = timezone.now() - dt.timedelta(hours=1)
    young = ProgramFactory(level="dasar", batch__registration_closes=closes)
    asn = ProgramFactory(level="menengah", batch=young.batch, target_categories=["asn"])
    local = ProgramFactory(level="lanjut", batch=young.batch)
    for program in (young, asn, local):
        program.agreements.add(agreement)
    EligibilityRule.objects.create(program=young, kind="age", params={"min": 18, "max": 30})
    EligibilityRule.objects.create(program=asn, kind="education", params={"min": "s1"})
    EligibilityRule.objects.create(program=local, kind="domicile", params={"regions": ["16"]})
    EligibilityRule.objects.create(program=local, kind="not_enrolled_in_batch", params={})
    classes = [TrainingClassFactory(program=p) for p in (young, asn, local) for _ in range(2)]
    people = []
    for i in range(40):
        person = ParticipantFactory(
            birth_date=dt.date(rng.randint(1980, 2007), rng.randint(1, 12), rng.randint(1, 28)),
            category=rng.choice(["asn", "umum", "pelajar"]),
            education=rng.choice(["sma", "s1", "s2"]),
            sex=rng.choice("LP"),
            domicile=region(rng.choice(["16.71", "64.72"])),
        )
        apply_to(person, rng.sample(classes, k=rng.randint(1, 3)))
        if i % 7 == 0:
            Enrolment.objects.create(participant=person, training_class=classes[-1])
        people.append(person)
    return agreement


def commitment(agreement, **breakdown):
    return Commitment.objects.create(
        agreement=agreement,
        title="t",
        metric_key="registration.eligible",
        target_value=Decimal(10),
        unit="orang",
        deadline=dt.date(2027, 1, 1),
        breakdown=breakdown,
    )


@pytest.mark.parametrize(
    "breakdown",
    [
        {},
        {"level": "dasar"},
        {"category": "asn"},
        {"sex": "P", "region": "16"},
        {"level": ["lanjut", "menengah"]},
    ],
)
def test_set_based_eligible_gives_the_old_numbers(generated, breakdown):
    c = commitment(generated, **breakdown)
    metric = get_metric("registration.eligible")
    expected = old_eligible_participant_ids(c)
    assert 0 < len(expected) or breakdown  # the generated data has eligible people
    assert metric.fn(c).value == len(expected)
    assert metric.batch_fn is not None
    assert metric.batch_fn([c])[c.pk].value == len(expected)


def test_batch_of_commitments_gives_each_its_own_number(generated):
    many = [commitment(generated, level=level) for level in ("dasar", "menengah", "lanjut")]
    values = get_metric("registration.eligible").batch_fn(many)  # type: ignore[misc]
    assert [values[c.pk].value for c in many] == [len(old_eligible_participant_ids(c)) for c in many]


def test_eligible_queries_do_not_grow_with_applications(generated):
    c = commitment(generated)
    program = generated.programs.first()
    with CaptureQueriesContext(connection) as few:
        get_metric("registration.eligible").fn(c)
    for _ in range(30):
        apply_to(ParticipantFactory(), [program.classes.first()])
    with CaptureQueriesContext(connection) as many:
        get_metric("registration.eligible").fn(c)
    assert len(many) == len(few)


@pytest.mark.parametrize("key", ["registration.applications", "registration.participants"])
def test_batched_counts_equal_the_per_commitment_counts(generated, key):
    many = [
        commitment(generated, **breakdown)
        for breakdown in ({}, {"level": "dasar"}, {"category": "asn"}, {"sex": "P", "region": "16"})
    ]
    for c in many:
        c.metric_key = key
        c.save()
    metric = get_metric(key)
    batched = metric.batch_fn(many)  # type: ignore[misc]
    assert [batched[c.pk].value for c in many] == [metric.fn(c).value for c in many]
    assert any(batched[c.pk].value for c in many)
