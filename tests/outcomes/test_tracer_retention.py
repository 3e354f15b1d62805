"""Tracer answers past their retention period are removed by `apply_retention`; newer ones stay."""

import datetime as dt

import pytest
from django.utils import timezone
from tests.outcomes.conftest import graduate
from tests.outcomes.test_metrics import EMPLOYED

from sinergi.core import retention
from sinergi.outcomes import services
from sinergi.outcomes.models import TracerInvitation, TracerResponse

pytestmark = pytest.mark.django_db


def test_old_tracer_answers_are_removed_and_recent_ones_kept(palembang_class, rounds, run_scheduler):
    people = [graduate(palembang_class) for _ in range(2)]
    run_scheduler(dt.date(2026, 6, 10))
    inv = {i.enrolment_id: i for i in TracerInvitation.objects.filter(round__offset_months=3)}
    old, _created = services.submit_response(invitation=inv[people[0].pk], raw=EMPLOYED)
    services.submit_response(invitation=inv[people[1].pk], raw=EMPLOYED)
    TracerResponse.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - dt.timedelta(days=6 * 365))

    (report,) = [o for o in retention.apply(dry_run=True) if o.code == "tracer_answers"]
    assert (report.count, report.removed, report.years) == (1, 0, 5)
    assert TracerResponse.objects.count() == 2

    retention.apply(dry_run=False)
    assert list(TracerResponse.objects.values_list("invitation__enrolment", flat=True)) == [people[1].pk]
