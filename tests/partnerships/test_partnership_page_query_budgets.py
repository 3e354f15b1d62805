"""Query-count budgets (issue 14): each public agreement page, region page, list and the API list costs
the same number of queries with N applications as with 3N, for commitments counted from records."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests.factories import (
    OrganizationFactory,
    ParticipantFactory,
    ProgramFactory,
    TrainingClassFactory,
    apply_to,
    national_admin,
    region,
)

from sinergi.partnerships.models import Agreement, AgreementParty, Commitment, Status

pytestmark = pytest.mark.django_db

COUNTED = ["registration.participants", "registration.applications", "registration.eligible"]


@pytest.fixture
def mou():
    today = timezone.localdate()
    city = region("16.71")
    agreement = Agreement.objects.create(
        type="mou",
        title="MoU talenta digital Palembang",
        start_date=today - dt.timedelta(days=30),
        end_date=today + dt.timedelta(days=300),
        signed_date=today - dt.timedelta(days=30),
        status=Status.BERLAKU,
        region=city,
    )
    pks = Agreement.objects.create(
        type="pks",
        parent=agreement,
        title="PKS pelaksana",
        start_date=agreement.start_date,
        end_date=agreement.end_date,
        signed_date=agreement.signed_date,
        status=Status.BERLAKU,
        region=city,
    )
    AgreementParty.objects.create(agreement=agreement, organization=OrganizationFactory(region=city))
    program = ProgramFactory(batch__registration_closes=timezone.now() - dt.timedelta(hours=1))
    for a in (agreement, pks):
        program.agreements.add(a)
        for key in COUNTED:
            Commitment.objects.create(
                agreement=a,
                title=key,
                metric_key=key,
                target_value=Decimal(100),
                unit="orang",
                deadline=a.end_date,
            )
    return agreement, [TrainingClassFactory(program=program) for _ in range(2)]


def add_applications(classes, n):
    for _ in range(n):
        apply_to(ParticipantFactory(), classes)


def queries(client, url) -> int:
    assert client.get(url).status_code == 200  # the first view stores values never measured
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


PUBLIC_PAGES = [
    "/kerja-sama/",
    "/kerja-sama/?urut=-progress",
    "/kerja-sama/wilayah/16/",
    "/kerja-sama/wilayah/16.71/",
    "/api/v1/agreements/",
    "/api/v1/agreements/?sort=progress",
    "/kerja-sama/ekspor.xlsx",
]


@pytest.mark.parametrize("url", [*PUBLIC_PAGES, "MOU"])
def test_public_page_queries_do_not_grow_with_applications(client, mou, url):
    agreement, classes = mou
    url = f"/kerja-sama/{agreement.pk}/" if url == "MOU" else url
    add_applications(classes, 4)
    few = queries(client, url)
    add_applications(classes, 8)
    assert queries(client, url) == few


@pytest.mark.parametrize(
    "url", ["/kerja-sama/kelola/", "/kerja-sama/kelola/?urut=progress", "/kerja-sama/kelola/ekspor.xlsx"]
)
def test_officers_list_queries_do_not_grow_with_applications(client, mou, url):
    agreement, classes = mou
    client.force_login(national_admin())
    add_applications(classes, 4)
    few = queries(client, url)
    add_applications(classes, 8)
    assert queries(client, url) == few
