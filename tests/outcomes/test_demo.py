"""The demo step: the Palembang class's graduates answer their 3-month tracer (some before → after
changes), so the officer's page is not empty; running it again adds nothing."""

import io

import pytest
from tests.factories import TrainingClassFactory, region
from tests.outcomes.conftest import graduate

from sinergi.core.demo import PALEMBANG_BATCH
from sinergi.core.registry import DEMO_STEPS
from sinergi.outcomes import selectors
from sinergi.outcomes.demo import seed_tracer_demo
from sinergi.outcomes.models import TracerResponse

pytestmark = pytest.mark.django_db


def test_the_demo_step_is_registered_after_the_certificates():
    assert (70, "tracer lulusan", seed_tracer_demo) in DEMO_STEPS


def test_demo_graduates_answer_and_a_second_run_adds_nothing():
    training_class = TrainingClassFactory(
        program__batch__name=PALEMBANG_BATCH, program__batch__region=region("16.71")
    )
    for _ in range(9):
        graduate(training_class)
    out = io.StringIO()
    seed_tracer_demo(out)
    assert "tracer 3 bulan: 9 undangan, 6 jawaban" in out.getvalue()
    seed_tracer_demo(io.StringIO())
    assert TracerResponse.objects.count() == 6
    stats = selectors.round_stats(training_class.program)
    assert [s.round.offset_months for s in stats] == [3, 12] and stats[0].gross_rate == pytest.approx(66.7)
    changes = {label: counts for label, counts, _n in selectors.before_after(training_class.program)}
    assert changes["Sedang mencari kerja"][0] >= 1  # a job seeker before training works full time after


def test_without_palembang_graduates_the_step_says_so():
    out = io.StringIO()
    seed_tracer_demo(out)
    assert "belum ada lulusan" in out.getvalue()
