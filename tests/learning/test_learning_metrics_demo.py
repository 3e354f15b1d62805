"""Commitment metrics from delivery records, and the demo step against factory data."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from tests.factories import (
    AcademyFactory,
    BatchFactory,
    EnrolmentFactory,
    ParticipantFactory,
    ProgramFactory,
    TrainingClassFactory,
    apply_to,
    provider_staff,
    region,
)

from sinergi.core.demo import PALEMBANG_BATCH
from sinergi.core.registry import DEMO_STEPS
from sinergi.learning import metrics, services
from sinergi.learning.demo import seed_learning_demo
from sinergi.learning.models import Attendance, CompetencyResult, Enrolment
from sinergi.partnerships.metrics import METRICS
from sinergi.partnerships.models import Agreement, Commitment
from sinergi.programs.models import Category, Level

pytestmark = pytest.mark.django_db


def commitment_for(*programs, key=metrics.COMPLETIONS):
    agreement = Agreement.objects.create(
        type="mou",
        title="MoU Talenta Digital",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2028, 1, 1),
    )
    for program in programs:
        program.agreements.add(agreement)
    return Commitment.objects.create(
        agreement=agreement,
        title="Lulusan",
        metric_key=key,
        target_value=Decimal(100),
        unit="orang",
        deadline=datetime.date(2027, 12, 31),
    )


def test_metrics_are_registered():
    assert metrics.COMPLETIONS in METRICS and metrics.COMPETENT_RATE in METRICS


def test_completions_count_linked_programmes_only_with_breakdown():
    dasar = ProgramFactory(level=Level.DASAR, academy=AcademyFactory(code="GTA"))
    lanjut = ProgramFactory(level=Level.LANJUT, academy=AcademyFactory(code="VSGA"))
    unlinked = ProgramFactory()
    commitment = commitment_for(dasar, lanjut)
    tc_dasar = TrainingClassFactory(program=dasar, region=region("16.71"))
    tc_lanjut = TrainingClassFactory(program=lanjut, region=region("64.72"))
    done = Enrolment.Status.COMPLETED
    EnrolmentFactory(
        training_class=tc_dasar, status=done, participant=ParticipantFactory(category=Category.ASN)
    )
    EnrolmentFactory(
        training_class=tc_dasar, status=done, participant=ParticipantFactory(category=Category.UMKM)
    )
    EnrolmentFactory(
        training_class=tc_lanjut, status=done, participant=ParticipantFactory(category=Category.ASN)
    )
    EnrolmentFactory(training_class=tc_lanjut, status=Enrolment.Status.NOT_COMPLETED)
    EnrolmentFactory(training_class=TrainingClassFactory(program=unlinked), status=done)

    value = METRICS[metrics.COMPLETIONS].fn(commitment)
    assert value.value == 3
    assert value.drilldown is not None and value.drilldown.count() == 3
    assert metrics.breakdown(commitment, metrics.COMPLETIONS, "level") == {"Dasar": 2, "Lanjut": 1}
    assert metrics.breakdown(commitment, metrics.COMPLETIONS, "academy") == {"GTA": 2, "VSGA": 1}
    assert metrics.breakdown(commitment, metrics.COMPLETIONS, "category") == {"ASN": 2, "Pelaku UMKM": 1}
    by_region = metrics.breakdown(commitment, metrics.COMPLETIONS, "region")
    assert sum(by_region.values()) == 3 and len(by_region) == 2
    with pytest.raises(ValueError):
        metrics.breakdown(commitment, metrics.COMPLETIONS, "gender")


def test_competent_rate_counts_all_units_kompeten_among_assessed():
    staff = provider_staff("16.71")
    program = ProgramFactory()
    commitment = commitment_for(program, key=metrics.COMPETENT_RATE)
    assert METRICS[metrics.COMPETENT_RATE].fn(commitment).value == 0  # nobody assessed yet
    tc = TrainingClassFactory(program=program, provider=staff.organization)
    u1 = services.add_competency_unit(program, code="J.1", title="Satu", user=staff)
    u2 = services.add_competency_unit(program, code="J.2", title="Dua", user=staff)
    full, partial, failed, untested = (EnrolmentFactory(training_class=tc) for _ in range(4))
    now = timezone.now()

    def result(enrolment, unit, outcome):
        services.record_competency_result(
            enrolment, unit, outcome=outcome, assessed_at=now, user=staff, assessor_name="Asesor"
        )

    result(full, u1, "kompeten")
    result(full, u2, "kompeten")
    result(partial, u1, "kompeten")  # u2 not tested yet
    result(failed, u1, "kompeten")
    result(failed, u2, "belum_kompeten")
    value = METRICS[metrics.COMPETENT_RATE].fn(commitment)
    assert value.value == Decimal("33.3")  # 1 of the 3 assessed; the untested one does not count
    assert list(value.drilldown) == [full]
    assert metrics.breakdown(commitment, metrics.COMPETENT_RATE, "level") == {"Dasar": Decimal("33.3")}
    assert untested.competency_results.count() == 0


# --- demo -------------------------------------------------------------------------------------------


def test_demo_step_is_registered_at_50():
    assert any(order == 50 and name == "pelaksanaan kelas" for order, name, _fn in DEMO_STEPS)


def test_demo_completes_a_palembang_class_from_applicants():
    batch = BatchFactory(name=PALEMBANG_BATCH)
    program = ProgramFactory(batch=batch)
    staff = provider_staff("16.71")
    tc = TrainingClassFactory(program=program, provider=staff.organization)
    TrainingClassFactory(program=program)  # an empty class nobody chose
    for _ in range(12):
        apply_to(ParticipantFactory(), [tc])
    out = io.StringIO()
    seed_learning_demo(out)

    tc.refresh_from_db()
    assert tc.ends_on < timezone.localdate()
    assert tc.sessions.count() == 8
    statuses = list(tc.enrolments.values_list("status", flat=True))
    assert len(statuses) == 12
    assert statuses.count("completed") >= 9 and statuses.count("not_completed") >= 1
    assert set(Attendance.objects.values_list("method", flat=True)) == {"checklist", "qr", "import"}
    assert CompetencyResult.objects.filter(outcome="kompeten").exists()
    assert CompetencyResult.objects.filter(outcome="belum_kompeten").count() == 1
    assert "lulus" in out.getvalue()

    # Running it again leaves the data as it is, even though another class now has more active seats.
    other = TrainingClassFactory(program=program)
    for _ in range(3):
        EnrolmentFactory(training_class=other)
    seed_learning_demo(io.StringIO())
    assert tc.sessions.count() == 8
    assert not other.sessions.exists()


def test_demo_uses_allocated_enrolments_when_there_are_some():
    batch = BatchFactory(name=PALEMBANG_BATCH)
    tc = TrainingClassFactory(program=ProgramFactory(batch=batch))
    enrolled = [EnrolmentFactory(training_class=tc) for _ in range(6)]
    seed_learning_demo(None)
    assert tc.enrolments.count() == 6
    assert {e.pk for e in enrolled} == set(tc.enrolments.values_list("pk", flat=True))
    assert tc.enrolments.filter(status="completed").count() == 5


def test_demo_without_the_batch_does_nothing():
    out = io.StringIO()
    seed_learning_demo(out)
    assert "dilewati" in out.getvalue()
