"""Programme management pages: batches, programmes, classes, eligibility rules, academies; scoping."""

import datetime as dt

import pytest
from django.utils import timezone
from tests.factories import (
    BatchFactory,
    OrganizationFactory,
    ProgramFactory,
    TrainingClassFactory,
    UserFactory,
    national_admin,
    region,
    regional_admin,
)

from sinergi.accounts.models import Organization, Role
from sinergi.core import pii
from sinergi.programs.models import Academy, Batch, EligibilityRule, Program, TrainingClass

pytestmark = pytest.mark.django_db


@pytest.fixture
def palembang(client):
    admin = regional_admin("16.71")
    client.force_login(admin)
    return admin


def batch_data(admin, **overrides):
    now = timezone.localtime()
    data = {
        "name": "DTS Palembang Gelombang 2",
        "region": "16.71",
        "organizer": admin.organization_id,
        "registration_opens": (now + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "registration_closes": (now + dt.timedelta(days=15)).strftime("%Y-%m-%dT%H:%M"),
        "max_choices": 3,
        "status": "draft",
    }
    data.update(overrides)
    return data


def class_data(provider, **overrides):
    data = {
        "code": "plb-web-01",
        "name": "Junior Web Developer 1",
        "provider": provider.pk,
        "mode": "luring",
        "venue": "Kampus Polsri",
        "region": "16.71",
        "starts_on": "2026-12-01",
        "ends_on": "2026-12-20",
        "schedule": "Senin–Jumat",
        "hours": 80,
        "capacity": 30,
        "precedence": "open_first",
        "language": "Bahasa Indonesia",
        "reserved_asn": 9,
        "reserved_disabilitas": 2,
    }
    data.update(overrides)
    return data


def test_regional_admin_creates_a_batch_in_their_region(client, palembang):
    response = client.post("/kelola/gelombang/baru/", batch_data(palembang))
    batch = Batch.objects.get()
    assert response["Location"] == f"/kelola/gelombang/{batch.pk}/"
    assert batch.region_id == "16.71" and batch.max_choices == 3


def test_batch_errors_name_the_field_and_save_nothing(client, palembang):
    data = batch_data(palembang, registration_closes="2020-01-01T00:00", max_choices=0, region="64.72")
    page = client.post("/kelola/gelombang/baru/", data).content.decode()
    assert "Pendaftaran ditutup: Pendaftaran ditutup harus sesudah waktu pendaftaran dibuka." in page
    assert "Jumlah pilihan kelas maksimum:" in page
    assert "Wilayah:" in page  # Samarinda is not a choice for a Palembang admin
    assert not Batch.objects.exists()


def test_status_allocated_cannot_be_chosen_by_hand(client, palembang):
    page = client.post("/kelola/gelombang/baru/", batch_data(palembang, status="allocated")).content.decode()
    assert "Status:" in page
    assert not Batch.objects.exists()


def test_programme_with_academy_level_targets_and_visible_agreements(client, palembang):
    from sinergi.partnerships.models import Agreement

    batch = BatchFactory()
    agreement = Agreement.objects.create(
        type="nota_kesepakatan",
        title="Nota Kesepakatan Palembang",
        region=region("16.71"),
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2030, 12, 31),
    )
    academy = Academy.objects.get(code="VSGA")
    response = client.post(
        f"/kelola/gelombang/{batch.pk}/program/baru/",
        {
            "academy": academy.pk,
            "name": "Junior Web Developer",
            "level": "menengah",
            "target_categories": ["asn", "umum"],
            "agreements": [agreement.pk],
        },
    )
    program = Program.objects.get()
    assert response["Location"] == f"/kelola/program/{program.pk}/"
    assert program.target_categories == ["asn", "umum"]
    assert list(program.agreements.all()) == [agreement]
    assert program.region_id == "16.71"


def test_class_with_reserved_seats(client, palembang):
    program = ProgramFactory()
    provider = OrganizationFactory(region=region("16.71"), kind=Organization.Kind.PROVIDER)
    response = client.post(f"/kelola/program/{program.pk}/kelas/baru/", class_data(provider))
    assert response.status_code == 302, response.content.decode()[-3000:]
    made = TrainingClass.objects.get()
    assert made.code == "PLB-WEB-01"
    assert made.reserved_seats == {"asn": 9, "disabilitas": 2}
    page = client.get(f"/kelola/program/{program.pk}/").content.decode()
    assert "PLB-WEB-01" in page and "ASN: 9" in page


def test_class_errors_reserved_over_capacity_dates_and_venue(client, palembang):
    program = ProgramFactory()
    provider = OrganizationFactory(region=region("16.71"), kind=Organization.Kind.PROVIDER)
    data = class_data(
        provider, capacity=10, reserved_asn=8, reserved_disabilitas=3, ends_on="2026-11-01", venue=""
    )
    page = client.post(f"/kelola/program/{program.pk}/kelas/baru/", data).content.decode()
    assert "Jumlah kursi cadangan (11) melebihi kapasitas kelas (10)." in page
    assert "Tanggal selesai: Tanggal selesai tidak boleh sebelum tanggal mulai." in page
    assert "Tempat: Tempat wajib diisi untuk kelas luring atau hibrida." in page
    assert not TrainingClass.objects.exists()


