import csv
import io
import json
from urllib.parse import urlparse

import openpyxl
import pytest
from tests.factories import national_admin, provider_staff, regional_admin
from tests.reporting.worlds import build_world

from sinergi.core.registry import todos_for
from sinergi.reporting import opendata

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_palembang_dashboard_shows_its_numbers_and_no_samarinda_ones(client, world):
    client.force_login(regional_admin("16.71"))
    page = client.get("/dasbor/").content.decode()
    assert "Corong pelatihan" in page and "<svg" in page
    assert world["palembang"]["batch"].name in page
    assert world["samarinda"]["batch"].name not in page
    rows = list(csv.reader(io.StringIO(client.get("/dasbor/grafik/corong.csv").content.decode())))
    assert rows[1][:2] == ["Mendaftar", "12"]


def test_samarinda_admin_asking_for_palembang_gets_samarinda(client, world):
    client.force_login(regional_admin("64.72"))
    batch = world["palembang"]["batch"].pk
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/dasbor/grafik/corong.csv?batch={batch}&region=16.71").content.decode())
        )
    )
    assert rows[1][:2] == ["Mendaftar", "7"]
    page = client.get(f"/dasbor/?batch={batch}").content.decode()
    assert world["palembang"]["batch"].name not in page


def test_the_csv_holds_exactly_the_table_on_the_page(client, world):
    client.force_login(national_admin())
    page = client.get("/dasbor/?by=sex").content.decode()
    rows = list(csv.reader(io.StringIO(client.get("/dasbor/grafik/rincian-sex.csv").content.decode())))
    assert rows[0][0] == "Jenis kelamin"
    for row in rows[1:]:
        assert f'<th scope="row">{row[0]}</th>' in page
        assert f'<td class="num">{row[1]}</td>' in page


def test_dashboards_are_for_offices_only(client, world):
    assert client.get("/dasbor/").status_code == 302
    client.force_login(provider_staff("16.71"))
    assert client.get("/dasbor/").status_code == 403  # a role that may never use the page (core.access)
    assert client.get("/dasbor/grafik/corong.csv").status_code == 403


def test_unknown_chart_is_404(client, world):
    client.force_login(national_admin())
    assert client.get("/dasbor/grafik/tidak-ada.csv").status_code == 404


def test_home_shows_the_funnel_panel_and_to_dos_of_the_own_region_only(client, world, rf):
    palembang = regional_admin("16.71")
    client.force_login(palembang)
    home = client.get("/").content.decode()
    assert "Corong pelatihan" in home and "Buka dasbor lengkap" in home
    request = rf.get("/")
    request.user = palembang
    todos = {str(t.label): t for t in todos_for(request)}
    # Palembang: 7 completed, 6 certified → one ready; its class has a session and attendance.
    ready = [t for label, t in todos.items() if label.startswith("Lulusan yang siap")]
    assert ready and ready[0].count == 1
    assert ready[0].url == f"/sertifikat/kelas/{world['palembang']['class'].pk}/"
    request.user = regional_admin("64.72")
    samarinda = [t for t in todos_for(request) if str(t.label).startswith("Lulusan yang siap")]
    assert samarinda[0].count == 1
    assert samarinda[0].url == f"/sertifikat/kelas/{world['samarinda']['class'].pk}/"


def test_classes_without_attendance_link_to_the_class(client, world, rf):
    from tests.factories import ClassSessionFactory

    training_class = world["samarinda"]["class"]
    ClassSessionFactory(training_class=training_class, number=2, date=training_class.starts_on)
    request = rf.get("/")
    request.user = regional_admin("64.72")
    missing = [t for t in todos_for(request) if str(t.label).startswith("Kelas dengan sesi")]
    assert missing[0].count == 1 and missing[0].url == f"/pelaksanaan/kelas/{training_class.pk}/"
    request.user = regional_admin("16.71")
    assert not [t for t in todos_for(request) if str(t.label).startswith("Kelas dengan sesi")]


def test_participant_and_provider_homes_have_their_panels(client, world):
    client.force_login(provider_staff("16.71"))
    assert "Kelas Anda" in client.get("/").content.decode()
    person = world["palembang"]["participants"][0]
    from tests.factories import UserFactory

    from sinergi.accounts.models import Role

    user = UserFactory(role=Role.PARTICIPANT)
    person.user = user
    person.save()
    client.force_login(user)
    page = client.get("/").content.decode()
    assert "Perjalanan pelatihan Anda" in page


