"""/api/v1/ beyond agreements: applications, allocation results, enrolments and the LMS's attendance
push, credentials, metrics and commitments, each scoped, paginated, filtered, with one error shape in
Indonesian or English by Accept-Language, and a query count that does not grow with the rows."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.api.keys import make_key, with_key
from tests.factories import (
    ClassSessionFactory,
    EnrolmentFactory,
    OrganizationFactory,
    ParticipantFactory,
    TrainingClassFactory,
    UserFactory,
    allocation_run,
    apply_to,
    credential_in,
    region,
    regional_admin,
)

from sinergi.accounts.models import Organization
from sinergi.api.models import ApiKeyUse
from sinergi.learning.models import Attendance, Enrolment
from sinergi.partnerships.models import Agreement, Commitment

pytestmark = pytest.mark.django_db


def provider_class(code: str = "16.71", **kwargs):
    provider = OrganizationFactory(kind=Organization.Kind.PROVIDER, region=region(code))
    return TrainingClassFactory(
        provider=provider,
        program__batch__region=region(code),
        program__batch__organizer__region=region(code),
        **kwargs,
    )


def city_key(code: str, scopes):
    return make_key(OrganizationFactory(kind=Organization.Kind.CITY_GOV, region=region(code)), scopes)[1]


def push(client, class_id, body, **headers):
    return client.post(
        f"/api/v1/classes/{class_id}/attendance/",
        json.dumps(body),
        content_type="application/json",
        **headers,
    )


# --- reads, scoped ---------------------------------------------------------------------------------


def test_classes_show_their_seats(client):
    training_class = provider_class(capacity=3, reserved_seats={"asn": 1})
    EnrolmentFactory.create_batch(2, training_class=training_class)
    EnrolmentFactory(training_class=training_class, status=Enrolment.Status.WITHDRAWN)
    secret = city_key("16.71", ["programs:read"])
    [row] = client.get(
        "/api/v1/classes/", {"programme": training_class.program_id}, **with_key(secret)
    ).json()["results"]
    assert row["seats"] == {"capacity": 3, "reserved": {"asn": 1}, "filled": 2, "available": 1}
    assert (
        client.get(f"/api/v1/classes/{training_class.pk}/", **with_key(secret)).json()["seats"]["filled"] == 2
    )


def test_applications_are_scoped_to_the_keys_region(client):
    palembang, samarinda = provider_class("16.71"), provider_class("64.72")
    own = apply_to(ParticipantFactory(full_name="Siti Palembang"), [palembang])
    apply_to(ParticipantFactory(full_name="Budi Samarinda", domicile=region("64.72")), [samarinda])
    secret = city_key("16.71", ["applications:read"])
    body = client.get("/api/v1/applications/", {"page_size": 100}, **with_key(secret)).json()
    names = {a["participant_name"] for a in body["results"]}
    assert "Siti Palembang" in names and "Budi Samarinda" not in names
    body = client.get("/api/v1/applications/", {"batch": own.batch_id}, **with_key(secret)).json()
    assert body["results"][0]["choices"] == [{"class_id": palembang.pk, "rank": 1}]
    assert body["results"][0]["id"] == own.pk
    # A province's key sees its kab/kota; the filter narrows.
    province = city_key("16", ["applications:read"])
    assert (
        client.get("/api/v1/applications/", {"batch": own.batch_id}, **with_key(province)).json()["count"]
        == 1
    )
    assert (
        client.get("/api/v1/applications/", {"status": "withdrawn"}, **with_key(province)).json()["count"]
        == 0
    )


def test_allocation_results_per_run_stay_in_their_region(client):
    run = allocation_run(regional_admin("16.71"), "16.71", published=True)
    other = allocation_run(regional_admin("64.72"), "64.72", published=True)
    secret = city_key("16.71", ["allocations:read"])
    runs = client.get("/api/v1/allocation-runs/", **with_key(secret)).json()
    by_id = {r["id"]: r for r in runs["results"]}
    assert run.pk in by_id and other.pk not in by_id
    assert by_id[run.pk]["status"] == "published" and by_id[run.pk]["seed"] == run.seed
    results = client.get(f"/api/v1/allocation-runs/{run.pk}/results/", **with_key(secret)).json()
    [offer] = results["results"]
    assert offer["status"] == "offered" and offer["class_id"] == run.offers.get().training_class_id
    assert client.get(f"/api/v1/allocation-runs/{other.pk}/results/", **with_key(secret)).status_code == 404


def test_credentials_status_and_public_verification(client):
    training_class = provider_class()
    credential = credential_in(training_class)
    elsewhere = credential_in(provider_class("64.72"))
    secret = city_key("16.71", ["credentials:read"])
    body = client.get("/api/v1/credentials/", {"class_id": training_class.pk}, **with_key(secret)).json()
    assert [c["number"] for c in body["results"]] == [credential.number]
    everything = client.get("/api/v1/credentials/", {"page_size": 100}, **with_key(secret)).json()
    assert elsewhere.number not in {c["number"] for c in everything["results"]}
    assert body["results"][0]["status"] == "valid" and body["results"][0]["class_id"] == training_class.pk
    assert client.get(f"/api/v1/credentials/{elsewhere.pk}/", **with_key(secret)).status_code == 404
    # Verification needs no key: the number and its check code.
    verified = client.get(
        "/api/v1/credentials/verify/", {"number": credential.number, "code": credential.check_code}
    )
    assert verified.status_code == 200 and verified.json()["status"] == "valid"
    wrong = client.get("/api/v1/credentials/verify/", {"number": credential.number, "code": "SALAH"})
    assert wrong.json()["status"] == "unknown" and wrong.json()["holder_masked"] == ""


def test_commitments_with_progress_hide_another_regions_drafts(client):
    from datetime import date

    mine = Agreement.objects.create(
        type="mou",
        title="Draf Palembang",
        region=region("16.71"),
        start_date=date(2026, 1, 1),
        end_date=date(2030, 1, 1),
    )
    theirs = Agreement.objects.create(
        type="mou",
        title="Draf Samarinda",
        region=region("64.72"),
        start_date=date(2026, 1, 1),
        end_date=date(2030, 1, 1),
    )
    for agreement in (mine, theirs):
        Commitment.objects.create(
            agreement=agreement, title="Kursi", target_value=100, unit="kursi", deadline=date(2029, 1, 1)
        )
    secret = city_key("16.71", ["metrics:read"])
    body = client.get("/api/v1/commitments/", {"page_size": 100}, **with_key(secret)).json()
    titles = {c["agreement_title"] for c in body["results"]}
    assert "Draf Palembang" in titles and "Draf Samarinda" not in titles
    body = client.get("/api/v1/commitments/", {"agreement": mine.pk}, **with_key(secret)).json()
    assert body["results"][0]["progress"]["status"] in ("on_track", "at_risk", "late")
    metrics = client.get("/api/v1/metrics/", **with_key(secret)).json()
    assert "manual" in {m["key"] for m in metrics}


def test_a_session_reads_with_its_own_scope(client):
    training_class = provider_class()
    provider_class("64.72")
    staff = UserFactory(role="provider_staff", organization=training_class.provider)
    client.force_login(staff)
    assert [c["id"] for c in client.get("/api/v1/classes/", {"page_size": 100}).json()["results"]] == [
        training_class.pk
    ]


# --- the LMS pushes attendance ----------------------------------------------------------------------


@pytest.fixture
def lms_class():
    training_class = provider_class()
    ClassSessionFactory(training_class=training_class, number=1)
    enrolments = EnrolmentFactory.create_batch(3, training_class=training_class)
    _key, secret = make_key(training_class.provider, ["attendance:read", "attendance:write"])
    return training_class, enrolments, secret


def test_the_lms_pushes_attendance_idempotently(client, lms_class):
    training_class, (a, b, c), secret = lms_class
    body = {
        "session": 1,
        "records": [{"enrolment_id": a.pk, "present": True}, {"enrolment_id": b.pk, "present": False}],
    }
    first = push(client, training_class.pk, body, **with_key(secret))
    assert first.status_code == 200, first.content
    assert first.json() | {"session_id": 0} == {
        "session_id": 0,
        "session": 1,
        "present": 1,
        "absent": 1,
        "created": 2,
        "changed": 0,
        "unchanged": 0,
    }
    again = push(client, training_class.pk, body, **with_key(secret)).json()
    assert (again["created"], again["changed"], again["unchanged"]) == (0, 0, 2)
    assert Attendance.objects.filter(session__training_class=training_class).count() == 2
    body["records"][1]["present"] = True
    assert push(client, training_class.pk, body, **with_key(secret)).json()["changed"] == 1
    row = Attendance.objects.get(enrolment=b)
    assert row.present and row.method == "import" and row.recorded_by is None
    listing = client.get(f"/api/v1/classes/{training_class.pk}/enrolments/", **with_key(secret)).json()
    assert {e["id"]: e["sessions_present"] for e in listing["results"]} == {a.pk: 1, b.pk: 1, c.pk: 0}
    assert listing["sessions"][0]["number"] == 1
    assert ApiKeyUse.objects.filter(method="POST", status=200).count() == 3


def test_a_bad_row_saves_nothing_and_names_the_row(client, lms_class):
    training_class, (a, _b, _c), secret = lms_class
    stranger = EnrolmentFactory()
    body = {
        "session": 1,
        "records": [
            {"enrolment_id": a.pk, "present": True},
            {"enrolment_id": stranger.pk, "present": True},
            {"enrolment_id": a.pk, "present": False},
        ],
    }
    response = push(client, training_class.pk, body, **with_key(secret))
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "records[1].enrolment_id",
            "message": f"records[1].enrolment_id: peserta {stranger.pk} tidak terdaftar di kelas ini.",
        },
        {
            "field": "records[2].enrolment_id",
            "message": f"records[2].enrolment_id: peserta {a.pk} dikirim dua kali.",
        },
    ]
    assert not Attendance.objects.exists()
    missing = push(
        client, training_class.pk, {"session": 9, "records": body["records"][:1]}, **with_key(secret)
    )
    assert missing.json()["errors"][0]["message"] == "session: kelas ini tidak mempunyai sesi ke-9."
    typo = push(client, training_class.pk, {"sesi": 1, "records": []}, **with_key(secret))
    assert {e["field"] for e in typo.json()["errors"]} == {"session", "sesi", "records"}


def test_writing_attendance_needs_the_write_scope_and_the_own_class(client, lms_class):
    training_class, (a, _b, _c), _secret = lms_class
    body = {"session": 1, "records": [{"enrolment_id": a.pk, "present": True}]}
    _key, reader = make_key(training_class.provider, ["attendance:read"])
    refused = push(client, training_class.pk, body, **with_key(reader))
    assert refused.status_code == 403 and "attendance:write" in refused.json()["detail"]
    _key, other = make_key(OrganizationFactory(kind="provider", region=region("16.71")), ["attendance:write"])
    assert push(client, training_class.pk, body, **with_key(other)).status_code == 404
    # A city's key reads, but only a provider writes attendance.
    city = city_key("16.71", ["attendance:write"])
    assert push(client, training_class.pk, body, **with_key(city)).status_code == 404
    assert not Attendance.objects.exists()


def test_a_provider_session_pushes_with_csrf(lms_class):
    from django.test import Client

    training_class, (a, _b, _c), _secret = lms_class
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(role="provider_staff", organization=training_class.provider))
    body = {"session": 1, "records": [{"enrolment_id": a.pk, "present": True}]}
    assert push(client, training_class.pk, body).status_code == 403
    token = "k" * 32
    client.cookies["csrftoken"] = token
    assert push(client, training_class.pk, body, HTTP_X_CSRFTOKEN=token).status_code == 200


# --- one error shape, two languages ------------------------------------------------------------------


def test_errors_have_one_shape_in_indonesian_or_english(client):
    secret = city_key("16.71", ["programs:read"])
    indonesian = client.get("/api/v1/classes/", {"page_size": 500}, **with_key(secret))
    assert indonesian.status_code == 422
    assert indonesian.json()["detail"] == "Data tidak valid."
    assert indonesian.json()["errors"][0]["field"] == "page_size"
    english = client.get(
        "/api/v1/classes/", {"page_size": 500}, HTTP_ACCEPT_LANGUAGE="en", **with_key(secret)
    )
    assert english.json()["detail"] == "Invalid data."
    assert "less than or equal to 100" in english.json()["errors"][0]["message"]
    assert client.get("/api/v1/classes/99999/", HTTP_ACCEPT_LANGUAGE="en", **with_key(secret)).json() == {
        "detail": "Not found.",
        "errors": [],
    }
    assert client.get("/api/v1/classes/", HTTP_ACCEPT_LANGUAGE="en").json()["detail"] == (
        "Sign in first (a session), or send an organisation API key (X-API-Key)."
    )
    assert client.get("/api/v1/classes/", {"page": 3}, **with_key(secret)).json()["errors"][0]["message"] == (
        "page (halaman): halaman 3 tidak ada; jumlah halaman 1."
    )
    # The HTML pages stay Indonesian whatever the browser asks.
    assert 'lang="id"' in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_pagination_links_carry_the_filters(client):
    training_class = provider_class()
    for _ in range(2):
        TrainingClassFactory(program=training_class.program, provider=training_class.provider)
    secret = city_key("16.71", ["programs:read"])
    body = client.get(
        "/api/v1/classes/", {"page_size": 2, "programme": training_class.program_id}, **with_key(secret)
    ).json()
    assert body["count"] == 3 and body["num_pages"] == 2 and len(body["results"]) == 2
    assert "page=2" in body["next"] and f"programme={training_class.program_id}" in body["next"]
    assert len(client.get(body["next"], **with_key(secret)).json()["results"]) == 1


# --- query budgets -----------------------------------------------------------------------------------


def _count(client, url, headers) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"page_size": 100}, **headers)
    assert response.status_code == 200, (url, response.content)
    return len(captured), len(
        response.json()["results"] if isinstance(response.json(), dict) else response.json()
    )


LISTS = [
    ("/api/v1/programmes/", "programs:read"),
    ("/api/v1/classes/", "programs:read"),
    ("/api/v1/applications/", "applications:read"),
    ("/api/v1/allocation-runs/", "allocations:read"),
    ("/api/v1/credentials/", "credentials:read"),
    ("/api/v1/commitments/", "metrics:read"),
]


def _add_rows(n: int, admin):
    from datetime import date

    for _ in range(n):
        training_class = provider_class()
        EnrolmentFactory(training_class=training_class)
        apply_to(ParticipantFactory(), [training_class])
        credential_in(training_class)
        allocation_run(admin, "16.71")
        agreement = Agreement.objects.create(
            type="mou",
            title="Draf",
            region=region("16.71"),
            start_date=date(2026, 1, 1),
            end_date=date(2030, 1, 1),
        )
        Commitment.objects.create(
            agreement=agreement, title="Kursi", target_value=10, unit="kursi", deadline=date(2029, 1, 1)
        )


@pytest.mark.parametrize(("url", "scope"), LISTS)
def test_list_queries_do_not_grow_with_rows(client, url, scope):
    admin = regional_admin("16.71")
    headers = with_key(city_key("16.71", [scope]))
    _add_rows(2, admin)
    few, shown_few = _count(client, url, headers)
    _add_rows(5, admin)
    many, shown_many = _count(client, url, headers)
    assert shown_many > shown_few >= 2
    assert few == many, f"{url}: {few} queries for {shown_few} rows, {many} for {shown_many}"


def test_enrolment_and_result_lists_do_not_grow_with_rows(client):
    training_class = provider_class()
    ClassSessionFactory(training_class=training_class)
    _key, secret = make_key(training_class.provider, ["attendance:read"])
    EnrolmentFactory.create_batch(2, training_class=training_class)
    url = f"/api/v1/classes/{training_class.pk}/enrolments/"
    few, _ = _count(client, url, with_key(secret))
    EnrolmentFactory.create_batch(8, training_class=training_class)
    many, shown = _count(client, url, with_key(secret))
    assert shown == 10 and few == many


def test_a_body_that_is_not_json_gets_the_same_error_shape(client, lms_class):
    training_class, _enrolments, secret = lms_class
    response = client.post(
        f"/api/v1/classes/{training_class.pk}/attendance/",
        "sesi=1",
        content_type="application/json",
        **with_key(secret),
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Data tidak valid.",
        "errors": [{"field": "body", "message": "body: badan permintaan bukan JSON yang valid."}],
    }
