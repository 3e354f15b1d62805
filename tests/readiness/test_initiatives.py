"""A region's smart-city initiatives, masterplan and milestones, and its public readiness page."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from tests.factories import region, regional_admin

from sinergi.partnerships.models import Agreement
from sinergi.readiness import selectors, services
from sinergi.readiness.models import Initiative, Masterplan

pytestmark = pytest.mark.django_db
VALUES = {
    "name": "Sampit Creative Hub",
    "dimension": "SOC",
    "owner_unit": "Diskominfo Kotim",
    "status": "running",
    "is_quick_win": True,
    "starts_on": dt.date(2026, 1, 15),
    "ends_on": None,
    "budget_source": "apbd",
    "users_served": 1250,
    "in_masterplan": True,
}


def agreement(code: str, title: str) -> Agreement:
    return Agreement.objects.create(
        type="mou", title=title, region=region(code), start_date="2026-01-01", end_date="2030-12-31"
    )


def test_an_initiative_links_only_to_agreements_the_office_manages():
    kotim = regional_admin("62.02")
    own, other = agreement("62.02", "MoU Kotim"), agreement("64.72", "MoU Samarinda")
    with pytest.raises(ValidationError) as caught:
        services.save_initiative(actor=kotim, region=region("62.02"), values=VALUES, agreements=[own, other])
    assert "MoU Samarinda" in caught.value.message_dict["agreements"][0]
    assert not Initiative.objects.exists()
    initiative = services.save_initiative(
        actor=kotim, region=region("62.02"), values=VALUES, agreements=[own]
    )
    assert list(initiative.agreements.all()) == [own]


def test_dates_and_status_are_checked_and_another_region_is_refused():
    kotim = regional_admin("62.02")
    with pytest.raises(ValidationError) as caught:
        services.save_initiative(
            actor=kotim,
            region=region("62.02"),
            agreements=[],
            values=VALUES | {"ends_on": dt.date(2025, 12, 31)},
        )
    assert "sebelum tanggal mulai" in caught.value.message_dict["ends_on"][0]
    with pytest.raises(ValidationError, match="tanggal selesai"):
        services.save_initiative(
            actor=kotim, region=region("62.02"), agreements=[], values=VALUES | {"status": "done"}
        )
    with pytest.raises(ValidationError):
        services.save_initiative(
            actor=regional_admin("64.72"), region=region("62.02"), agreements=[], values=VALUES
        )


def test_masterplan_progress_is_the_share_of_initiatives_running_per_dimension():
    kotim = regional_admin("62.02")
    for name, dimension, status in (
        ("Hub", "SOC", "running"),
        ("Parkir barcode", "ECO", "done"),
        ("Aplikasi layanan", "GOV", "planned"),
        ("Pelatihan ASN", "GOV", "running"),
    ):
        ends = dt.date(2026, 6, 1) if status == "done" else None
        services.save_initiative(
            actor=kotim,
            region=region("62.02"),
            agreements=[],
            values=VALUES | {"name": name, "dimension": dimension, "status": status, "ends_on": ends},
        )
    progress = {
        row.code: (row.running, row.planned, row.percent)
        for row in selectors.masterplan_progress(region("62.02"))
    }
    assert progress["GOV"] == (1, 2, 50)
    assert progress["ECO"] == (1, 1, 100)
    assert progress["ENV"] == (0, 0, 0)


def test_milestones_stay_within_the_masterplan_years_and_are_marked_achieved():
    kotim = regional_admin("62.02")
    with pytest.raises(ValidationError):
        services.save_masterplan(
            actor=kotim, region=region("62.02"), title="Kotim", vision="", start_year=2032, target_year=2026
        )
    plan = services.save_masterplan(
        actor=kotim,
        region=region("62.02"),
        title="Kotim Smart City",
        vision="",
        start_year=2026,
        target_year=2032,
    )
    with pytest.raises(ValidationError, match="2026 dan 2032"):
        services.add_milestone(
            actor=kotim, masterplan=plan, stage=Masterplan.Stage.IMPACT, title="x", target_year=2040
        )
    milestone = services.add_milestone(
        actor=kotim, masterplan=plan, stage=Masterplan.Stage.IMPACT, title="Smart city", target_year=2032
    )
    with pytest.raises(ValidationError, match="masa depan"):
        services.mark_milestone(actor=kotim, milestone=milestone, achieved_on=dt.date(2099, 1, 1))


def test_the_public_region_page_shows_the_plan_and_only_the_owner_may_edit(client):
    kotim = regional_admin("62.02")
    services.save_initiative(actor=kotim, region=region("62.02"), values=VALUES, agreements=[])
    page = client.get("/kesiapan/wilayah/62.02/").content.decode()
    assert "Sampit Creative Hub" in page and "Pengguna terlayani: 1250" in page
    assert "Tambah inisiatif" not in page
    client.force_login(regional_admin("64.72"))
    assert client.get("/kesiapan/wilayah/62.02/inisiatif/baru/").status_code == 404
    assert client.get("/kesiapan/wilayah/62.02/masterplan/").status_code == 404
    initiative = Initiative.objects.get()
    assert client.get(f"/kesiapan/inisiatif/{initiative.pk}/ubah/").status_code == 404
    client.force_login(kotim)
    form = client.get("/kesiapan/wilayah/62.02/inisiatif/baru/").content.decode()
    assert "MoU Samarinda" not in form
    response = client.post(
        "/kesiapan/wilayah/62.02/inisiatif/baru/",
        {
            "name": "Parkir barcode",
            "dimension": "ECO",
            "owner_unit": "Dishub",
            "status": "planned",
            "starts_on": "2026-02-01",
            "budget_source": "apbd",
            "in_masterplan": "on",
        },
    )
    assert response.status_code == 302
    assert Initiative.objects.filter(name="Parkir barcode", region_id="62.02").exists()
    assert client.get("/kesiapan/wilayah/99.99/").status_code == 404