# --- Open data -------------------------------------------------------------------------------------


def test_open_data_index_lists_datasets_without_login(client, world):
    page = client.get("/data/").content.decode()
    assert "Pendaftar pelatihan menurut kategori peserta" in page
    assert "Kota Palembang" in page


def test_small_counts_are_suppressed_in_every_format(client, world):
    year = opendata.available_years()[0]
    response = client.get(f"/data/lulusan-menurut-jenis-kelamin/64/{year}.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    samarinda = next(r for r in rows if r[0] == "64.72")
    assert samarinda[2:] == ["<5", "<5", "<5"]  # 1 L + 1 P graduates, total 2
    document = json.loads(client.get(f"/data/corong-pelatihan/64.72/{year}.json").content)
    assert ["certified", "Bersertifikat", "<5"] in document["baris"]
    assert {"variabel", "definisi", "satuan", "rumus", "sumber", "referensi_waktu"} <= set(
        document["kamus_data"][0]
    )
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/data/corong-pelatihan/64.72/{year}.xlsx").content)
    )
    assert "kamus_data" in workbook.sheetnames


def test_no_dataset_contains_personal_data(client, world):
    people = world["palembang"]["participants"] + world["samarinda"]["participants"]
    forbidden = set()
    for p in people:
        forbidden |= {
            p.full_name,
            p.nik,
            p.email,
            p.birth_date.isoformat(),
            p.birth_date.strftime("%d-%m-%Y"),
        }
        if p.phone:
            forbidden.add(p.phone)
        if p.nip:
            forbidden.add(p.nip)
    catalog = client.get("/data/catalog.jsonld").json()
    seen = 0
    for dataset in catalog["dcat:dataset"]:
        for distribution in dataset["dcat:distribution"]:
            url = urlparse(distribution["dcat:downloadURL"]["@id"]).path
            content = client.get(url).content
            text = content.decode() if not url.endswith(".xlsx") else _xlsx_text(content)
            assert not [f for f in forbidden if f and f in text], url
            header = text.splitlines()[0].lower() if url.endswith(".csv") else ""
            for column in ("nik", "kk", "nip", "nama_lengkap", "email", "telepon", "tanggal_lahir"):
                assert column not in header.split(",")
            seen += 1
    assert seen >= 9


def _xlsx_text(content: bytes) -> str:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return "\n".join(str(c) for ws in workbook for row in ws.iter_rows(values_only=True) for c in row)


def test_catalog_is_dcat_and_every_download_answers_200_without_login(client, world):
    catalog = client.get("/data/catalog.jsonld")
    assert catalog["Content-Type"].startswith("application/ld+json")
    document = catalog.json()
    assert document["@type"] == "dcat:Catalog"
    datasets = document["dcat:dataset"]
    assert datasets
    for dataset in datasets:
        for key in (
            "dct:title",
            "dct:description",
            "dcat:keyword",
            "dct:publisher",
            "dct:license",
            "dct:temporal",
            "dct:spatial",
            "dcat:theme",
        ):
            assert dataset[key], key
        for distribution in dataset["dcat:distribution"]:
            assert distribution["@type"] == "dcat:Distribution" and distribution["dcat:mediaType"]
            response = client.get(urlparse(distribution["dcat:downloadURL"]["@id"]).path)
            assert response.status_code == 200, distribution["dcat:downloadURL"]
        assert client.get(urlparse(dataset["dcat:landingPage"]["@id"]).path).status_code == 200


def test_unknown_dataset_region_year_or_format_is_404(client, world):
    year = opendata.available_years()[0]
    for path in (
        f"/data/tidak-ada/nasional/{year}.csv",
        f"/data/corong-pelatihan/99/{year}.csv",
        f"/data/corong-pelatihan/16.71.01/{year}.csv",
        "/data/corong-pelatihan/nasional/1999.csv",
        f"/data/corong-pelatihan/nasional/{year}.pdf",
    ):
        assert client.get(path).status_code == 404, path
