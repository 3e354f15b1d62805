"""Commitment metrics: participants, applications and eligible applicants of the linked programmes."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from tests.factories import ParticipantFactory, ProgramFactory, TrainingClassFactory, apply_to, region

from sinergi.partnerships.metrics import METRICS, get_metric
from sinergi.partnerships.models import Agreement, Commitment
from sinergi.programs.models import EligibilityRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    agreement = Agreement.objects.create(
        type="pks",
        title="PKS Literasi Digital Palembang",
        start_date=date(2026, 1, 1),
        end_date=date(2027, 1, 1),
    )
    dasar = ProgramFactory(level="dasar")
    dasar.agreements.add(agreement)
    lanjut = ProgramFactory(batch=dasar.batch, level="lanjut")
    lanjut.agreements.add(agreement)
    EligibilityRule.objects.create(program=lanjut, kind="education", params={"min": "s1"})
    unrelated = ProgramFactory(batch=dasar.batch)
    c_dasar, c_lanjut, c_other = (TrainingClassFactory(program=p) for p in (dasar, lanjut, unrelated))
    asn_woman = ParticipantFactory(category="asn", sex="P", education="s1")
    man_sma = ParticipantFactory(education="sma")
    samarinda = ParticipantFactory(domicile=region("64.72"), education="sma")
    withdrawn = ParticipantFactory()
    apply_to(asn_woman, [c_lanjut, c_dasar])
    apply_to(man_sma, [c_lanjut])  # not eligible: education
    apply_to(samarinda, [c_dasar])
    apply_to(withdrawn, [c_dasar]).__class__.objects.filter(participant=withdrawn).update(status="withdrawn")
    apply_to(ParticipantFactory(), [c_other])  # another programme: not counted
    return agreement, {"asn_woman": asn_woman, "man_sma": man_sma, "samarinda": samarinda}


def commitment(agreement, key, breakdown=None):
    return Commitment.objects.create(
        agreement=agreement,
        title="Peserta",
        metric_key=key,
        target_value=Decimal(100),
        unit="orang",
        deadline=date.today() + timedelta(days=90),
        breakdown=breakdown or {},
    )


def value(agreement, key, breakdown=None):
    result = get_metric(key).fn(commitment(agreement, key, breakdown))
    return int(result.value), result.drilldown


def test_metrics_are_registered_with_their_convention():
    for key in ("registration.participants", "registration.applications", "registration.eligible"):
        assert "category" in METRICS[key].description and "region" in METRICS[key].description


def test_counts_for_linked_programmes(world):
    agreement, people = world
    n, drilldown = value(agreement, "registration.participants")
    assert n == 3 and set(drilldown) == set(people.values())
    assert value(agreement, "registration.applications")[0] == 3
    n, drilldown = value(agreement, "registration.eligible")
    assert n == 2 and set(drilldown) == {people["asn_woman"], people["samarinda"]}


@pytest.mark.parametrize(
    ("breakdown", "expected"),
    [
        ({"category": "asn"}, 1),
        ({"sex": "P"}, 1),
        ({"region": "64"}, 1),
        ({"region": "16.71"}, 2),
        ({"level": "lanjut"}, 2),
        ({"level": "lanjut", "category": "asn"}, 1),
        ({"dasar": 6000, "lanjut": 1000}, 3),  # a target split, not a filter
    ],
)
def test_breakdown_filters(world, breakdown, expected):
    agreement, _people = world
    assert value(agreement, "registration.participants", breakdown)[0] == expected
