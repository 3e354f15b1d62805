"""Query budgets of the audit log and the notification inbox."""

import pytest
from django.urls import reverse
from tests.factories import OrganizationFactory, UserFactory, national_admin
from tests.query_budget import assert_flat

from sinergi.accounts.models import Organization
from sinergi.core.models import Notification
from sinergi.core.notifications import notify

pytestmark = pytest.mark.django_db


def test_audit_log_queries_do_not_grow_with_entries(client):
    client.force_login(national_admin())

    def add(n):
        while Organization.objects.filter(name__startswith="Lembaga Tercatat").count() < n:
            OrganizationFactory(name=f"Lembaga Tercatat {Organization.objects.count()}")  # one entry each

    assert_flat(client, reverse("audit_log"), add, shown=lambda body: body.count("Lembaga Tercatat"))


def test_notification_inbox_queries_do_not_grow_with_messages(client):
    user = UserFactory()
    client.force_login(user)

    def add(n):
        while Notification.objects.filter(user=user).count() < n:
            notify(user, f"Pesan anggaran {Notification.objects.count()}", "Isi", email=False)

    assert_flat(client, reverse("notification_inbox"), add, shown=lambda body: body.count("Pesan anggaran"))
