"""Progress is computed: the pure rule, the manual metric, the registry and the PKS → MoU roll-up."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Q
from tests.factories import OrganizationFactory, region, regional_admin

from sinergi.partnerships import metrics
from sinergi.partnerships.metrics import (
    AT_RISK,
    LATE,
    ON_TRACK,
    MetricValue,
    Progress,
    agreement_rollup,
    commitment_progress,
    compute_progress,
    register_metric,
    rollup,
)
from sinergi.partnerships.services import (
    CommitmentInput,
    PartyInput,
    add_manual_measurement,
    create_agreement,
)

START, DEADLINE = date(2022, 1, 1), date(2023, 1, 1)  # 365 days


def progress(value, today, target=100, baseline=0):
    return compute_progress(
        value=Decimal(value),
        target=Decimal(target),
        baseline=Decimal(baseline),
        start=START,
        deadline=DEADLINE,
        today=today,
    )


def test_percent_of_target_from_baseline():
    p = progress(60, date(2022, 7, 2), target=120, baseline=20)
    assert p.percent == 40.0
    assert p.expected_percent == pytest.approx(49.9, abs=0.1)


@pytest.mark.parametrize(
    ("value", "today", "status"),
    [
        (50, date(2022, 7, 2), ON_TRACK),  # exactly on a linear schedule
        (41, date(2022, 7, 2), ON_TRACK),  # within the 10-point tolerance
        (30, date(2022, 7, 2), AT_RISK),  # behind, but more than half of what was expected
        (20, date(2022, 7, 2), LATE),  # less than half of what was expected
        (0, date(2022, 1, 1), ON_TRACK),  # nothing expected yet
        (99, date(2023, 1, 2), LATE),  # deadline passed, target not reached
        (100, date(2023, 6, 1), ON_TRACK),  # reached, even after the deadline
        (150, date(2022, 2, 1), ON_TRACK),  # over-achieved
    ],
)
def test_status_from_elapsed_time_versus_achieved(value, today, status):
    assert progress(value, today).status == status


@pytest.mark.parametrize(
    "today",
    [date(2021, 12, 1), date(2022, 1, 1), date(2022, 1, 30)],  # before the start, on it, 29 days in
)
def test_a_commitment_not_begun_or_less_than_a_month_old_is_never_late(today):
    short_deadline = date(2022, 2, 10)  # 40 days: linear schedule expects 70 % after 29 days
    p = compute_progress(
        value=Decimal(0),
        target=Decimal(100),
        baseline=Decimal(0),
        start=START,
        deadline=short_deadline,
        today=today,
    )
    assert p.status == ON_TRACK
    assert p.status_label != "Terlambat"


def test_after_the_first_month_a_commitment_far_behind_is_late():
    p = compute_progress(
        value=Decimal(0),
        target=Decimal(100),
        baseline=Decimal(0),
        start=START,
        deadline=date(2022, 2, 10),
        today=date(2022, 1, 31),
    )
    assert p.status == LATE


def test_over_achievement_is_reported_but_the_bar_is_capped():
    p = progress(150, date(2022, 2, 1))
    assert p.percent == 150.0 and p.bar_percent == 100.0


def test_value_below_baseline_counts_as_zero():
    assert progress(5, date(2022, 2, 1), baseline=10).percent == 0.0


def test_rollup_is_weighted_capped_and_takes_the_worst_status():
    done = Progress(Decimal(200), Decimal(100), 200.0, 50.0, ON_TRACK)
    behind = Progress(Decimal(20), Decimal(100), 20.0, 50.0, LATE)
    result = rollup([(Decimal(3), done), (Decimal(1), behind)])
    assert result.percent == 80.0  # (3·100 + 1·20) / 4, the 200 % is capped at 100
    assert result.status == LATE
    assert rollup([]).status is None


@pytest.fixture
def mou_with_pks():
    admin = regional_admin("16.71")
    a = OrganizationFactory(region=region("16.71")).pk
    b = OrganizationFactory(region=None, kind="ministry").pk
    parties = [PartyInput(a), PartyInput(b)]
    mou = create_agreement(
        user=admin,
        type="mou",
        title="MoU",
        start_date=START,
        end_date=date(2026, 1, 1),
        parties=parties,
        commitments=[CommitmentInput("Kursi", Decimal(100), "kursi", DEADLINE, weight=Decimal(1))],
    ).agreement
    pks = create_agreement(
        user=admin,
        type="pks",
        parent=mou,
        title="PKS",
        start_date=START,
        end_date=DEADLINE,
        parties=parties,
        commitments=[CommitmentInput("Sertifikat", Decimal(10), "orang", DEADLINE, weight=Decimal(3))],
    ).agreement
    return admin, mou, pks


@pytest.mark.django_db
def test_manual_metric_takes_the_latest_measurement_with_drilldown(mou_with_pks):
    admin, mou, _ = mou_with_pks
    commitment = mou.commitments.get()
    assert metrics.manual_metric(commitment).value == 0
    add_manual_measurement(commitment, value=Decimal(30), evidence_note="Laporan Januari", user=admin)
    add_manual_measurement(commitment, value=Decimal(45), evidence_note="Laporan Februari", user=admin)
    measured = metrics.manual_metric(commitment)
    assert measured.value == 45
    assert measured.drilldown is not None and measured.drilldown.count() == 2
    assert commitment_progress(commitment, date(2022, 7, 2)).percent == 45.0


@pytest.mark.django_db
def test_pks_progress_rolls_up_into_its_mou_with_weights(mou_with_pks):
    admin, mou, pks = mou_with_pks
    add_manual_measurement(mou.commitments.get(), value=Decimal(100), evidence_note="selesai", user=admin)
    add_manual_measurement(pks.commitments.get(), value=Decimal(2), evidence_note="dua orang", user=admin)
    today = date(2022, 7, 2)
    assert agreement_rollup(pks, today).percent == 20.0
    result = agreement_rollup(mou, today)
    assert result.percent == 40.0  # (1·100 + 3·20) / 4
    assert result.status == LATE  # the PKS is at 20 % with half the time gone


@pytest.mark.django_db
def test_a_registered_metric_counts_real_records(
    mou_with_pks, monkeypatch, django_capture_on_commit_callbacks
):
    """Other apps register their metrics; progress then moves as records arrive, without typing."""
    from sinergi.partnerships.models import StatusChange

    admin, mou, _ = mou_with_pks
    monkeypatch.setattr(metrics, "METRICS", dict(metrics.METRICS))

    def changes(commitment):
        qs = StatusChange.objects.filter(agreement=commitment.agreement)
        return MetricValue(Decimal(qs.count()), qs)

    monkeypatch.setattr(metrics, "_SOURCES", {k: list(v) for k, v in metrics._SOURCES.items()})
    register_metric(
        "uji_perubahan",
        "Perubahan status",
        "Jumlah perubahan status (uji).",
        changes,
        sources=[("partnerships.StatusChange", lambda change: Q(agreement=change.agreement_id))],
    )
    commitment = mou.commitments.get()
    commitment.metric_key = "uji_perubahan"
    with django_capture_on_commit_callbacks(execute=True):
        commitment.save()
    before = commitment_progress(commitment, date(2022, 7, 2)).value
    with django_capture_on_commit_callbacks(execute=True):
        StatusChange.objects.create(agreement=mou, from_status="usulan", to_status="pembahasan")
    assert commitment_progress(commitment, date(2022, 7, 2)).value == before + 1
    assert ("uji_perubahan", "Perubahan status") in metrics.metric_choices()
    with pytest.raises(KeyError, match="tidak terdaftar"):
        metrics.get_metric("tidak_ada")