def test_duplicate_class_code_is_refused(client, palembang):
    existing = TrainingClassFactory(code="PLB-WEB-01")
    provider = OrganizationFactory(region=region("16.71"), kind=Organization.Kind.PROVIDER)
    page = client.post(
        f"/kelola/program/{existing.program.pk}/kelas/baru/", class_data(provider)
    ).content.decode()
    assert "Kode kelas:" in page
    assert TrainingClass.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "data", "params"),
    [
        ("age", {"min": 17, "max": 29}, {"min": 17, "max": 29}),
        ("category", {"categories": ["asn", "guru"]}, {"in": ["asn", "guru"]}),
        ("domicile", {"regions": ["16.71"]}, {"regions": ["16.71"]}),
        ("education", {"min": "sma"}, {"min": "sma"}),
        ("asn_only", {}, {}),
        ("not_enrolled_in_batch", {}, {}),
    ],
)
def test_each_rule_kind_has_a_form_that_stores_params(client, palembang, kind, data, params):
    program = ProgramFactory()
    response = client.post(f"/kelola/program/{program.pk}/aturan/baru/?jenis={kind}", data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    rule = EligibilityRule.objects.get()
    assert (rule.kind, rule.params) == (kind, params)


def test_exclusion_rule_stores_hashes_never_niks(client, palembang):
    program = ProgramFactory()
    nik = "1671014405980001"
    client.post(
        f"/kelola/program/{program.pk}/aturan/baru/?jenis=exclusion",
        {"niks": nik, "reason": "Sudah lulus program serupa tahun lalu"},
    )
    rule = EligibilityRule.objects.get()
    assert rule.params == {
        "nik_hashes": [pii.keyed_hash(nik)],
        "reason": "Sudah lulus program serupa tahun lalu",
    }
    assert nik not in str(rule.params)


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        (
            "age",
            {"min": 30, "max": 20},
            "Usia maksimum: Usia maksimum tidak boleh lebih kecil dari usia minimum.",
        ),
        ("age", {}, "Isi usia minimum, usia maksimum, atau keduanya."),
        (
            "domicile",
            {"regions": ["16.71", "99.99"]},
            "Wilayah domisili: Wilayah 99.99 tidak dapat Anda pilih.",
        ),
        ("domicile", {}, "Wilayah domisili: Centang paling sedikit satu wilayah."),
        ("category", {}, "Kategori yang boleh mendaftar:"),
        ("exclusion", {"niks": "12345", "reason": "x"}, "Bukan NIK 16 angka"),
    ],
)
def test_bad_rule_params_are_explained_and_nothing_is_saved(client, palembang, kind, data, message):
    program = ProgramFactory()
    page = client.post(f"/kelola/program/{program.pk}/aturan/baru/?jenis={kind}", data).content.decode()
    assert message in page
    assert not EligibilityRule.objects.exists()


def test_a_second_rule_of_the_same_kind_is_refused_and_rules_can_be_edited_and_deleted(client, palembang):
    program = ProgramFactory()
    rule = EligibilityRule.objects.create(program=program, kind="age", params={"min": 17})
    page = client.post(f"/kelola/program/{program.pk}/aturan/baru/?jenis=age", {"max": 30}).content.decode()
    assert "sudah punya aturan" in page
    client.post(f"/kelola/aturan/{rule.pk}/ubah/", {"min": 18, "max": 35})
    rule.refresh_from_db()
    assert rule.params == {"min": 18, "max": 35}
    client.post(f"/kelola/aturan/{rule.pk}/hapus/")
    assert not EligibilityRule.objects.exists()


def test_allocated_batch_cannot_be_changed(client, palembang):
    program = ProgramFactory(batch=BatchFactory(status=Batch.Status.ALLOCATED))
    page = client.post(f"/kelola/program/{program.pk}/aturan/baru/?jenis=asn_only", {}).content.decode()
    assert "sudah dibagi" in page
    assert not EligibilityRule.objects.exists()


def test_other_regions_records_are_404_and_participants_see_nothing(client, palembang):
    samarinda = BatchFactory(region=region("64.72"))
    program = ProgramFactory(batch=samarinda)
    training_class = TrainingClassFactory(program=program)
    rule = EligibilityRule.objects.create(program=program, kind="asn_only")
    for url in (
        f"/kelola/gelombang/{samarinda.pk}/",
        f"/kelola/gelombang/{samarinda.pk}/ubah/",
        f"/kelola/gelombang/{samarinda.pk}/program/baru/",
        f"/kelola/program/{program.pk}/",
        f"/kelola/program/{program.pk}/kelas/baru/",
        f"/kelola/kelas/{training_class.pk}/ubah/",
        f"/kelola/aturan/{rule.pk}/ubah/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/kelola/aturan/{rule.pk}/hapus/").status_code == 404
    assert samarinda.name not in client.get("/kelola/gelombang/").content.decode()
    client.force_login(UserFactory(role=Role.PARTICIPANT))
    assert client.get("/kelola/gelombang/").status_code == 403


def test_national_admin_sees_every_region_and_adds_a_region_academy(client):
    client.force_login(national_admin())
    BatchFactory(name="Gelombang Samarinda", region=region("64.72"))
    BatchFactory(name="Gelombang Palembang", region=region("16.71"))
    page = client.get("/kelola/gelombang/").content.decode()
    assert "Gelombang Samarinda" in page and "Gelombang Palembang" in page
    client.post(
        "/kelola/akademi/", {"code": "tiasn-kotim", "name": "Pelatihan TI ASN Kotim", "region": "62.02"}
    )
    academy = Academy.objects.get(code="TIASN-KOTIM")
    assert academy.region_id == "62.02"


def test_regional_admin_academy_must_be_in_their_region(client, palembang):
    page = client.post("/kelola/akademi/", {"code": "X1", "name": "Akademi X"}).content.decode()
    assert "Wilayah:" in page
    assert not Academy.objects.filter(code="X1").exists()
    page = client.get("/kelola/akademi/").content.decode()
    assert "Fresh Graduate Academy" in page
