"""Measuring progress for many agreements: the public list sorted by progress costs the same number of
queries for 5 agreements as for 20, and the batched numbers are those of the one-at-a-time path."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests.factories import OrganizationFactory, region

from sinergi.partnerships.metrics import agreement_rollup, commitment_progress
from sinergi.partnerships.models import Agreement, AgreementParty, Commitment, ManualMeasurement, Status

pytestmark = pytest.mark.django_db


def make_agreements(n: int, offset: int = 0) -> None:
    """n signed MoUs, each with two commitments (one measured twice) and a PKS child with its own."""
    samarinda = region("64.72")
    city = OrganizationFactory(name=f"Pemerintah Kota Uji {offset}", region=samarinda)
    start = date(2024, 1, 1)
    for i in range(offset, offset + n):
        mou = Agreement.objects.create(
            type="mou",
            title=f"Kerja sama uji {i:03d}",
            number=f"MOU/{i:03d}",
            topics=["digital_talent"],
            start_date=start,
            end_date=start + timedelta(days=700 + i),
            signed_date=start,
            status=Status.BERLAKU,
            region=samarinda,
        )
        pks = Agreement.objects.create(
            type="pks",
            parent=mou,
            title=f"PKS uji {i:03d}",
            number=f"PKS/{i:03d}",
            topics=["digital_talent"],
            start_date=start,
            end_date=mou.end_date,
            signed_date=start,
            status=Status.BERLAKU,
            region=samarinda,
        )
        AgreementParty.objects.create(agreement=mou, organization=city, role="pihak_pertama")
        first, second = (
            Commitment.objects.create(
                agreement=mou, title=f"Komitmen {k}", target_value=100, unit="orang", deadline=mou.end_date
            )
            for k in (1, 2)
        )
        child = Commitment.objects.create(
            agreement=pks,
            title="Komitmen PKS",
            target_value=50,
            unit="orang",
            deadline=pks.end_date,
            weight=2,
        )
        ManualMeasurement.objects.create(commitment=first, value=Decimal(i * 3 % 100))
        ManualMeasurement.objects.create(commitment=first, value=Decimal(i * 7 % 100))  # the latest counts
        ManualMeasurement.objects.create(commitment=child, value=Decimal(i % 50))
        del second  # left unmeasured: its value is 0


def progress_sorted_list_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/kerja-sama/", {"urut": "-progress"})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_progress_sorted_public_list_queries_do_not_grow_with_agreements(client):
    make_agreements(5)
    few = progress_sorted_list_queries(client)
    make_agreements(15, offset=5)
    assert progress_sorted_list_queries(client) == few


def test_region_page_and_export_queries_do_not_grow_with_agreements(client):
    make_agreements(5)
    with CaptureQueriesContext(connection) as few_region:
        assert client.get("/kerja-sama/wilayah/64.72/").status_code == 200
    with CaptureQueriesContext(connection) as few_export:
        assert client.get("/kerja-sama/ekspor.csv", {"urut": "progress"}).status_code == 200
    make_agreements(15, offset=5)
    with CaptureQueriesContext(connection) as many_region:
        assert client.get("/kerja-sama/wilayah/64.72/").status_code == 200
    with CaptureQueriesContext(connection) as many_export:
        assert client.get("/kerja-sama/ekspor.csv", {"urut": "progress"}).status_code == 200
    assert len(many_region.captured_queries) == len(few_region.captured_queries)
    assert len(many_export.captured_queries) == len(few_export.captured_queries)


def test_batched_progress_matches_one_commitment_at_a_time(client):
    make_agreements(12)
    today = timezone.localdate()
    rows = client.get("/kerja-sama/", {"urut": "-progress"}).context["page"].object_list
    assert rows
    percents = [row.rollup.percent for row in rows]
    assert percents == sorted(percents, reverse=True)
    for row in rows:
        fresh = Agreement.objects.get(pk=row.agreement.pk)
        assert row.rollup == agreement_rollup(fresh, today)
        for commitment, progress in row.commitments:
            assert progress == commitment_progress(Commitment.objects.get(pk=commitment.pk), today)
