"""The published ranking formula (pure) and the region-selection call through services, pages and API."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from tests.factories import national_admin, region, regional_admin
from tests.readiness.test_assessment import SMART_CITY

from sinergi.readiness import ranking, region_selection, services
from sinergi.readiness.models import Assessment, ReferenceIndex, ReferenceValue, SelectionCall
from sinergi.readiness.ranking import Criterion

D = Decimal
FORMULA = [
    Criterion("assessment_index", D("0.5"), "index_1_5"),
    Criterion("commitment_fulfilment", D("0.3"), "percent"),
    Criterion("ref:fiskal", D("0.2"), "relative"),
]


def test_scores_are_the_weighted_normalised_values_and_the_top_quota_are_selected():
    values = {
        "62.02": {"assessment_index": D("3"), "commitment_fulfilment": D("40"), "ref:fiskal": D("1.0")},
        "62.01": {"assessment_index": D("5"), "commitment_fulfilment": D("120"), "ref:fiskal": D("3.0")},
        "62.03": {"assessment_index": None, "commitment_fulfilment": D("80"), "ref:fiskal": D("2.0")},
    }
    ranked = ranking.rank(FORMULA, values, quota=2)
    assert [(r.rank, r.region_code, r.score, r.selected) for r in ranked] == [
        (1, "62.01", D("100.00"), True),  # 0.5×100 + 0.3×100 (capped) + 0.2×100
        (2, "62.02", D("37.00"), True),  # 0.5×50 + 0.3×40 + 0.2×0
        (3, "62.03", D("34.00"), False),  # missing index counts 0: 0.3×80 + 0.2×50
    ]
    assert ranked[2].breakdown["assessment_index"] == {
        "value": None,
        "normalised": "0.00",
        "weighted": "0.00",
    }
    assert ranked[1].breakdown["commitment_fulfilment"]["weighted"] == "12.00"


def test_ties_are_broken_by_the_criteria_in_order_then_by_region_code():
    formula = [Criterion("a", D("0.5"), "percent"), Criterion("b", D("0.5"), "percent")]
    values = {
        "73.71": {"a": D(40), "b": D(60)},
        "73.02": {"a": D(60), "b": D(40)},
        "73.01": {"a": D(40), "b": D(60)},
    }
    assert [r.region_code for r in ranking.rank(formula, values, quota=1)] == ["73.02", "73.01", "73.71"]
    # The same inputs in another order give the same ranks.
    shuffled = dict(reversed(list(values.items())))
    assert [r.region_code for r in ranking.rank(formula, shuffled, quota=1)] == ["73.02", "73.01", "73.71"]


@pytest.mark.parametrize(
    ("formula", "code"),
    [
        ([], "no_criteria"),
        ([Criterion("a", D("0.7"), "percent")], "weights_not_one"),
        ([Criterion("a", D("0"), "percent"), Criterion("b", D("1"), "percent")], "weight_not_positive"),
        ([Criterion("a", D("0.5"), "percent"), Criterion("a", D("0.5"), "percent")], "duplicate_criterion"),
        ([Criterion("a", D("1"), "kuadrat")], "unknown_kind"),
    ],
)
def test_a_bad_formula_is_refused(formula, code):
    with pytest.raises(ranking.FormulaError) as caught:
        ranking.check_formula(formula)
    assert caught.value.code == code


@pytest.fixture
def call(db):
    framework = services.load_framework(text=SMART_CITY.read_text(encoding="utf-8"))[0]
    fiskal = ReferenceIndex.objects.create(code="fiskal", name="Kapasitas fiskal", source="uji", year=2026)
    for code, value in (("62.02", "1.5"), ("62.01", "2.5"), ("64.72", "0.5")):
        ReferenceValue.objects.create(index=fiskal, region=region(code), value=D(value))
    for code, index in (("62.02", "2.50"), ("62.01", "3.50")):
        Assessment.objects.create(
            region=region(code),
            framework=framework,
            year=2026,
            status=Assessment.Status.FINAL,
            index=D(index),
        )
    return region_selection.create_call(
        actor=national_admin(),
        name="Pendampingan Smart City 2026",
        quota=1,
        year=2026,
        framework=framework,
        formula=[{"key": "assessment_index", "weight": "0.6"}, {"key": "ref:fiskal", "weight": "0.4"}],
    )


@pytest.mark.django_db
def test_a_call_refuses_unknown_criteria_and_weights_that_do_not_sum_to_one(call):
    admin = national_admin()
    with pytest.raises(ValidationError, match="tidak dikenal"):
        region_selection.create_call(
            actor=admin,
            name="x",
            quota=1,
            year=2026,
            framework=call.framework,
            formula=[{"key": "ref:tidak-ada", "weight": "1"}],
        )
    with pytest.raises(ValidationError, match="berjumlah 1"):
        region_selection.create_call(
            actor=admin,
            name="x",
            quota=1,
            year=2026,
            framework=call.framework,
            formula=[{"key": "assessment_index", "weight": "0.9"}],
        )
    with pytest.raises(ValidationError):
        region_selection.create_call(
            actor=regional_admin("62.02"),
            name="x",
            quota=1,
            year=2026,
            framework=call.framework,
            formula=[{"key": "assessment_index", "weight": "1"}],
        )


@pytest.mark.django_db
def test_regions_apply_only_for_themselves_and_see_their_rank_once_published(call, client):
    kotim, samarinda, admin = regional_admin("62.02"), regional_admin("64.72"), national_admin()
    with pytest.raises(ValidationError):
        region_selection.apply(actor=samarinda, call=call, region=region("62.02"))
    client.force_login(kotim)
    response = client.post(f"/kesiapan/seleksi/{call.pk}/", {"apply": "1", "region": "62.02"})
    assert response.status_code == 302
    # Samarinda is not Kotim's to enter.
    page = client.post(f"/kesiapan/seleksi/{call.pk}/", {"apply": "1", "region": "64.72"}).content.decode()
    assert "Wilayah yang didaftarkan: Masukkan pilihan yang valid." in page
    region_selection.apply(actor=samarinda, call=call, region=region("64.72"))
    region_selection.apply(actor=admin, call=call, region=region("62.01"))
    with pytest.raises(ValidationError, match="sudah terdaftar"):
        region_selection.apply(actor=kotim, call=call, region=region("62.02"))

    region_selection.rank_call(actor=admin, call=call)
    assert "Peringkat 2" not in client.get(f"/kesiapan/seleksi/{call.pk}/").content.decode()  # not yet public
    assert client.get(f"/api/v1/region-selection/{call.pk}/").json()["ranking"] == []
    region_selection.publish_call(actor=admin, call=call)
    page = client.get(f"/kesiapan/seleksi/{call.pk}/").content.decode()
    assert "Peringkat 2" in page and "Belum terpilih" in page

    body = client.get(f"/api/v1/region-selection/{call.pk}/").json()
    assert set(body) >= {"id", "name", "quota", "formula", "ranking"}
    assert [(r["rank"], r["region_code"], r["selected"]) for r in body["ranking"]] == [
        (1, "62.01", True),
        (2, "62.02", False),
        (3, "64.72", False),
    ]
    assert body["ranking"][1]["breakdown"]["assessment_index"]["value"] == "2.50"
    listing = client.get("/api/v1/region-selection/").json()
    assert listing[0]["applicants"] == 3 and listing[0]["quota"] == 1
    with pytest.raises(ValidationError, match="sudah diumumkan"):
        region_selection.rank_call(actor=admin, call=call)
    assert SelectionCall.objects.get(pk=call.pk).status == SelectionCall.Status.PUBLISHED


@pytest.mark.django_db
def test_only_the_national_admin_ranks_and_publishes(call, client):
    client.force_login(regional_admin("62.02"))
    client.post(f"/kesiapan/seleksi/{call.pk}/", {"rank": "1"})
    assert SelectionCall.objects.get(pk=call.pk).status == SelectionCall.Status.OPEN
    assert client.get("/api/v1/region-selection/987654/").status_code == 404
