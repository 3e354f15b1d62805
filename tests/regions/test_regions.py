import pytest

from sinergi.regions.models import Region
from sinergi.regions.selectors import search_regions

pytestmark = pytest.mark.django_db


def test_all_kemendagri_levels_are_loaded_from_the_package():
    assert Region.objects.filter(level="province").count() == 38
    assert Region.objects.filter(level__in=["regency", "city"]).count() == 514
    assert Region.objects.filter(level="district").count() > 7000
    samarinda = Region.objects.get(code="64.72")
    assert samarinda.name == "Kota Samarinda" and samarinda.level == "city"
    assert samarinda.parent.name == "Provinsi Kalimantan Timur"
    assert Region.objects.get(code="62.02").name == "Kabupaten Kotawaringin Timur"
    assert Region.objects.get(code="65").name == "Provinsi Kalimantan Utara"


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("Kotim", "Kabupaten Kotawaringin Timur"),
        ("Sulsel", "Provinsi Sulawesi Selatan"),
        ("kaltim", "Provinsi Kalimantan Timur"),
        ("Palembang", "Kota Palembang"),
        ("Kotawaringin Timur", "Kabupaten Kotawaringin Timur"),
    ],
)
def test_search_by_name_or_alias_puts_the_intended_region_first(term, expected):
    assert search_regions(term)[0].name == expected


def test_within_covers_a_province_and_its_kabkota_only():
    kaltim = Region.objects.get(code="64")
    inside = Region.objects.within(kaltim)
    assert inside.filter(code="64.72").exists()
    assert inside.filter(code="64.72.01").exists()
    assert not inside.filter(code="16.71").exists()


def test_loading_again_changes_nothing():
    from sinergi.regions.services import load_regions

    before = Region.objects.count()
    counts = load_regions()
    assert counts["created"] == 0 and counts["aliases"] == 0
    assert Region.objects.count() == before


def test_search_endpoint_returns_json_and_html(client):
    data = client.get("/wilayah/cari/", {"q": "Kotim"}).json()
    assert data["results"][0]["code"] == "62.02"
    html = client.get("/wilayah/cari/", {"q": "zzzz", "format": "html"}).content.decode()
    assert "Tidak ada wilayah yang cocok" in html
