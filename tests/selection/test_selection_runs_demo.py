"""Demo step 40 on a batch built by factories (the programmes demo builds the real Palembang batch)."""

import datetime as dt

import pytest
from django.utils import timezone
from tests.factories import ParticipantFactory, ProgramFactory, TrainingClassFactory, UserFactory, apply_to

from sinergi.accounts.models import Role
from sinergi.core.demo import PALEMBANG_BATCH, seed_foundation
from sinergi.selection.demo import seed_selection
from sinergi.selection.models import AllocationRun, Offer, OfferStatus, RunKind, RunStatus

pytestmark = pytest.mark.django_db


def test_demo_allocates_publishes_declines_and_backfills(capsys):
    seed_foundation()
    program = ProgramFactory(
        batch__name=PALEMBANG_BATCH, batch__registration_closes=timezone.now() - dt.timedelta(hours=1)
    )
    classes = [TrainingClassFactory(program=program, capacity=5) for _ in range(3)]
    for i in range(24):
        person = ParticipantFactory(user=UserFactory(role=Role.PARTICIPANT))
        apply_to(person, [classes[i % 3], classes[(i + 1) % 3]], score=40 + i % 7)
    seed_selection()
    runs = list(AllocationRun.objects.order_by("number"))
    assert [(r.kind, r.status) for r in runs] == [
        (RunKind.MAIN, RunStatus.PUBLISHED),
        (RunKind.BACKFILL, RunStatus.PUBLISHED),
    ]
    assert Offer.objects.filter(status=OfferStatus.DECLINED).count() == 2  # 10 % of 15 offers
    assert Offer.objects.filter(status=OfferStatus.ACCEPTED).count() == 6  # 40 % of 15
    assert Offer.objects.filter(run=runs[1]).count() >= 2  # the declined seats went to the waitlist
    seed_selection()  # idempotent
    assert AllocationRun.objects.count() == 2
    assert "Alokasi kursi:" in capsys.readouterr().out


def test_demo_skips_without_the_batch(capsys):
    seed_selection()
    assert "dilewati" in capsys.readouterr().out
