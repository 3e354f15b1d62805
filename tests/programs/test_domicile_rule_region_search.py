"""The domicile rule picks regions with the region search (names and aliases, as elsewhere in the app),
never typed Kemendagri codes, and offers only the regions the officer may choose."""

import re

import pytest
from tests.factories import BatchFactory, ProgramFactory, national_admin, region, regional_admin

from sinergi.programs.models import EligibilityRule

pytestmark = pytest.mark.django_db


def rule_url(program) -> str:
    return f"/kelola/program/{program.pk}/aturan/baru/?jenis=domicile"


def matches(client, program, term: str, ticked_codes=()) -> str:
    """What the search box gets back from htmx while the officer types."""
    params = {"jenis": "domicile", "regions_cari": term, "regions": list(ticked_codes)}
    url = f"/kelola/program/{program.pk}/aturan/baru/"
    response = client.get(url, params, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def ticked(html: str) -> list[str]:
    return re.findall(r'name="regions" value="([^"]+)" checked', html)


def offered(html: str) -> list[str]:
    return re.findall(r'name="regions" value="([^"]+)"', html)


def test_a_province_officer_sees_their_kab_kota_to_tick_and_the_rule_stores_the_codes(client):
    client.force_login(regional_admin("16"))
    program = ProgramFactory(batch=BatchFactory(region=region("16")))
    page = client.get(rule_url(program)).content.decode()
    assert 'id="id_regions_cari"' in page and 'type="search"' in page
    assert 'for="id_regions_cari"' in page  # the label names the search box
    assert "Kode wilayah" not in page  # nothing asks for typed codes
    codes = offered(page)
    assert "16" in codes and "16.71" in codes and "16.01" in codes
    assert all(code == "16" or code.startswith("16.") for code in codes)
    assert not ticked(page)

    response = client.post(rule_url(program), {"regions": ["16.71", "16.72"]})
    assert response.status_code == 302
    assert EligibilityRule.objects.get().params == {"regions": ["16.71", "16.72"]}
    page = client.get(f"/kelola/program/{program.pk}/").content.decode()
    assert "Kota Palembang (16.71)" in page


def test_typing_narrows_the_matches_to_the_officers_regions_and_keeps_the_ticked_out(client):
    client.force_login(regional_admin("16"))
    program = ProgramFactory(batch=BatchFactory(region=region("16")))
    fragment = matches(client, program, "palembang", ["16.71"])
    assert "<html" not in fragment
    assert offered(fragment) == []  # Kota Palembang is ticked already, so not offered twice
    fragment = matches(client, program, "lubuk")
    assert offered(fragment) == ["16.73"]  # Kota Lubuk Linggau
    # Samarinda exists, but lies outside the officer's province: no match, not even by name.
    fragment = matches(client, program, "samarinda")
    assert offered(fragment) == []
    assert "Tidak ada wilayah yang dapat Anda pilih yang cocok dengan “samarinda”." in fragment


def test_without_javascript_the_search_button_narrows_keeps_the_ticks_and_saves_nothing(client):
    client.force_login(regional_admin("16"))
    program = ProgramFactory(batch=BatchFactory(region=region("16")))
    page = client.post(
        rule_url(program), {"regions": ["16.72"], "regions_cari": "palembang", "regions_cari_tombol": "1"}
    ).content.decode()
    assert not EligibilityRule.objects.exists()
    assert ticked(page) == ["16.72"]
    assert [c for c in offered(page) if c not in ticked(page)] == ["16.71"]
    assert 'value="palembang"' in page
    assert "Periksa isian berikut" not in page  # a search is not a refused submit


def test_a_city_officer_cannot_pick_another_region_even_by_posting_its_code(client):
    client.force_login(regional_admin("16.71"))
    program = ProgramFactory(batch=BatchFactory(region=region("16.71")))
    assert offered(client.get(rule_url(program)).content.decode()) == ["16.71"]
    page = client.post(rule_url(program), {"regions": ["16.71", "64.72"]}).content.decode()
    assert "Wilayah domisili: Wilayah 64.72 tidak dapat Anda pilih." in page
    assert not EligibilityRule.objects.exists()


def test_a_national_officer_searches_by_alias_and_editing_keeps_the_stored_regions_ticked(client):
    client.force_login(national_admin())
    program = ProgramFactory(batch=BatchFactory(region=None))
    page = client.get(rule_url(program)).content.decode()
    assert offered(page) == []  # 500-odd regions: typed first, not listed
    assert "Ketik nama provinsi atau kabupaten/kota" in page
    fragment = matches(client, program, "Kotim")
    assert "62.02" in offered(fragment)  # Kotawaringin Timur
    rule = EligibilityRule.objects.create(
        program=program, kind="domicile", params={"regions": ["62.02", "64"]}
    )
    page = client.get(f"/kelola/aturan/{rule.pk}/ubah/").content.decode()
    assert ticked(page) == ["64", "62.02"]  # the province first
