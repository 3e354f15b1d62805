"""The agreement lists: search, filters, sorting, paging, the officer list's scope, the region page."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from tests.factories import OrganizationFactory, national_admin, provider_staff, region, regional_admin

from sinergi.core.demo import seed_foundation
from sinergi.partnerships.demo import seed_partnerships
from sinergi.partnerships.models import Agreement, AgreementParty, AgreementType, Status, Topic
from sinergi.partnerships.services import (
    CommitmentInput,
    PartyInput,
    add_manual_measurement,
    create_agreement,
)

pytestmark = pytest.mark.django_db

SAMARINDA_DTS = "Beasiswa Pelatihan Digital Talent Scholarship bagi SDM Kota Samarinda"
PALEMBANG = "Peningkatan Kecakapan Digital Aparatur dan Masyarakat Kota Palembang"
KOTIM = "Program Smart City Kabupaten Kotawaringin Timur"
KEMNAKER = "Peningkatan Kompetensi Sumber Daya Manusia Kota Samarinda"
SULSEL = "Digital Talent Scholarship dan Digital Leadership Academy bagi ASN Pemprov Sulawesi Selatan"


@pytest.fixture
def demo():
    seed_foundation()
    seed_partnerships()
    return {a.title: a for a in Agreement.objects.all()}


def titles(response) -> list[str]:
    return [row.agreement.title for row in response.context["page"].object_list]


def test_public_list_shows_signed_agreements_only_even_to_officers(client, demo):
    anonymous = titles(client.get("/kerja-sama/"))
    assert set(anonymous) == {SAMARINDA_DTS, PALEMBANG, KOTIM}
    client.force_login(regional_admin("64.72"))
    assert set(titles(client.get("/kerja-sama/"))) == set(anonymous)


def test_search_by_title_number_and_party_name(client, demo):
    Agreement.objects.filter(pk=demo[KOTIM].pk).update(number="180/123/KS-KOTIM/2021")
    assert titles(client.get("/kerja-sama/", {"q": "smart city"})) == [KOTIM]
    assert titles(client.get("/kerja-sama/", {"q": "KS-KOTIM"})) == [KOTIM]
    assert titles(client.get("/kerja-sama/", {"q": "Darwan Ali"})) == [KOTIM]  # a party's name
    assert titles(client.get("/kerja-sama/", {"q": "Pemkot Palembang"})) == [PALEMBANG]  # short name
    assert set(titles(client.get("/kerja-sama/", {"q": "Balitbang SDM"}))) == {SAMARINDA_DTS, PALEMBANG}
    html = client.get("/kerja-sama/", {"q": "tidak ada yang cocok"}).content.decode()
    assert "Tidak ada kerja sama yang cocok dengan saringan ini." in html


def test_region_filter_includes_the_provinces_kab_kota(client, demo):
    assert titles(client.get("/kerja-sama/", {"wilayah": "16.71"})) == [PALEMBANG]
    assert titles(client.get("/kerja-sama/", {"wilayah": "16"})) == [PALEMBANG]  # Sumatera Selatan
    assert titles(client.get("/kerja-sama/", {"wilayah": "62"})) == [KOTIM]
    assert titles(client.get("/kerja-sama/", {"wilayah": "64.71"})) == []  # Balikpapan
    # An unknown code from a stale bookmark shows the whole list instead of an error page.
    assert len(titles(client.get("/kerja-sama/", {"wilayah": "99.99"}))) == 3


def test_partner_filter_includes_the_partners_units(client, demo):
    balitbang = AgreementParty.objects.filter(organization__short_name="Balitbang SDM").first().organization
    kominfo = balitbang.parent
    assert set(titles(client.get("/kerja-sama/", {"mitra": balitbang.pk}))) == {SAMARINDA_DTS, PALEMBANG}
    assert set(titles(client.get("/kerja-sama/", {"mitra": kominfo.pk}))) == {SAMARINDA_DTS, PALEMBANG}


def test_type_status_topic_filters(client, demo):
    assert titles(client.get("/kerja-sama/", {"jenis": AgreementType.NOTA_KESEPAKATAN})) == [PALEMBANG]
    assert titles(client.get("/kerja-sama/", {"topik": Topic.EDUCATION})) == [KOTIM]
    assert set(titles(client.get("/kerja-sama/", {"topik": Topic.SMART_CITY}))) == {SAMARINDA_DTS, KOTIM}
    assert titles(client.get("/kerja-sama/", {"status": Status.SELESAI})) == []
    # The public list offers signed statuses only; a draft status filter cannot reveal drafts.
    assert titles(client.get("/kerja-sama/", {"status": Status.PEMBAHASAN})) == []


def test_expiring_soon_means_in_force_and_ending_within_90_days(client, demo):
    today = timezone.localdate()
    Agreement.objects.filter(pk=demo[KOTIM].pk).update(end_date=today + timedelta(days=30))
    Agreement.objects.filter(pk=demo[SAMARINDA_DTS].pk).update(end_date=today + timedelta(days=91))
    Agreement.objects.filter(pk=demo[PALEMBANG].pk).update(end_date=today + timedelta(days=400))
    response = client.get("/kerja-sama/", {"segera_berakhir": "1"})
    assert titles(response) == [KOTIM]
    assert "Berakhir dalam 30 hari" in response.content.decode()


def test_sorting(client, demo):
    assert titles(client.get("/kerja-sama/", {"urut": "end_date"})) == [PALEMBANG, SAMARINDA_DTS, KOTIM]
    assert titles(client.get("/kerja-sama/", {"urut": "-end_date"})) == [KOTIM, SAMARINDA_DTS, PALEMBANG]
    assert titles(client.get("/kerja-sama/", {"urut": "-signed_date"})) == [SAMARINDA_DTS, PALEMBANG, KOTIM]
    assert titles(client.get("/kerja-sama/", {"urut": "signed_date"})) == [KOTIM, PALEMBANG, SAMARINDA_DTS]
    assert titles(client.get("/kerja-sama/", {"urut": "title"})) == [SAMARINDA_DTS, PALEMBANG, KOTIM]


def test_sort_by_progress_puts_unmeasured_agreements_last(client, demo):
    seats = demo[PALEMBANG].commitments.get(unit="kursi")
    add_manual_measurement(seats, value=Decimal(9000), evidence_note="Rekap kelas", user=national_admin())
    officer = national_admin()
    kotim = demo[KOTIM]
    create_agreement(
        user=officer,
        type=AgreementType.PKS,
        title="PKS Pelatihan ASN Kotim",
        start_date=date(2022, 1, 1),
        end_date=date(2026, 12, 31),
        status=Status.BERLAKU,
        signed_date=date(2022, 1, 1),
        parent=kotim,
        parties=[PartyInput(p.organization_id) for p in kotim.parties.all()],
        commitments=[CommitmentInput("ASN terlatih", Decimal(100), "ASN", date(2026, 12, 31))],
    )
    ordered = titles(client.get("/kerja-sama/", {"urut": "-progress"}))
    assert ordered[0] == PALEMBANG
    assert ordered[-1] == SAMARINDA_DTS  # nothing to measure
    ascending = titles(client.get("/kerja-sama/", {"urut": "progress"}))
    assert ascending[0] in (KOTIM, "PKS Pelatihan ASN Kotim") and ascending[-1] == SAMARINDA_DTS


def test_list_shows_parties_dates_and_progress_bar(client, demo):
    html = client.get("/kerja-sama/", {"wilayah": "16.71"}).content.decode()
    assert "Pemerintah Kota Palembang" in html and "Badan Penelitian dan Pengembangan SDM Kominfo" in html
    assert "20 Desember 2021" in html
    assert '<progress max="100" value="0.0"' in html
    assert 'href="/kerja-sama/wilayah/16.71/"' in html
    assert 'href="/kerja-sama/ekspor.xlsx?wilayah=16.71"' in html


def test_filters_work_without_javascript_and_htmx_gets_the_results_only(client, demo):
    full = client.get("/kerja-sama/", {"wilayah": "16.71"})
    html = full.content.decode()
    assert '<form method="get" action="/kerja-sama/"' in html
    assert '<option value="16.71" selected>' in html
    assert "<!doctype html>" in html
    partial = client.get("/kerja-sama/", {"wilayah": "16.71"}, headers={"HX-Request": "true"})
    assert "<!doctype html>" not in partial.content.decode()
    assert PALEMBANG in partial.content.decode()


def test_pagination_keeps_the_filters(client, demo):
    officer = national_admin()
    parties = [PartyInput(p.organization_id) for p in demo[PALEMBANG].parties.all()]
    for n in range(25):
        create_agreement(
            user=officer,
            type=AgreementType.PKS,
            title=f"PKS Palembang {n:02d}",
            start_date=date(2022, 1, 1),
            end_date=date(2026, 1, 1),
            status=Status.BERLAKU,
            signed_date=date(2022, 1, 1),
            parties=parties,
        )
    first = client.get("/kerja-sama/", {"q": "PKS Palembang", "urut": "title"})
    assert len(titles(first)) == 20
    html = first.content.decode()
    assert "Halaman 1 dari 2" in html
    assert "q=PKS%20Palembang&amp;urut=title&amp;page=2" in html
    second = client.get("/kerja-sama/", {"q": "PKS Palembang", "urut": "title", "page": 2})
    assert titles(second) == [f"PKS Palembang {n:02d}" for n in range(20, 25)]


def test_officer_list_is_scoped(client, demo):
    Agreement.objects.filter(pk=demo[PALEMBANG].pk).update(status=Status.PEMBAHASAN)
    assert client.get("/kerja-sama/kelola/").status_code == 302  # sign in first

    client.force_login(regional_admin("64.72"))
    samarinda = set(titles(client.get("/kerja-sama/kelola/")))
    assert KEMNAKER in samarinda  # own region's draft
    assert PALEMBANG not in samarinda  # Palembang's draft
    assert titles(client.get("/kerja-sama/kelola/", {"q": "Palembang"})) == []
    assert titles(client.get("/kerja-sama/kelola/", {"status": Status.PEMBAHASAN})) == [KEMNAKER]

    html = client.get("/kerja-sama/kelola/").content.decode()
    assert f'href="/kerja-sama/kelola/{demo[KEMNAKER].pk}/"' in html  # the office page, not the public one
    assert 'href="/kerja-sama/kelola/ekspor.xlsx"' in html and 'href="/kerja-sama/kelola/impor/"' in html

    client.force_login(regional_admin("16"))  # Sumatera Selatan sees its kota
    assert PALEMBANG in titles(client.get("/kerja-sama/kelola/"))
    client.force_login(national_admin())
    assert len(titles(client.get("/kerja-sama/kelola/"))) == 5


def test_officer_list_refuses_participants(client, demo):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get("/kerja-sama/kelola/").status_code == 403
    client.force_login(provider_staff())
    assert client.get("/kerja-sama/kelola/").status_code == 200


def test_region_page_shows_agreements_commitments_and_rollup(client, demo):
    seats = demo[PALEMBANG].commitments.get(unit="kursi")
    add_manual_measurement(
        seats, value=Decimal(2500), evidence_note="Rekap kelas BPSDMP Palembang", user=national_admin()
    )
    response = client.get("/kerja-sama/wilayah/16.71/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hasil kerja sama Kota Palembang" in html
    assert "Pemerintah Kota Palembang" in html and "H. Harnojoyo" in html
    assert "Kursi kelas pelatihan digital menurut tingkat keahlian" in html
    assert "2.500 / 10.000 kursi" in html
    assert '<progress max="100" value="25.0"' in html
    assert f'href="/kerja-sama/{demo[PALEMBANG].pk}/"' in html
    assert "Kemajuan gabungan semua komitmen: 16,7%" in html  # (25 × 1 + 0 × 0.5) / 1.5


def test_province_page_includes_its_kab_kota_in_official_long_form(client, demo):
    html = client.get("/kerja-sama/wilayah/16/").content.decode()
    assert "Hasil kerja sama Provinsi Sumatera Selatan" in html
    assert PALEMBANG in html
    html = client.get("/kerja-sama/wilayah/62.02/").content.decode()
    assert "Hasil kerja sama Kabupaten Kotawaringin Timur" in html and KOTIM in html


def test_region_page_hides_drafts_and_unknown_codes_are_404(client, demo):
    html = client.get("/kerja-sama/wilayah/64.72/").content.decode()
    assert SAMARINDA_DTS in html
    assert KEMNAKER not in html  # in discussion
    assert client.get("/kerja-sama/wilayah/99/").status_code == 404
    assert client.get("/kerja-sama/wilayah/64.72.01/").status_code == 404  # a kecamatan has no page
    html = client.get("/kerja-sama/wilayah/64.71/").content.decode()
    assert "Belum ada kerja sama yang ditandatangani untuk wilayah ini." in html


def test_region_page_counts_an_agreement_where_the_region_is_only_a_party(client, demo):
    makassar = OrganizationFactory(name="Pemerintah Kota Makassar", region=region("73.71"))
    sulsel = demo[SULSEL]
    create_agreement(
        user=national_admin(),
        type=AgreementType.MOU,
        title="Kerja sama antardaerah Sulsel–Makassar",
        start_date=date(2023, 1, 1),
        end_date=date(2027, 1, 1),
        status=Status.BERLAKU,
        signed_date=date(2023, 1, 1),
        region=region("73"),
        parties=[PartyInput(sulsel.parties.first().organization_id), PartyInput(makassar.pk)],
    )
    assert (
        "Kerja sama antardaerah Sulsel–Makassar" in client.get("/kerja-sama/wilayah/73.71/").content.decode()
    )
