"""/api/v1/agreements/: public reads, scoped reads for officers, writes for authorised roles only."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from tests.factories import UserFactory, national_admin, provider_staff, regional_admin

from sinergi.accounts.models import Organization
from sinergi.core.demo import seed_foundation
from sinergi.partnerships.demo import seed_partnerships
from sinergi.partnerships.models import Agreement, Status, StatusChange
from sinergi.partnerships.services import add_manual_measurement

pytestmark = pytest.mark.django_db

PALEMBANG = "Peningkatan Kecakapan Digital Aparatur dan Masyarakat Kota Palembang"
KEMNAKER = "Peningkatan Kompetensi Sumber Daya Manusia Kota Samarinda"
URL = "/api/v1/agreements/"


@pytest.fixture
def demo():
    seed_foundation()
    seed_partnerships()
    return {a.title: a for a in Agreement.objects.all()}


def titles(response) -> set[str]:
    return {a["title"] for a in response.json()["results"]}


def org(short_name: str) -> Organization:
    return Organization.objects.get(short_name=short_name)


def new_agreement(**overrides) -> dict:
    payload = {
        "type": "nota_kesepakatan",
        "title": "Pelatihan Talenta Digital Kota Palembang 2025",
        "status": "berlaku",
        "topics": ["digital_talent", "certification"],
        "start_date": "2025-01-06",
        "end_date": "2027-12-31",
        "signed_date": "2025-01-06",
        "parties": [
            {
                "organization_id": org("Pemkot Palembang").pk,
                "role": "pihak_pertama",
                "signatory_name": "Ratu Dewa",
                "signatory_position": "Wali Kota Palembang",
            },
            {"organization_id": org("Balitbang SDM").pk, "role": "pihak_kedua"},
        ],
        "commitments": [
            {
                "title": "Kursi pelatihan",
                "target": 10000,
                "unit": "kursi",
                "deadline": "2027-12-31",
                "breakdown": {"dasar": 6000, "menengah": 3000, "lanjut": 1000},
            }
        ],
    }
    payload.update(overrides)
    return payload


def post(client, data, url=URL):
    return client.post(url, json.dumps(data), content_type="application/json")


def patch(client, url, data):
    return client.patch(url, json.dumps(data), content_type="application/json")


def test_anonymous_reads_public_agreements_with_parties_and_computed_progress(client, demo):
    seats = demo[PALEMBANG].commitments.get(unit="kursi")
    add_manual_measurement(seats, value=Decimal(2500), evidence_note="Rekap kelas", user=national_admin())
    response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and body["page"] == 1 and body["next"] is None
    assert KEMNAKER not in titles(response)
    palembang = next(a for a in body["results"] if a["title"] == PALEMBANG)
    assert palembang["status"] == "berlaku" and palembang["status_label"] == "Berlaku"
    assert palembang["region"] == {"code": "16.71", "name": "Kota Palembang", "level": "city"}
    first = next(p for p in palembang["parties"] if p["role"] == "pihak_pertama")
    assert first["organization"]["name"] == "Pemerintah Kota Palembang"
    assert first["organization"]["kind"] == "city_gov" and first["organization"]["region_code"] == "16.71"
    assert first["signatory_name"] == "H. Harnojoyo"
    seats_out = next(c for c in palembang["commitments"] if c["unit"] == "kursi")
    assert seats_out["target"] == 10000 and seats_out["deadline"] == "2026-12-19"
    assert seats_out["baseline"] == 0 and seats_out["breakdown"]["menengah"] == 3000
    assert seats_out["progress"]["value"] == 2500 and seats_out["progress"]["percent"] == 25.0
    assert seats_out["progress"]["status"] in ("on_track", "at_risk", "late")
    assert palembang["progress"]["percent"] == pytest.approx(16.7)
    assert palembang["url"].endswith(f"/kerja-sama/{demo[PALEMBANG].pk}/")

    detail = client.get(f"{URL}{demo[PALEMBANG].pk}/")
    assert detail.status_code == 200 and detail.json()["title"] == PALEMBANG


def test_anonymous_cannot_read_a_draft(client, demo):
    response = client.get(f"{URL}{demo[KEMNAKER].pk}/")
    assert response.status_code == 404
    assert response.json()["detail"] == "Tidak ditemukan."


def test_filters_and_sorting_like_the_list(client, demo):
    assert titles(client.get(URL, {"region": "16"})) == {PALEMBANG}
    assert titles(client.get(URL, {"q": "Darwan Ali"})) == {"Program Smart City Kabupaten Kotawaringin Timur"}
    assert titles(client.get(URL, {"type": "nota_kesepakatan"})) == {PALEMBANG}
    assert titles(client.get(URL, {"topic": "education"})) == {
        "Program Smart City Kabupaten Kotawaringin Timur"
    }
    ordered = [a["title"] for a in client.get(URL, {"sort": "end_date"}).json()["results"]]
    assert ordered[0] == PALEMBANG
    balitbang = org("Balitbang SDM")
    assert len(client.get(URL, {"partner": balitbang.parent_id}).json()["results"]) == 2


def test_bad_filters_are_named_in_indonesian(client, demo):
    response = client.get(URL, {"region": "99.99"})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "region"
    assert error["message"] == "region (wilayah): Kode wilayah '99.99' tidak dikenal."
    response = client.get(URL, {"status": "disetujui"})
    assert response.json()["errors"][0]["field"] == "status"
    assert "tidak dikenal" in response.json()["errors"][0]["message"]
    response = client.get(URL, {"page_size": 500})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "page_size"
    assert "harus lebih kecil dari atau sama dengan 100" in response.json()["errors"][0]["message"]
    response = client.get(URL, {"page": 7})
    assert response.json()["errors"][0]["message"] == "page (halaman): halaman 7 tidak ada; jumlah halaman 1."


def test_pagination_links(client, demo):
    body = client.get(URL, {"page_size": 2, "sort": "title"}).json()
    assert body["num_pages"] == 2 and len(body["results"]) == 2
    assert "page=2" in body["next"] and "sort=title" in body["next"]
    second = client.get(body["next"]).json()
    assert len(second["results"]) == 1 and second["previous"] is not None


def test_staff_see_their_scope_and_nothing_more(client, demo):
    Agreement.objects.filter(pk=demo[PALEMBANG].pk).update(status=Status.PEMBAHASAN)
    client.force_login(regional_admin("64.72"))
    seen = titles(client.get(URL, {"page_size": 100}))
    assert KEMNAKER in seen and PALEMBANG not in seen
    assert client.get(f"{URL}{demo[PALEMBANG].pk}/").status_code == 404
    assert client.get(f"{URL}{demo[KEMNAKER].pk}/").json()["is_public"] is False
    client.force_login(regional_admin("16.71"))
    assert PALEMBANG in titles(client.get(URL))
    client.force_login(national_admin())
    assert client.get(URL).json()["count"] == 5


def test_anonymous_reads_are_rate_limited(client, demo, settings):
    settings.SINERGI_API_ANONYMOUS_RATE = "3/m"
    for _ in range(3):
        assert client.get(URL).status_code == 200
    limited = client.get(URL)
    assert limited.status_code == 429
    assert limited.json()["detail"] == "Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi."
    client.force_login(regional_admin("64.72"))
    assert client.get(URL).status_code == 200  # signed-in officers are not limited by address


def test_anonymous_cannot_write(client, demo):
    response = post(client, new_agreement())
    assert response.status_code == 401
    assert "Masuk terlebih dahulu" in response.json()["detail"]
    assert patch(client, f"{URL}{demo[PALEMBANG].pk}/", {"title": "x"}).status_code == 401
    assert not Agreement.objects.filter(title__startswith="Pelatihan Talenta Digital").exists()


def test_writes_need_a_csrf_token(demo):
    admin = national_admin()
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    response = post(client, new_agreement())
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    client.get("/kerja-sama/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        URL, json.dumps(new_agreement()), content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201


def test_regional_admin_creates_an_agreement_for_own_region(client, demo):
    client.force_login(regional_admin("16.71"))
    response = post(client, new_agreement())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["region"]["code"] == "16.71" and body["status"] == "berlaku"
    assert body["commitments"][0]["progress"]["percent"] == 0.0
    assert body["warnings"] == []
    created = Agreement.objects.get(pk=body["id"])
    assert created.parties.count() == 2 and created.commitments.get().breakdown["dasar"] == 6000
    assert StatusChange.objects.filter(agreement=created).count() == 1


def test_regional_admin_cannot_create_for_another_region(client, demo):
    client.force_login(regional_admin("64.72"))
    response = post(client, new_agreement(region_code="16.71"))
    assert response.status_code == 403
    assert "tidak berwenang" in response.json()["detail"]
    client.force_login(provider_staff())
    assert post(client, new_agreement()).status_code == 403
    client.force_login(UserFactory())
    assert post(client, new_agreement()).status_code == 403
    assert not Agreement.objects.filter(title__startswith="Pelatihan Talenta Digital").exists()


def test_bad_input_names_the_field_in_indonesian_and_saves_nothing(client, demo):
    client.force_login(national_admin())
    cases = [
        (
            new_agreement(end_date="2024-01-01"),
            "end_date",
            "Tanggal berakhir tidak boleh sebelum tanggal mulai",
        ),
        (new_agreement(start_date="2025-02-30"), "start_date", "bukan tanggal yang valid"),
        (new_agreement(type="surat"), "type", "nilai tidak dikenal"),
        (new_agreement(title=""), "title", "wajib diisi"),
        (new_agreement(judul="x"), "judul", "kolom tidak dikenal"),
        (
            new_agreement(parties=[{"organization_id": 999999}, {"organization_id": 999998}]),
            "parties",
            "Pihak tidak dikenal",
        ),
        (new_agreement(parties=[{"organization_id": org("Pemkot Palembang").pk}]), "parties", "sedikitnya 2"),
        (new_agreement(region_code="99"), "region_code", "tidak dikenal"),
        (new_agreement(parent_id=999999), "parent_id", "tidak dikenal"),
        (new_agreement(signed_date=None), "signed_date", "Tanggal penandatanganan wajib diisi"),
        (
            new_agreement(
                commitments=[{"title": "x", "target": "banyak", "unit": "u", "deadline": "2026-01-01"}]
            ),
            "commitments[0].target",
            "harus angka",
        ),
        (
            new_agreement(
                commitments=[
                    {"title": "x", "target": 5, "unit": "u", "deadline": "2026-01-01", "metric": "bintang"}
                ]
            ),
            "commitments[0].metric",
            "metrik 'bintang' tidak dikenal",
        ),
    ]
    payload = new_agreement()
    del payload["start_date"]
    cases.append((payload, "start_date", "wajib diisi"))
    for data, field, text in cases:
        response = post(client, data)
        assert response.status_code == 422, (field, response.json())
        errors = response.json()["errors"]
        assert any(e["field"] == field and text in e["message"] for e in errors), (field, errors)
    assert not Agreement.objects.filter(title__startswith="Pelatihan Talenta Digital").exists()


def test_patch_updates_dates_and_status_through_the_lifecycle(client, demo):
    admin = regional_admin("64.72")
    client.force_login(admin)
    url = f"{URL}{demo[KEMNAKER].pk}/"
    response = patch(client, url, {"title": "Nota Kesepakatan SDM Samarinda", "start_date": "2022-05-01"})
    assert response.status_code == 200
    assert response.json()["title"] == "Nota Kesepakatan SDM Samarinda"
    assert response.json()["start_date"] == "2022-05-01"

    illegal = patch(client, url, {"status": "selesai"})
    assert illegal.status_code == 422
    assert "tidak diizinkan" in illegal.json()["errors"][0]["message"]
    assert illegal.json()["errors"][0]["field"] == "status"

    stop = patch(client, url, {"status": "dihentikan"})
    assert stop.status_code == 422 and stop.json()["errors"][0]["field"] == "reason"

    ok = patch(client, url, {"status": "menunggu_ttd", "reason": "Disetujui TKKSD"})
    assert ok.status_code == 200 and ok.json()["status"] == "menunggu_ttd"
    change = StatusChange.objects.filter(agreement=demo[KEMNAKER]).last()
    assert (change.to_status, change.changed_by, change.reason) == ("menunggu_ttd", admin, "Disetujui TKKSD")

    bad = patch(client, url, {"end_date": "2020-01-01"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "end_date"
    assert Agreement.objects.get(pk=demo[KEMNAKER].pk).end_date == date(2027, 4, 5)


def test_patch_to_berlaku_needs_the_signing_date(client, demo):
    client.force_login(regional_admin("64.72"))
    url = f"{URL}{demo[KEMNAKER].pk}/"
    assert patch(client, url, {"status": "menunggu_ttd", "reason": "Disetujui TKKSD"}).status_code == 200
    unsigned = patch(client, url, {"status": "berlaku", "reason": "Ditandatangani"})
    assert unsigned.status_code == 422
    [error] = unsigned.json()["errors"]
    assert error["field"] == "signed_date" and "Tanggal penandatanganan wajib diisi" in error["message"]
    assert Agreement.objects.get(pk=demo[KEMNAKER].pk).status == Status.MENUNGGU_TTD

    signed = patch(
        client, url, {"status": "berlaku", "reason": "Ditandatangani", "signed_date": "2022-04-05"}
    )
    assert signed.status_code == 200 and signed.json()["status"] == "berlaku"
    cleared = patch(client, url, {"signed_date": None})
    assert cleared.status_code == 422 and cleared.json()["errors"][0]["field"] == "signed_date"
    assert Agreement.objects.get(pk=demo[KEMNAKER].pk).signed_date == date(2022, 4, 5)


def test_patch_extension_moves_the_end_date(client, demo):
    client.force_login(regional_admin("16.71"))
    url = f"{URL}{demo[PALEMBANG].pk}/"
    response = patch(client, url, {"status": "diperpanjang", "end_date": "2028-12-19", "reason": "Addendum"})
    assert response.status_code == 200, response.json()
    assert response.json()["end_date"] == "2028-12-19" and response.json()["status"] == "diperpanjang"


def test_patch_across_regions(client, demo):
    client.force_login(regional_admin("64.72"))
    # Palembang's signed agreement is public (visible) but outside what Samarinda manages: 404, the
    # answer the office's pages give for it too.
    response = patch(client, f"{URL}{demo[PALEMBANG].pk}/", {"title": "Diubah"})
    assert response.status_code == 404
    Agreement.objects.filter(pk=demo[PALEMBANG].pk).update(status=Status.PEMBAHASAN)
    assert patch(client, f"{URL}{demo[PALEMBANG].pk}/", {"title": "Diubah"}).status_code == 404
    assert Agreement.objects.get(pk=demo[PALEMBANG].pk).title == PALEMBANG


def test_openapi_schema_and_docs_page_without_cdn(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/agreements/" in schema.json()["paths"]
    assert client.get("/api/v1/docs").status_code == 404  # the CDN-backed Swagger UI is off
    docs = client.get("/api/v1/dokumentasi/")
    html = docs.content.decode()
    assert docs.status_code == 200 and "GET /api/v1/agreements/" in html
    assert "cdn" not in html.lower() and "<script>" not in html


def test_control_characters_in_strings_are_refused_naming_the_field(client, demo):
    """A NUL reached PostgreSQL (a 500 there); other controls broke every XLSX export of the list."""
    client.force_login(national_admin())
    party = new_agreement()["parties"][0]
    commitment = new_agreement()["commitments"][0]
    cases = [
        (new_agreement(title="Judul\x00"), "title", "karakter NUL"),
        (new_agreement(number="1/\x07/2025"), "number", "karakter kendali (kode U+0007)"),
        (new_agreement(title="Dua\nbaris"), "title", "satu baris"),
        (new_agreement(scope="Baris\x00"), "scope", "karakter NUL"),
        (
            new_agreement(parties=[dict(party, signatory_name='=HYPERLINK("http://x")'), party]),
            "parties[0].signatory_name",
            "tidak boleh diawali",
        ),
        (
            new_agreement(commitments=[dict(commitment, breakdown={"dasar\x00": 1})]),
            "commitments[0].breakdown",
            "karakter NUL",
        ),
    ]
    for data, field, text in cases:
        response = post(client, data)
        assert response.status_code == 422, (field, response.json())
        errors = response.json()["errors"]
        assert any(e["field"] == field and text in e["message"] for e in errors), (field, errors)
    # Multi-line text keeps its lines.
    assert post(client, new_agreement(scope="Satu\nDua\tTiga")).status_code == 201

    url = f"{URL}{demo[KEMNAKER].pk}/"
    response = patch(client, url, {"title": "Nota\x00"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "title"
    assert Agreement.objects.get(pk=demo[KEMNAKER].pk).title == KEMNAKER


def test_a_nul_in_a_filter_is_named_not_sent_to_the_database(client, demo):
    response = client.get(URL, {"q": "Palembang\x00"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "q"
    assert "karakter NUL" in response.json()["errors"][0]["message"]
    # The browser list drops it instead (a stale link still shows a list).
    assert client.get("/kerja-sama/", {"q": "Palembang\x00", "wilayah": "\x0016.71"}).status_code == 200
