"""Query budgets of the organisation list."""

import pytest
from django.urls import reverse
from tests.factories import OrganizationFactory, region, regional_admin
from tests.query_budget import assert_flat

from sinergi.accounts.models import Organization

pytestmark = pytest.mark.django_db


def test_organisation_list_queries_do_not_grow_with_organisations(client):
    client.force_login(regional_admin("64.72"))

    def add(n):
        while Organization.objects.filter(name__startswith="Dinas Anggaran").count() < n:
            OrganizationFactory(name=f"Dinas Anggaran {Organization.objects.count()}", region=region("64.72"))

    assert_flat(
        client, reverse("accounts:organization_list"), add, shown=lambda body: body.count("Dinas Anggaran")
    )
