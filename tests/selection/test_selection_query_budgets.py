"""Query budgets of the allocation list."""

import pytest
from django.urls import reverse
from tests.factories import BatchFactory, regional_admin
from tests.query_budget import assert_flat

from sinergi.programs.models import Batch

pytestmark = pytest.mark.django_db


def test_allocation_batch_list_queries_do_not_grow_with_batches(client):
    admin = regional_admin("16.71")
    client.force_login(admin)

    def add(n):
        while Batch.objects.count() < n:
            BatchFactory(name=f"Gelombang Anggaran {Batch.objects.count()}")

    assert_flat(
        client, reverse("selection:batch_list"), add, shown=lambda body: body.count("Gelombang Anggaran")
    )
