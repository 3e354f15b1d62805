"""Query budgets of the officers' list of imported people without an account and of a participant's
own applications."""

import pytest
from django.urls import reverse
from tests.factories import ParticipantFactory, TrainingClassFactory, UserFactory, apply_to, regional_admin
from tests.query_budget import assert_flat

from sinergi.registration.models import Application, Participant

pytestmark = pytest.mark.django_db


def test_people_without_account_queries_do_not_grow_with_people(client):
    client.force_login(regional_admin("16.71"))

    def add(n):
        while Participant.objects.filter(user=None).count() < n:
            ParticipantFactory(full_name=f"Peserta Anggaran {Participant.objects.count()}", user=None)

    assert_flat(
        client, reverse("registration:invitations"), add, shown=lambda body: body.count("Peserta Anggaran")
    )


def test_own_applications_queries_do_not_grow_with_applications(client):
    person = ParticipantFactory(user=UserFactory())
    client.force_login(person.user)

    def add(n):
        while Application.objects.filter(participant=person).count() < n:
            training_class = TrainingClassFactory(
                program__batch__name=f"Gelombang Anggaran {Application.objects.count()}"
            )
            apply_to(person, [training_class])

    assert_flat(
        client,
        reverse("registration:my_applications"),
        add,
        shown=lambda body: body.count("Gelombang Anggaran"),
    )
