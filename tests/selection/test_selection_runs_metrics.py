"""Commitment metrics from seat offers, with the breakdown filter convention of selection/metrics.py."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from tests.factories import (
    ParticipantFactory,
    ProgramFactory,
    TrainingClassFactory,
    UserFactory,
    apply_to,
    region,
    regional_admin,
)

from sinergi.partnerships.metrics import get_metric
from sinergi.partnerships.models import Agreement, Commitment
from sinergi.programs.models import Level
from sinergi.selection import services
from sinergi.selection.models import Offer, OfferStatus, RunKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    admin = regional_admin("16.71")
    agreement = Agreement.objects.create(
        type="mou", title="MoU uji", start_date=dt.date(2026, 1, 1), end_date=dt.date(2027, 1, 1)
    )
    basic = ProgramFactory(
        level=Level.DASAR, batch__registration_closes=timezone.now() - dt.timedelta(hours=1)
    )
    advanced = ProgramFactory(batch=basic.batch, level=Level.LANJUT)
    for program in (basic, advanced):
        program.agreements.add(agreement)
    unlinked = ProgramFactory(batch=basic.batch)
    c_basic = TrainingClassFactory(program=basic, capacity=2)
    c_adv = TrainingClassFactory(program=advanced, capacity=1)
    c_other = TrainingClassFactory(program=unlinked, capacity=5)
    people = [
        ParticipantFactory(user=UserFactory(), category="asn"),
        ParticipantFactory(user=UserFactory(), domicile=region("64.72")),
        ParticipantFactory(user=UserFactory(), has_disability=True),
        ParticipantFactory(user=UserFactory()),
    ]
    apply_to(people[0], [c_basic], score=90)
    apply_to(people[1], [c_basic], score=80)
    apply_to(people[2], [c_adv], score=70)
    apply_to(people[3], [c_other], score=60)
    run = services.create_run(admin, basic.batch)
    services.publish(admin, services.compute(admin, services.draw_seed(admin, run)))
    return agreement, people


def value(agreement, key, **breakdown):
    commitment = Commitment.objects.create(
        agreement=agreement,
        title="t",
        metric_key=key,
        target_value=Decimal(10),
        unit="kursi",
        deadline=dt.date(2027, 1, 1),
        breakdown=breakdown,
    )
    return get_metric(key).fn(commitment).value


def test_offered_filled_and_acceptance_rate_count_linked_programmes_only(setup):
    agreement, people = setup
    assert value(agreement, "selection.seats_offered") == 3  # the unlinked programme's offer is not counted
    assert value(agreement, "selection.seats_filled") == 0
    assert value(agreement, "selection.acceptance_rate") == 0  # nothing answered yet
    services.accept_offer(people[0].user, Offer.objects.get(participant=people[0]).pk)
    services.decline_offer(people[1].user, Offer.objects.get(participant=people[1]).pk)
    services.accept_offer(people[2].user, Offer.objects.get(participant=people[2]).pk)
    assert value(agreement, "selection.seats_filled") == 2
    assert value(agreement, "selection.acceptance_rate") == Decimal("66.7")


def test_breakdown_filter_by_category_region_and_level(setup):
    agreement, _people = setup
    assert value(agreement, "selection.seats_offered", category="asn") == 1
    assert value(agreement, "selection.seats_offered", category=["asn", "disabilitas"]) == 2
    assert value(agreement, "selection.seats_offered", region="64") == 1  # Kalimantan Timur
    assert value(agreement, "selection.seats_offered", region="16.71") == 2
    assert value(agreement, "selection.seats_offered", level="lanjut") == 1
    assert value(agreement, "selection.seats_offered", level="dasar", category="umum") == 1
    # Numbers are the target's split, not a filter.
    assert value(agreement, "selection.seats_offered", dasar=6, lanjut=4) == 3
    assert value(agreement, "selection.seats_offered", level=7) == 3


def test_replaced_offers_count_once(setup):
    agreement, people = setup
    batch = Offer.objects.first().batch
    admin = regional_admin("16.71")
    services.decline_offer(people[1].user, Offer.objects.get(participant=people[1]).pk)
    run = services.create_run(admin, batch, kind=RunKind.BACKFILL, reason="kursi kosong")
    services.publish(admin, services.compute(admin, services.draw_seed(admin, run)))
    assert Offer.objects.filter(status=OfferStatus.DECLINED).count() == 1
    assert value(agreement, "selection.seats_offered") == 3
