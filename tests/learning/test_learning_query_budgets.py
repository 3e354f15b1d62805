"""Query budgets of the class delivery list."""

import pytest
from django.urls import reverse
from tests.factories import TrainingClassFactory, regional_admin
from tests.query_budget import assert_flat

from sinergi.programs.models import TrainingClass

pytestmark = pytest.mark.django_db


def test_class_list_queries_do_not_grow_with_classes(client):
    client.force_login(regional_admin("16.71"))

    def add(n):
        while TrainingClass.objects.count() < n:
            TrainingClassFactory(name=f"Kelas Anggaran {TrainingClass.objects.count()}")

    assert_flat(client, reverse("learning:class_list"), add, shown=lambda body: body.count("Kelas Anggaran"))
