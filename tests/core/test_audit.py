"""Bulk operations leave one audit-trail entry each (who, when, what, how many), shown at /audit/:
participant imports (checked or written), attendance lists, bulk completion and scores."""

import csv
import io

import pytest
from auditlog.models import LogEntry
from tests.factories import IMPORT_HEADER, import_row, national_admin, regional_admin
from tests.learning.test_learning_progress import attend, enrol_person, past_class

from sinergi.learning import services as learning
from sinergi.registration.imports import import_file

pytestmark = pytest.mark.django_db


def bulk_entries():
    return LogEntry.objects.filter(additional_data__has_key="operasi")


def csv_file(rows) -> io.BytesIO:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=IMPORT_HEADER)
    writer.writeheader()
    writer.writerows(rows)
    return io.BytesIO(out.getvalue().encode())


def test_a_participant_import_and_its_check_leave_one_entry_each_with_counts(client):
    admin = regional_admin("16.71")
    rows = [import_row(i) for i in range(1, 4)] + [import_row(9, tanggal_lahir="1990-02-30")]
    import_file(csv_file(rows), user=admin, write=False, name="asn.csv")
    import_file(csv_file(rows), user=admin, write=True, name="asn.csv")
    checked, imported = bulk_entries().order_by("pk")
    assert checked.actor == imported.actor == admin
    assert checked.object_repr == "Pemeriksaan impor peserta: asn.csv"
    assert imported.object_repr == "Impor peserta: asn.csv"
    assert (
        imported.additional_data["peserta baru"] == 3 and imported.additional_data["baris tidak valid"] == 1
    )
    assert checked.additional_data["baris valid"] == 3

    client.force_login(national_admin())
    trail = client.get("/audit/").content.decode()
    assert "Impor peserta: asn.csv" in trail and "peserta baru" in trail


def test_an_attendance_list_and_a_bulk_confirmation_leave_one_entry_each():
    from tests.factories import provider_staff

    staff = provider_staff("16.71")
    tc = past_class(staff, sessions=2)
    people = [enrol_person(tc) for _ in range(3)]
    for person in people:
        attend(tc, person, 2, user=staff)
    first = tc.sessions.order_by("number").first()
    before = bulk_entries().count()
    learning.mark_attendance(first, {p.pk for p in people[:2]}, user=staff)
    (entry,) = bulk_entries()[: bulk_entries().count() - before]
    assert entry.actor == staff and entry.object_pk == str(first.pk)
    assert entry.additional_data["hadir"] == 2 and entry.additional_data["tidak hadir"] == 1

    learning.confirm_completion(tc, [p.pk for p in people], user=staff)
    confirmation = bulk_entries().latest("pk")
    assert confirmation.actor == staff and confirmation.object_pk == str(tc.pk)
    assert confirmation.additional_data["operasi"] == "Kelulusan dikonfirmasi bersama"
    assert sum(confirmation.additional_data[k] for k in ("lulus", "tidak lulus")) == 3


def test_publishing_an_allocation_leaves_one_entry_with_its_counts():
    from tests.selection.test_selection_runs import World

    from sinergi.selection.models import Offer, RunStatus

    world = World()
    run = world.run_to(RunStatus.PUBLISHED)
    entry = bulk_entries().get(object_pk=str(run.pk), additional_data__operasi="publikasi hasil alokasi")
    assert entry.actor == world.admin
    assert entry.additional_data["tawaran"] == Offer.objects.filter(run=run).count() > 0


def test_issuing_a_class_leaves_one_entry_with_its_counts():
    from tests.credentials.test_credentials_issue import completed
    from tests.factories import EnrolmentFactory, TrainingClassFactory

    from sinergi.credentials import services as credentials
    from sinergi.learning.models import Enrolment

    training_class = TrainingClassFactory()
    for _ in range(2):
        completed(training_class=training_class)
    EnrolmentFactory(training_class=training_class, status=Enrolment.Status.NOT_COMPLETED)
    credentials.issue_for_class(training_class)
    entry = bulk_entries().get(additional_data__operasi="penerbitan sertifikat kelas")
    assert entry.object_pk == str(training_class.pk)
    assert (entry.additional_data["diterbitkan"], entry.additional_data["belum memenuhi"]) == (2, 1)
