from datetime import date
from decimal import Decimal

import pytest
from tests.factories import region

from sinergi.partnerships import explain
from sinergi.partnerships.metrics import ON_TRACK, Progress
from sinergi.partnerships.models import Agreement, Commitment, MonevRound, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement():
    agreement = Agreement.objects.create(
        type="mou",
        title="MoU Talenta Digital Palembang",
        region=region("16.71"),
        status=Status.BERLAKU,
        start_date=date(2026, 1, 1),
        end_date=date(2028, 12, 31),
    )
    seats = Commitment.objects.create(
        agreement=agreement,
        title="Kursi pelatihan",
        metric_key="manual",
        target_value=10000,
        unit="kursi",
        deadline=date(2028, 12, 31),
        weight=2,
        breakdown={"dasar": 6000, "menengah": 3000, "lanjut": 1000},
    )
    Commitment.objects.create(
        agreement=agreement,
        title="Sertifikasi",
        metric_key="manual",
        target_value=4,
        unit="universitas",
        deadline=date(2028, 12, 31),
        weight=1,
    )
    MonevRound.objects.create(
        agreement=agreement,
        evaluated_on=date(2026, 6, 30),
        period_label="Semester I 2026",
        recommendation="dilanjutkan",
        snapshot={
            "taken_on": "2026-06-30",
            "commitments": [{"commitment_id": seats.pk, "percent": 12.5, "value": "1250"}],
        },
    )
    return agreement


def test_each_commitment_says_what_it_counts_its_weight_levels_and_history(agreement):
    seats, certification = agreement.commitments.order_by("pk")
    progress = Progress(Decimal(2500), Decimal(10000), 25.0, 20.0, ON_TRACK)
    why = explain.explain([(seats, progress), (certification, progress)], agreement.monev_rounds.all())
    first = why[seats.pk]
    assert first.metric_label == "Input manual dengan bukti" and "bukti" in first.metric_description
    assert first.weight_percent == 66.7 and first.contribution == 16.7
    assert [(lv.level, lv.percent_of_target) for lv in first.levels] == [
        ("dasar", 60.0),
        ("menengah", 30.0),
        ("lanjut", 10.0),
    ]
    assert [(p.label, p.percent) for p in first.history] == [("Semester I 2026", 12.5), ("Sekarang", 25.0)]
    assert why[certification.pk].levels == [] and len(why[certification.pk].history) == 1


def test_the_public_page_explains_every_number(client, agreement):
    html = client.get(f"/kerja-sama/{agreement.pk}/").content.decode()
    assert "Apa arti angka ini?" in html
    assert "rata-rata tertimbang" in html
    assert "Rincian target per tingkat" in html and "Kemajuan dari waktu ke waktu" in html
    assert "Semester I 2026" in html
    region_page = client.get("/kerja-sama/wilayah/16.71/").content.decode()
    assert "Yang dihitung" in region_page and "Input manual dengan bukti" in region_page
