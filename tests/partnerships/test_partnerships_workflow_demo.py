"""The demo shows a TKKSD discussion and a monev round, once however often it runs."""

from io import StringIO

import pytest

from sinergi.core.demo import seed_foundation
from sinergi.partnerships.demo import seed_partnerships
from sinergi.partnerships.models import MonevRound, ReviewComment
from sinergi.partnerships.workflow_demo import seed_partnership_workflow

pytestmark = pytest.mark.django_db


def test_demo_discussion_and_monev_are_seeded_once(client):
    seed_foundation()
    seed_partnerships()
    seed_partnership_workflow(StringIO())
    seed_partnership_workflow(StringIO())
    assert ReviewComment.objects.count() == 2
    assert ReviewComment.objects.filter(parent__isnull=False).count() == 1
    monev = MonevRound.objects.get()
    assert [row["unit"] for row in monev.snapshot["commitments"]] == ["kursi", "universitas"]
    page = client.get(f"/kerja-sama/{monev.agreement_id}/").content.decode()
    assert "Riwayat monev" in page and "Tahun ke-4" in page
