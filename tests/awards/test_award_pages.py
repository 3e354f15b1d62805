"""The national admin opens an award cycle and composes its categories from the pages."""

import pytest
from tests.factories import UserFactory, national_admin, regional_admin

from sinergi.accounts.models import Role
from sinergi.awards import services
from sinergi.awards.models import AwardCategory, AwardCycle

pytestmark = pytest.mark.django_db


def test_a_cycle_and_a_category_are_composed_from_the_pages(client):
    juror, _other = UserFactory(role=Role.ASSESSOR), UserFactory(role=Role.ASSESSOR)
    client.force_login(national_admin())

    response = client.post(
        "/penghargaan/baru/",
        {"name": "Anugerah Digital 2027", "year": "2027", "description": "", "jurors": [str(juror.pk)]},
    )
    cycle = AwardCycle.objects.get()
    assert response["Location"] == f"/penghargaan/{cycle.pk}/kategori/baru/"
    assert list(cycle.jurors.all()) == [juror]

    # weight_0 jury, weight_1 readiness index, weight_2 the category's dimension score.
    response = client.post(
        f"/penghargaan/{cycle.pk}/kategori/baru/",
        {
            "name": "Daerah Smart Society",
            "nominee_kind": "region",
            "dimension": "SOC",
            "weight_0": "30",
            "weight_2": "70",
        },
    )
    assert response["Location"] == f"/penghargaan/{cycle.pk}/"
    category = AwardCategory.objects.get()
    assert category.criteria == [
        {"key": "jury", "weight": "0.3"},
        {"key": "assessment_dimension", "weight": "0.7"},
    ]
    page = client.get(f"/penghargaan/{cycle.pk}/").content.decode()
    assert "Daerah Smart Society" in page and "Tambah kategori" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"weight_2": "100"}, "Kriteria skor dimensi memerlukan dimensi kategori."),
        ({"weight_0": "50", "weight_1": "40"}, "Jumlah bobot kriteria harus 100% (sekarang 90%)."),
        ({"weight_0": "100", "name": "  "}, "Bidang ini tidak boleh kosong."),
        ({"weight_0": "100", "nominee_kind": "walikota"}, "Jenis calon: Masukkan pilihan yang valid"),
    ],
)
def test_a_bad_category_is_refused_with_the_field_named(client, fields, message):
    admin = national_admin()
    cycle = services.create_cycle(actor=admin, name="Anugerah Uji", year=2027)
    client.force_login(admin)
    data = {"name": "Kategori uji", "nominee_kind": "region", "dimension": "", **fields}
    response = client.post(f"/penghargaan/{cycle.pk}/kategori/baru/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AwardCategory.objects.exists()


def test_no_category_is_added_once_nominations_are_closed(client):
    admin = national_admin()
    cycle = services.create_cycle(
        actor=admin, name="Anugerah Uji", year=2027, jurors=[UserFactory(role=Role.ASSESSOR)]
    )
    services.close_nominations(actor=admin, cycle=cycle)
    client.force_login(admin)
    response = client.post(
        f"/penghargaan/{cycle.pk}/kategori/baru/",
        {"name": "Terlambat", "nominee_kind": "asn", "weight_0": "100"},
    )
    assert "selama pencalonan dibuka" in response.content.decode()
    assert not AwardCategory.objects.exists()


def test_regional_admins_do_not_open_cycles(client):
    client.force_login(regional_admin("62.02"))
    assert client.post("/penghargaan/baru/", {"name": "X", "year": "2027"}).status_code == 403
    assert "Buka siklus baru" not in client.get("/penghargaan/").content.decode()
    assert not AwardCycle.objects.exists()
