"""The cooperation office enters and edits agreements through the form: the Palembang nota
kesepakatan with its 10,000 seats reaches the public page; bad input saves nothing; other regions'
agreements are out of reach (404)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from tests.factories import OrganizationFactory, national_admin, region, regional_admin

from sinergi.accounts.models import User
from sinergi.core.demo import demo_org, seed_foundation
from sinergi.partnerships.forms import parse_breakdown
from sinergi.partnerships.models import Agreement, AgreementParty, Commitment, Status
from sinergi.partnerships.reminders import responsible_officers
from sinergi.partnerships.services import add_manual_measurement

pytestmark = pytest.mark.django_db

PALEMBANG = "Peningkatan Kecakapan Digital Aparatur dan Masyarakat Kota Palembang"
CREATE = "/kerja-sama/kelola/baru/"


def formset(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def seats(**overrides) -> dict:
    row = {
        "title": "Kursi kelas pelatihan digital menurut tingkat keahlian",
        "metric_key": "manual",
        "target_value": "10000",
        "unit": "kursi",
        "deadline": "2026-12-19",
        "baseline": "0",
        "weight": "1",
        "breakdown": "dasar: 5.000\nmenengah: 3.000\nlanjut: 2.000",
    }
    row.update(overrides)
    return row


def palembang_post(parties=None, commitments=None, **overrides) -> dict:
    data = {
        "type": "nota_kesepakatan",
        "scheme": "KSDPK",
        "title": PALEMBANG,
        "number": "",
        "region": "16.71",
        "parent": "",
        "topics": ["digital_talent", "asn_training", "certification"],
        "scope": "Edukasi, pelatihan dan sertifikasi kecakapan digital.",
        "signed_date": "2021-12-20",
        "signed_place": "Palembang",
        "start_date": "2021-12-20",
        "end_date": "2026-12-19",
    }
    data.update(overrides)
    if parties is None:
        parties = [
            {
                "organization": str(demo_org("palembang").pk),
                "role": "pihak_pertama",
                "signatory_name": "H. Harnojoyo",
                "signatory_position": "Wali Kota Palembang",
                "party_number": "",
            },
            {
                "organization": str(demo_org("balitbang").pk),
                "role": "pihak_kedua",
                "signatory_name": "",
                "signatory_position": "Kepala Badan Litbang SDM Kominfo",
                "party_number": "",
            },
            {"organization": "", "role": "pihak_lain"},  # the blank spare row is ignored
        ]
    data |= formset("pihak", parties)
    data |= formset("komitmen", [seats()] if commitments is None else commitments)
    return data


@pytest.fixture
def demo():
    seed_foundation()


@pytest.fixture
def palembang_admin(demo, client):
    user = User.objects.get(username="admin.palembang")
    client.force_login(user)
    return user


def nothing_saved():
    return not (Agreement.objects.exists() or AgreementParty.objects.exists() or Commitment.objects.exists())


def test_regional_admin_enters_the_palembang_agreement_and_the_public_sees_it(client, palembang_admin):
    form = client.get(CREATE)
    assert form.status_code == 200
    html = form.content.decode()
    assert "Kerja sama baru" in html and 'name="pihak-0-organization"' in html

    response = client.post(CREATE, palembang_post())
    agreement = Agreement.objects.get(title=PALEMBANG)
    assert response.status_code == 302
    assert response.url == reverse("partnerships:manage_detail", args=[agreement.pk])
    assert agreement.region_id == "16.71" and agreement.status == Status.USULAN
    assert agreement.created_by == palembang_admin
    # No officer ticked in this post: the reminders go to the creator and the region's admins.
    assert palembang_admin in responsible_officers(agreement)
    commitment = agreement.commitments.get()
    assert commitment.target_value == 10_000 and commitment.unit == "kursi"
    assert commitment.breakdown == {"dasar": 5000, "menengah": 3000, "lanjut": 2000}
    assert set(agreement.parties.values_list("role", flat=True)) == {"pihak_pertama", "pihak_kedua"}

    # Not public while it is a draft.
    client.logout()
    assert client.get(f"/kerja-sama/{agreement.pk}/").status_code == 404

    client.force_login(palembang_admin)
    status_url = reverse("partnerships:manage_transition", args=[agreement.pk])
    for step, reason in [
        ("pembahasan", "Diajukan ke TKKSD"),
        ("menunggu_ttd", "Disetujui TKKSD"),
        ("berlaku", "Ditandatangani 20 Desember 2021"),
    ]:
        assert client.post(status_url, {"to_status": step, "reason": reason}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Status.BERLAKU

    # Progress moves as a measurement is recorded, and the public page shows it without login.
    add_manual_measurement(
        commitment, value=Decimal(2500), evidence_note="Rekap peserta DTS 2022", user=palembang_admin
    )
    client.logout()
    page = client.get(f"/kerja-sama/{agreement.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert PALEMBANG in html and "kursi" in html and "10.000" in html
    assert "<progress" in html and "25,0%" in html
    assert "Riwayat monev" in html


def test_five_year_span_is_a_warning_not_a_refusal(client, palembang_admin):
    response = client.post(CREATE, palembang_post(end_date="2027-12-31"), follow=True)
    assert Agreement.objects.filter(title=PALEMBANG).exists()
    assert "lebih dari 5 tahun" in response.content.decode()


def test_end_before_start_names_the_field_and_saves_nothing(client, palembang_admin):
    response = client.post(CREATE, palembang_post(end_date="2020-01-01"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tanggal berakhir: Tanggal berakhir tidak boleh sebelum tanggal mulai" in html
    assert nothing_saved()


def test_unknown_party_names_the_row_and_saves_nothing(client, palembang_admin):
    parties = [
        {"organization": str(demo_org("palembang").pk), "role": "pihak_pertama"},
        {"organization": "999999", "role": "pihak_kedua"},
    ]
    response = client.post(CREATE, palembang_post(parties=parties))
    assert response.status_code == 400
    assert "Pihak 2 — Organisasi: Pihak tidak dikenal" in response.content.decode()
    assert nothing_saved()


def test_organisation_of_another_region_is_an_unknown_party(client, palembang_admin):
    parties = [
        {"organization": str(demo_org("palembang").pk), "role": "pihak_pertama"},
        {"organization": str(demo_org("samarinda").pk), "role": "pihak_kedua"},
    ]
    response = client.post(CREATE, palembang_post(parties=parties))
    assert "Pihak tidak dikenal" in response.content.decode()
    assert nothing_saved()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"type": "perjanjian_rahasia"}, "Jenis:"),
        ({"region": "64.72"}, "Wilayah pemilik:"),  # another region than the officer's
        ({"start_date": "20-13-2021"}, "Tanggal mulai:"),
    ],
)
def test_illegal_values_name_their_field(client, palembang_admin, overrides, message):
    response = client.post(CREATE, palembang_post(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert nothing_saved()


def test_illegal_commitment_and_single_party_are_refused(client, palembang_admin):
    one_party = [{"organization": str(demo_org("palembang").pk), "role": "pihak_pertama"}]
    bad = seats(target_value="0", baseline="10", metric_key="tidak_ada", breakdown="tanpa titik dua")
    response = client.post(CREATE, palembang_post(parties=one_party, commitments=[bad]))
    html = response.content.decode()
    assert "sedikitnya dua pihak" in html
    assert "Komitmen 1 — Target: Target harus lebih besar dari nilai awal." in html
    assert "Komitmen 1 — Metrik:" in html
    assert "Rincian target baris 1" in html
    assert nothing_saved()


def test_edit_updates_commitments_and_refuses_to_drop_measured_ones(client, palembang_admin):
    client.post(CREATE, palembang_post())
    agreement = Agreement.objects.get()
    commitment = agreement.commitments.get()
    edit_url = reverse("partnerships:agreement_edit", args=[agreement.pk])
    page = client.get(edit_url)
    assert page.status_code == 200 and "10000" in page.content.decode()

    rows = [
        seats(pk=str(commitment.pk), target_value="12000"),
        seats(
            title="Sertifikasi bersama universitas internasional",
            target_value="4",
            unit="universitas",
            breakdown="",
        ),
    ]
    data = palembang_post(commitments=rows, number="119/NK/2021")
    data["komitmen-INITIAL_FORMS"] = "1"
    assert client.post(edit_url, data).status_code == 302
    agreement.refresh_from_db()
    assert agreement.number == "119/NK/2021"
    commitment.refresh_from_db()
    assert commitment.target_value == 12_000
    assert agreement.commitments.count() == 2

    add_manual_measurement(commitment, value=Decimal(10), evidence_note="Rekap", user=palembang_admin)
    data = palembang_post(commitments=[seats(pk=str(commitment.pk), DELETE="on"), rows[1]])
    response = client.post(edit_url, data)
    assert response.status_code == 400
    assert "sudah memiliki pengukuran dan tidak dapat dihapus" in response.content.decode()
    assert agreement.commitments.count() == 2


def test_other_region_cannot_open_or_edit_the_agreement(client, palembang_admin):
    client.post(CREATE, palembang_post())
    agreement = Agreement.objects.get()
    Agreement.objects.filter(pk=agreement.pk).update(status=Status.BERLAKU)  # public, yet not theirs
    client.force_login(User.objects.get(username="admin.samarinda"))
    for name in ("manage_detail", "agreement_edit"):
        assert client.get(reverse(f"partnerships:{name}", args=[agreement.pk])).status_code == 404
    edit = reverse("partnerships:agreement_edit", args=[agreement.pk])
    assert client.post(edit, palembang_post()).status_code == 404
    transition = reverse("partnerships:manage_transition", args=[agreement.pk])
    assert client.post(transition, {"to_status": "selesai", "reason": "x"}).status_code == 404
    agreement.refresh_from_db()
    assert agreement.status == Status.BERLAKU and agreement.title == PALEMBANG
    # The public page stays open to them like to anyone.
    assert client.get(f"/kerja-sama/{agreement.pk}/").status_code == 200


def test_province_manages_its_cities_and_national_admin_all(client, demo):
    agreement_region = region("16.71")
    palembang_org = OrganizationFactory(region=agreement_region)
    ministry = OrganizationFactory(region=None, kind="ministry")
    client.force_login(regional_admin("16.71"))
    data = palembang_post(
        parties=[
            {"organization": str(palembang_org.pk), "role": "pihak_pertama"},
            {"organization": str(ministry.pk), "role": "pihak_kedua"},
        ]
    )
    client.post(CREATE, data)
    agreement = Agreement.objects.get()
    for user in (regional_admin("16"), national_admin()):
        client.force_login(user)
        assert client.get(reverse("partnerships:manage_detail", args=[agreement.pk])).status_code == 200
    client.force_login(regional_admin("64"))
    assert client.get(reverse("partnerships:manage_detail", args=[agreement.pk])).status_code == 404


def test_participant_and_anonymous_have_no_office_pages(client, demo):
    assert client.get(CREATE).status_code == 302  # to the login page
    client.force_login(User.objects.get(username="peserta"))
    assert client.get(CREATE).status_code == 403


def test_breakdown_reads_indonesian_numbers():
    assert parse_breakdown("dasar: 5.000\nmenengah = 2,5\ncatatan: ilustratif") == {
        "dasar": 5000,
        "menengah": 2.5,
        "catatan": "ilustratif",
    }


def test_partner_from_another_region_stays_selectable_when_editing(client, palembang_admin):
    """A KSDD (region–region) agreement entered by the ministry: Palembang's office can still edit it
    although Samarinda's government is outside what it may normally pick."""
    parties = [
        {"organization": str(demo_org("palembang").pk), "role": "pihak_pertama"},
        {"organization": str(demo_org("samarinda").pk), "role": "pihak_kedua"},
    ]
    client.force_login(User.objects.get(username="admin.nasional"))
    assert client.post(CREATE, palembang_post(parties=parties, scheme="KSDD")).status_code == 302
    agreement = Agreement.objects.get()
    client.force_login(palembang_admin)
    edit_url = reverse("partnerships:agreement_edit", args=[agreement.pk])
    assert "Pemerintah Kota Samarinda" in client.get(edit_url).content.decode()
    data = palembang_post(parties=parties, scheme="KSDD", commitments=[], number="7/KSDD/2026")
    data |= formset("komitmen", [seats(pk=str(agreement.commitments.get().pk))], initial=1)
    assert client.post(edit_url, data).status_code == 302
    agreement.refresh_from_db()
    assert agreement.number == "7/KSDD/2026"


def test_control_characters_and_formula_names_are_refused_naming_the_field(client, palembang_admin):
    """A title with a control character broke every XLSX export of the list; a signatory named
    "=HYPERLINK(…)" would run in the reader's spreadsheet."""
    response = client.post(CREATE, palembang_post(title=PALEMBANG + "\x07"))
    assert response.status_code == 400
    assert "Mengandung karakter kendali (kode U+0007)" in response.content.decode()
    parties = [
        {
            "organization": str(demo_org("palembang").pk),
            "role": "pihak_pertama",
            "signatory_name": '=HYPERLINK("https://contoh.id")',
        },
        {"organization": str(demo_org("balitbang").pk), "role": "pihak_kedua"},
    ]
    response = client.post(CREATE, palembang_post(parties=parties))
    assert response.status_code == 400
    assert "Tidak boleh diawali = + - @" in response.content.decode()
    assert nothing_saved()
