"""The programme demo step: the Palembang batch and its classes."""

import time

import pytest

from sinergi.core.demo import PALEMBANG_BATCH, seed_foundation
from sinergi.programs.demo import seed_programs
from sinergi.programs.models import Academy, Batch, Program, TrainingClass

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    from sinergi.partnerships.demo import seed_partnerships

    seed_foundation()
    seed_partnerships()
    started = time.perf_counter()
    seed_programs()
    print(f"seed_programs: {time.perf_counter() - started:.2f} s")


def test_dts_academies_are_data():
    codes = set(Academy.objects.values_list("code", flat=True))
    assert {"FGA", "VSGA", "TSA", "PROA", "GTA", "DEA", "TA", "DLA"} <= codes
    assert all(a.description for a in Academy.objects.filter(region__isnull=True))


def test_palembang_batch_is_closed_linked_and_split_by_level(demo):
    batch = Batch.objects.get(name=PALEMBANG_BATCH)
    assert batch.region_id == "16.71" and batch.organizer.name == "Pemerintah Kota Palembang"
    assert batch.status == Batch.Status.CLOSED
    programs = Program.objects.filter(batch=batch)
    assert set(programs.values_list("level", flat=True)) == {"dasar", "menengah", "lanjut"}
    for program in programs:
        assert program.agreements.filter(parties__organization=batch.organizer).exists()
    seats = programs.first().agreements.get().commitments.get(unit="kursi")
    assert seats.metric_key == "selection.seats_filled"  # counted from records, not typed in
    classes = TrainingClass.objects.filter(program__batch=batch)
    assert classes.count() == 40
    assert classes.values("provider").distinct().count() >= 3
    assert any(c.reserved_seats.get("asn") for c in classes)
    assert all(sum(c.reserved_seats.values()) <= c.capacity for c in classes)


def test_running_the_demo_twice_adds_nothing(demo):
    before = (Program.objects.count(), TrainingClass.objects.count())
    seed_programs()
    assert (Program.objects.count(), TrainingClass.objects.count()) == before
