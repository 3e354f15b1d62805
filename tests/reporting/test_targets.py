"""Regional KPI targets: set by a region's office, measured from Sinergi's records against a
denominator with its source, shown to the office and on a public page."""

from decimal import Decimal

import pytest
from django.utils import timezone
from tests.factories import EnrolmentFactory, ParticipantFactory, national_admin, region, regional_admin

from sinergi.learning.models import Enrolment
from sinergi.reporting.models import RegionalTarget

pytestmark = pytest.mark.django_db


def target_form(**fields):
    return {
        "region": "16.71",
        "year": "2027",
        "title": "Warga Palembang lulus pelatihan digital",
        "metric": "readiness.trained_people",
        "target_percent": "50",
        "denominator": "4",
        "denominator_label": "warga sasaran",
        "denominator_source": "Dinas Kominfo Kota Palembang, data sasaran 2026",
        "denominator_year": "2026",
        **fields,
    }


def trained(code, n):
    for _ in range(n):
        EnrolmentFactory(
            participant=ParticipantFactory(domicile=region(code)),
            status=Enrolment.Status.COMPLETED,
            completed_at=timezone.now(),
        )


def test_a_target_is_measured_from_completed_trainings_of_the_regions_residents(client):
    trained("16.71", 1)
    trained("64.72", 3)  # Samarinda's graduates do not count for Palembang
    client.force_login(regional_admin("16.71"))

    response = client.post("/dasbor/target/baru/", target_form())

    assert response.status_code == 302
    target = RegionalTarget.objects.get()
    assert target.target_percent == Decimal("50") and target.denominator == 4
    page = client.get("/dasbor/target/").content.decode()
    assert "Warga Palembang lulus pelatihan digital" in page
    assert "Tercapai: 1 orang (25%)" in page and "kurang 1 orang" in page
    assert "Dinas Kominfo Kota Palembang" in page

    trained("16.71", 1)
    assert "Target tercapai" in client.get("/dasbor/target/").content.decode()


def test_the_public_page_suppresses_small_counts():
    trained("16.71", 2)
    admin = regional_admin("16.71")
    from django.test import Client

    office = Client()
    office.force_login(admin)
    office.post("/dasbor/target/baru/", target_form(denominator="1000"))

    page = Client().get("/data/target/16.71/").content.decode()
    assert "Warga Palembang lulus pelatihan digital" in page
    assert "Tercapai: <5 orang" in page and "Tercapai: 2 orang" not in page


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"target_percent": "0"},
            "target_percent",
            "Target harus lebih dari 0 dan paling banyak 100 persen.",
        ),
        (
            {"target_percent": "140"},
            "target_percent",
            "Target harus lebih dari 0 dan paling banyak 100 persen.",
        ),
        ({"denominator": "0"}, "denominator", "Jumlah sasaran paling sedikit 1."),
        ({"denominator_source": "  "}, "denominator_source", "Bidang ini tidak boleh kosong."),
        ({"metric": "rahasia.nik"}, "metric", "Masukkan pilihan yang valid"),
        ({"region": "64.72"}, "region", "Masukkan pilihan yang valid"),
        ({"year": "1999"}, "year", "Tahun target harus antara 2000 dan 2100."),
    ],
)
def test_a_bad_target_is_refused_with_the_field_named_and_nothing_saved(client, fields, field, message):
    client.force_login(regional_admin("16.71"))
    response = client.post("/dasbor/target/baru/", target_form(**fields))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and any(message in e for e in errors[field]), errors
    assert not RegionalTarget.objects.exists()


def test_a_second_target_with_the_same_name_and_year_is_refused(client):
    client.force_login(regional_admin("16.71"))
    client.post("/dasbor/target/baru/", target_form())
    response = client.post("/dasbor/target/baru/", target_form())
    assert "sudah memiliki target dengan nama yang sama" in response.content.decode()
    assert RegionalTarget.objects.count() == 1


def test_another_region_neither_sees_nor_changes_the_target(client):
    client.force_login(regional_admin("16.71"))
    client.post("/dasbor/target/baru/", target_form(), follow=True)
    target = RegionalTarget.objects.get()

    client.force_login(regional_admin("64.72"))
    assert "Warga Palembang" not in client.get("/dasbor/target/").content.decode()
    assert client.get(f"/dasbor/target/{target.pk}/ubah/").status_code == 404
    assert client.post(f"/dasbor/target/{target.pk}/hapus/").status_code == 404
    assert RegionalTarget.objects.filter(pk=target.pk).exists()

    client.force_login(national_admin())
    assert "Warga Palembang" in client.get("/dasbor/target/").content.decode()


def test_the_office_changes_and_deletes_its_target_with_an_audit_entry(client):
    from auditlog.models import LogEntry

    client.force_login(regional_admin("16.71"))
    client.post("/dasbor/target/baru/", target_form())
    target = RegionalTarget.objects.get()
    client.post(f"/dasbor/target/{target.pk}/ubah/", target_form(target_percent="75"))
    target.refresh_from_db()
    assert target.target_percent == Decimal("75")
    client.post(f"/dasbor/target/{target.pk}/hapus/")
    assert not RegionalTarget.objects.exists()
    operations = [
        (e.additional_data or {}).get("operasi") for e in LogEntry.objects.filter(object_pk=str(target.pk))
    ]
    assert {"Target KPI dibuat", "Target KPI diubah", "Target KPI dihapus"} <= set(operations)
