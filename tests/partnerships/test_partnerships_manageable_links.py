"""A region links records only to agreements its office manages: a programme's agreements, a PKS's
parent MoU (form, service, API, XLSX import). Another region's agreement, even a signed public one,
is refused with the same message as one that does not exist, so one region cannot raise another's
published figures."""

import datetime as dt
import io
import json

import openpyxl
import pytest
from tests.factories import BatchFactory, national_admin, region, regional_admin

from sinergi.core.demo import demo_org, seed_foundation
from sinergi.partnerships import exports, imports, services
from sinergi.partnerships.models import Agreement, Status
from sinergi.partnerships.selectors import agreement_rows, manageable_agreements
from sinergi.programs.forms import ProgramForm
from sinergi.programs.models import Academy, Program
from sinergi.programs.services import save_program

pytestmark = pytest.mark.django_db
REFUSED = "tidak dikenal atau tidak dikelola wilayah Anda"


def mou(code: str, title: str) -> Agreement:
    return Agreement.objects.create(
        type="mou",
        title=title,
        region=region(code),
        status=Status.BERLAKU,  # signed, so public: visible to every region, managed by one
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2030, 12, 31),
    )


@pytest.fixture
def mous():
    seed_foundation()
    return mou("16.71", "MoU Kota Palembang"), mou("64.72", "MoU Kota Samarinda")


def programme_post(batch, agreements):
    return {
        "academy": Academy.objects.get(code="VSGA").pk,
        "name": "Junior Web Developer",
        "level": "dasar",
        "agreements": [a.pk for a in agreements],
    }


def test_one_rule_for_what_an_office_manages(mous):
    palembang, samarinda = mous
    assert list(manageable_agreements(regional_admin("64.72"))) == [samarinda]
    assert set(manageable_agreements(national_admin())) == {palembang, samarinda}
    assert not manageable_agreements(None).exists()


def test_programme_form_offers_only_the_offices_agreements_and_refuses_a_crafted_one(client, mous):
    palembang, samarinda = mous
    client.force_login(regional_admin("64.72"))
    batch = BatchFactory(region=region("64.72"))
    url = f"/kelola/gelombang/{batch.pk}/program/baru/"
    page = client.get(url).content.decode()
    assert "MoU Kota Samarinda" in page and "MoU Kota Palembang" not in page

    response = client.post(url, programme_post(batch, [palembang]))
    assert response.status_code == 200
    errors = response.context["form"].errors["agreements"]
    assert any(REFUSED in e for e in errors)
    assert not Program.objects.exists()

    assert client.post(url, programme_post(batch, [samarinda])).status_code == 302
    assert list(Program.objects.get().agreements.all()) == [samarinda]


def test_programme_service_refuses_another_regions_agreement_whatever_the_form_offered(mous):
    palembang, _samarinda = mous
    batch = BatchFactory(region=region("64.72"))
    # A form built for a national admin offers every agreement; the write checks the officer itself.
    form = ProgramForm(programme_post(batch, [palembang]), user=national_admin(), batch=batch)
    assert form.is_valid(), form.errors
    with pytest.raises(services.ValidationError) as refused:
        save_program(form, batch, user=regional_admin("64.72"))
    assert REFUSED in str(refused.value.message_dict["agreements"])
    assert not Program.objects.exists()


def test_a_link_made_before_is_kept_when_the_programme_is_edited(client, mous):
    palembang, samarinda = mous
    batch = BatchFactory(region=region("64.72"))
    program = Program.objects.create(
        batch=batch, academy=Academy.objects.get(code="VSGA"), name="Lama", level="dasar", region=batch.region
    )
    program.agreements.add(palembang)
    client.force_login(regional_admin("64.72"))
    response = client.post(
        f"/kelola/program/{program.pk}/ubah/", programme_post(batch, [palembang, samarinda])
    )
    assert response.status_code == 302
    assert set(program.agreements.all()) == {palembang, samarinda}


def pks_post(parent) -> dict:
    from tests.partnerships.test_partnerships_workflow_forms import palembang_post

    return palembang_post(type="pks", title="PKS Pelatihan Talenta Digital", parent=str(parent.pk))


def test_agreement_form_offers_only_managed_mous_as_parent(client, mous):
    palembang, samarinda = mous
    client.force_login(regional_admin("64.72"))
    offered = client.get("/kerja-sama/kelola/baru/").context["form"].fields["parent"].queryset
    assert list(offered) == [samarinda]
    response = client.post("/kerja-sama/kelola/baru/", pks_post(palembang))
    assert any(REFUSED in e for e in response.context["form"].errors["parent"])
    assert not palembang.children.exists()


def test_agreement_service_refuses_another_regions_parent(mous):
    palembang, _samarinda = mous
    samarinda_admin = regional_admin("64.72")
    with pytest.raises(services.ValidationError) as refused:
        services.create_agreement(
            user=samarinda_admin,
            type="pks",
            title="PKS Samarinda",
            start_date=dt.date(2026, 2, 1),
            end_date=dt.date(2027, 1, 31),
            parent=palembang,
            parties=[
                services.PartyInput(demo_org("samarinda").pk, "pihak_pertama"),
                services.PartyInput(demo_org("balitbang").pk, "pihak_kedua"),
            ],
        )
    assert REFUSED in str(refused.value.message_dict["parent"])
    assert not palembang.children.exists()


def test_api_refuses_another_regions_parent_like_an_unknown_one(client, mous):
    palembang, _samarinda = mous
    client.force_login(regional_admin("64.72"))
    payload = {
        "type": "pks",
        "title": "PKS Samarinda",
        "start_date": "2026-02-01",
        "end_date": "2027-01-31",
        "parties": [
            {"organization_id": demo_org("samarinda").pk, "role": "pihak_pertama"},
            {"organization_id": demo_org("balitbang").pk, "role": "pihak_kedua"},
        ],
    }
    answers = [
        client.post(
            "/api/v1/agreements/", json.dumps({**payload, "parent_id": pk}), content_type="application/json"
        )
        for pk in (palembang.pk, 999_999)
    ]
    assert [a.status_code for a in answers] == [422, 422]
    (first,), (second,) = (a.json()["errors"] for a in answers)
    assert first["field"] == second["field"] == "parent_id"
    assert REFUSED in first["message"] and first["message"].replace(str(palembang.pk), "X") == second[
        "message"
    ].replace("999999", "X")
    assert not palembang.children.exists()


def test_import_refuses_another_regions_parent_naming_row_and_column(mous):
    palembang, samarinda = mous
    samarinda_admin = regional_admin("64.72")
    export = exports.export_xlsx(agreement_rows(manageable_agreements(samarinda_admin), dt.date(2026, 6, 1)))
    book = openpyxl.load_workbook(io.BytesIO(export))
    sheet = book[exports.SHEET_AGREEMENTS]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("Jenis") + 1, value="pks")
    sheet.cell(row=2, column=header.index("ID MoU induk") + 1, value=palembang.pk)
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(imports.ImportFailed) as failed:
        imports.import_xlsx(io.BytesIO(out.getvalue()), user=samarinda_admin)
    assert any(
        p.row == 2 and p.column == "ID MoU induk" and REFUSED in p.message for p in failed.value.problems
    )
    samarinda.refresh_from_db()
    assert samarinda.parent is None
