"""The national admin opens a region selection call from the page, with the formula in percent."""

import pytest
from tests.factories import national_admin, regional_admin
from tests.readiness.test_assessment import SMART_CITY

from sinergi.readiness import services
from sinergi.readiness.models import ReferenceIndex, SelectionCall

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework():
    ReferenceIndex.objects.create(code="fiskal", name="Kapasitas fiskal", source="DJPK, uji", year=2026)
    return services.load_framework(text=SMART_CITY.read_text(encoding="utf-8"))[0]


def call_form(framework, **weights):
    # weight_0 assessment index, weight_1 commitment fulfilment, weight_2 the reference index.
    return {
        "name": "Pendampingan Smart City 2027",
        "year": "2027",
        "quota": "50",
        "framework": str(framework.pk),
        "description": "",
        **weights,
    }


def test_a_call_opened_from_the_page_ranks_by_the_weights_entered_in_percent(framework, client):
    client.force_login(national_admin())
    page = client.get("/kesiapan/seleksi/baru/").content.decode()
    assert "Kapasitas fiskal (2026)" in page and "Capaian komitmen kerja sama" in page

    response = client.post(
        "/kesiapan/seleksi/baru/", call_form(framework, weight_0="60", weight_1="0", weight_2="40")
    )

    call = SelectionCall.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/kesiapan/seleksi/{call.pk}/"
    assert call.quota == 50 and call.year == 2027
    assert call.formula == [
        {"key": "assessment_index", "weight": "0.6"},
        {"key": "ref:fiskal", "weight": "0.4"},
    ]
    assert "Pendampingan Smart City 2027" in client.get(f"/kesiapan/seleksi/{call.pk}/").content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"weight_0": "60", "weight_2": "30"}, "Jumlah bobot kriteria harus 100% (sekarang 90%)."),
        ({}, "Isi bobot setidaknya satu kriteria."),
        ({"weight_0": "-5", "weight_2": "105"}, "Pastikan nilai ini lebih besar dari atau sama dengan 0."),
        ({"weight_0": "100", "quota": "0"}, "Pastikan nilai ini lebih besar dari atau sama dengan 1."),
        ({"weight_0": "100", "name": ""}, "Bidang ini tidak boleh kosong."),
    ],
)
def test_a_bad_call_is_refused_with_the_field_named_and_nothing_saved(framework, client, fields, message):
    client.force_login(national_admin())
    response = client.post("/kesiapan/seleksi/baru/", call_form(framework, **fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SelectionCall.objects.exists()


def test_only_the_national_admin_opens_a_call(framework, client):
    client.force_login(regional_admin("62.02"))
    assert client.post("/kesiapan/seleksi/baru/", call_form(framework, weight_0="100")).status_code == 403
    assert "Buka seleksi baru" not in client.get("/kesiapan/seleksi/").content.decode()
    assert not SelectionCall.objects.exists()
