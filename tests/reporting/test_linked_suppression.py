"""Open data published at three levels shares its numbers: a province's row in the national table is
the province table's total row, a kab/kota's row in the province table is the kab/kota's own table.
Each shared number must read the same in every table, or a count hidden in one could be read off
another and the small cell it protected worked out from the totals."""

import random

import pytest
from django.utils import timezone
from tests.factories import ProgramFactory

from sinergi.programs.models import Batch, Category
from sinergi.regions.models import Region
from sinergi.reporting import opendata
from sinergi.reporting.models import FunnelCount
from sinergi.reporting.suppression import COMPLEMENTARY, PRIMARY

pytestmark = pytest.mark.django_db
KIND = opendata.KINDS["peserta-menurut-kategori"]


def hidden(value) -> bool:
    return value in (PRIMARY, COMPLEMENTARY)


def equations(rows):
    """Rows (cells then total) including the Jumlah row, and the columns they form."""
    body = [row[2:] for row in rows]
    return body + [list(column) for column in zip(*body, strict=True)]


def fill(batch, kabs, rng) -> None:
    FunnelCount.objects.all().delete()
    FunnelCount.objects.bulk_create(
        FunnelCount(
            batch=batch,
            stage="registered",
            dimension="region_category",
            value=f"{kab}|{category}",
            count=rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 14, 30]),
        )
        for kab in kabs
        for category in Category.values
    )


@pytest.mark.parametrize("seed", range(6))
def test_numbers_shared_by_national_province_and_kabkota_tables_read_the_same(seed):
    batch = ProgramFactory(batch__status=Batch.Status.ALLOCATED).batch
    year = timezone.localtime(batch.registration_closes).year
    kabs = {
        province: list(
            Region.objects.filter(parent_id=province).order_by("code").values_list("code", flat=True)[:3]
        )
        for province in ("16", "64")
    }
    fill(batch, [k for group in kabs.values() for k in group], random.Random(seed))
    _header, national = KIND.build(None, year)
    by_code = {row[0]: row for row in national}
    for province, members in kabs.items():
        _header, table = KIND.build(opendata.region_for(province), year)
        assert table[-1][2:] == by_code[province][2:], f"province {province}, seed {seed}"
        rows = {row[0]: row for row in table}
        for kab in members:
            if kab not in rows:
                continue
            _header, own = KIND.build(opendata.region_for(kab), year)
            assert own[0][2:] == rows[kab][2:] == own[-1][2:], f"{kab}, seed {seed}"
            for line in equations(own):
                assert sum(hidden(v) for v in line) != 1
        for line in equations(table):
            assert sum(hidden(v) for v in line) != 1, f"province {province}, seed {seed}"
    for line in equations(national):
        assert sum(hidden(v) for v in line) != 1


def test_the_funnel_dataset_hides_a_total_the_cross_table_hides():
    batch = ProgramFactory(batch__status=Batch.Status.ALLOCATED).batch
    year = timezone.localtime(batch.registration_closes).year
    # Palembang's 3 are "<5"; the province total (23) is published, so Prabumulih's 20 must be hidden
    # in the province table — and then in Prabumulih's funnel too, or 23 − 20 gives Palembang's 3.
    counts = {"16.71": ("asn", 3), "16.72": ("umum", 20)}
    FunnelCount.objects.bulk_create(
        FunnelCount(batch=batch, stage=stage, dimension=dimension, value=value, count=n)
        for kab, (category, n) in counts.items()
        for stage, dimension, value in (
            ("registered", "region_category", f"{kab}|{category}"),
            ("registered", "region", kab),
        )
    )
    _header, province = KIND.build(opendata.region_for("16"), year)
    rows = {row[0]: row for row in province}
    assert rows["16.71"][-1] == PRIMARY and rows["16.72"][-1] == COMPLEMENTARY
    assert province[-1][-1] == 23
    funnel = {
        r[0]: r[2] for r in opendata.KINDS["corong-pelatihan"].build(opendata.region_for("16.72"), year)[1]
    }
    assert funnel["registered"] == COMPLEMENTARY
