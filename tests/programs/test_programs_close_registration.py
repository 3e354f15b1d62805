"""“Tutup pendaftaran”: one action closes a batch's window now, audited, and the allocation's inputs
can be frozen straight after; a batch's status never contradicts its dates."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.db import IntegrityError, transaction
from django.utils import timezone
from tests.factories import BatchFactory, ProgramFactory, TrainingClassFactory, regional_admin

from sinergi.programs.models import Batch
from sinergi.selection import services as selection
from sinergi.selection.models import RunKind, RunStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def palembang(client):
    admin = regional_admin("16.71")
    client.force_login(admin)
    return admin


def open_batch():
    program = ProgramFactory(batch__registration_closes=timezone.now() + dt.timedelta(days=3))
    TrainingClassFactory(program=program)
    return program.batch


def test_closing_from_the_allocation_page_lets_the_officer_freeze_the_inputs(client, palembang):
    batch = open_batch()
    with pytest.raises(selection.SelectionError, match="masih dibuka"):
        selection.check_new_run(palembang, batch, kind=RunKind.MAIN, reason="")
    page = client.get(f"/alokasi/gelombang/{batch.pk}/").content.decode()
    assert "Tutup pendaftaran" in page

    response = client.post(
        f"/kelola/gelombang/{batch.pk}/tutup/", {"next": f"/alokasi/gelombang/{batch.pk}/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/alokasi/gelombang/{batch.pk}/"
    assert "Alokasi kursi sekarang dapat dibuat" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == Batch.Status.CLOSED and batch.registration_closes <= timezone.now()
    entry = LogEntry.objects.get(object_repr__contains="Pendaftaran ditutup")
    assert entry.actor == palembang and entry.object_pk == str(batch.pk)
    assert set(entry.changes) == {"status", "pendaftaran ditutup"}
    assert entry.changes["status"] == ["Pendaftaran dibuka", "Pendaftaran ditutup"]

    run = selection.create_run(palembang, batch)
    assert run.status == RunStatus.HASH_PUBLISHED


def test_closing_twice_or_a_draft_is_refused_with_a_reason_and_changes_nothing(client, palembang):
    batch = open_batch()
    client.post(f"/kelola/gelombang/{batch.pk}/tutup/")
    batch.refresh_from_db()
    closed_at = batch.registration_closes
    page = client.post(f"/kelola/gelombang/{batch.pk}/tutup/", follow=True).content.decode()
    assert "sudah ditutup pada" in page
    batch.refresh_from_db()
    assert batch.registration_closes == closed_at

    draft = BatchFactory(status=Batch.Status.DRAFT)
    page = client.post(f"/kelola/gelombang/{draft.pk}/tutup/", follow=True).content.decode()
    assert "masih draf" in page
    draft.refresh_from_db()
    assert draft.status == Batch.Status.DRAFT
    assert LogEntry.objects.filter(object_repr__contains="Pendaftaran ditutup").count() == 1


def test_a_window_not_yet_begun_is_not_closed(client, palembang):
    now = timezone.now()
    batch = BatchFactory(
        registration_opens=now + dt.timedelta(days=1), registration_closes=now + dt.timedelta(days=5)
    )
    page = client.post(f"/kelola/gelombang/{batch.pk}/tutup/", follow=True).content.decode()
    assert "baru dibuka" in page
    batch.refresh_from_db()
    assert batch.status == Batch.Status.OPEN


def test_another_regions_batch_is_404_and_an_outside_next_is_ignored(client, palembang):
    other = BatchFactory(region_id="64.72")
    assert client.post(f"/kelola/gelombang/{other.pk}/tutup/").status_code == 404
    other.refresh_from_db()
    assert other.status == Batch.Status.OPEN
    batch = open_batch()
    response = client.post(f"/kelola/gelombang/{batch.pk}/tutup/", {"next": "https://contoh.test/"})
    assert response["Location"] == f"/kelola/gelombang/{batch.pk}/"


def test_an_open_batch_past_its_closing_time_reads_closed():
    batch = BatchFactory(registration_closes=timezone.now() - dt.timedelta(minutes=1))
    assert batch.status == Batch.Status.OPEN
    assert batch.current_status() == Batch.Status.CLOSED
    assert batch.get_current_status_display() == "Pendaftaran ditutup"


def _edit(client, batch, **overrides):
    fmt = "%Y-%m-%dT%H:%M"
    data = {
        "name": batch.name,
        "region": batch.region_id,
        "organizer": batch.organizer_id,
        "registration_opens": timezone.localtime(batch.registration_opens).strftime(fmt),
        "registration_closes": timezone.localtime(batch.registration_closes).strftime(fmt),
        "max_choices": 3,
        "status": batch.status,
    }
    data.update(overrides)
    return client.post(f"/kelola/gelombang/{batch.pk}/ubah/", data)


def test_the_batch_form_refuses_a_status_that_contradicts_the_dates(client, palembang):
    batch = BatchFactory(organizer=palembang.organization)
    page = _edit(client, batch, status="closed").content.decode()
    assert "Tutup pendaftaran" in page and "tanggal tutup yang belum lewat" in page
    batch.refresh_from_db()
    assert batch.status == Batch.Status.OPEN

    past = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    page = _edit(client, batch, registration_closes=past).content.decode()
    assert "sudah lewat" in page
    assert _edit(client, batch, registration_closes=past, status="closed").status_code == 302
    batch.refresh_from_db()
    assert batch.status == Batch.Status.CLOSED


def test_the_database_refuses_a_window_closing_before_it_opens():
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        BatchFactory(registration_opens=now, registration_closes=now - dt.timedelta(hours=1))
