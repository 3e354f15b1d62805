"""Retention per record type: `sinergi apply_retention --dry-run` reports and removes nothing; the run
removes (or pseudonymises) only what is past its period; the nightly beat job is scheduled."""

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from tests.factories import (
    BatchFactory,
    EnrolmentFactory,
    ParticipantFactory,
    ProgramFactory,
    TrainingClassFactory,
    UserFactory,
    apply_to,
)

from sinergi.accounts.models import Role
from sinergi.registration.models import Application, Participant, PersonalDataView

pytestmark = pytest.mark.django_db
LONG_AGO = timezone.now() - dt.timedelta(days=3 * 365)


def old_class():
    batch = BatchFactory(
        registration_opens=LONG_AGO - dt.timedelta(days=30), registration_closes=LONG_AGO, status="closed"
    )
    return TrainingClassFactory(program=ProgramFactory(batch=batch))


def withdrawn(participant, training_class, when):
    application = apply_to(participant, [training_class])
    Application.objects.filter(pk=application.pk).update(status="withdrawn", updated_at=when)
    return application


def world():
    old, recent = old_class(), TrainingClassFactory()
    people = {
        "old_withdrawn": withdrawn(ParticipantFactory(), old, LONG_AGO).participant,
        "recent_withdrawn": withdrawn(ParticipantFactory(), recent, timezone.now()).participant,
        "rejected": ParticipantFactory(full_name="Budi Santoso"),
        "enrolled": ParticipantFactory(full_name="Sari Wulandari"),
        "active": ParticipantFactory(
            full_name="Rina Kusuma", user=UserFactory(role=Role.PARTICIPANT, last_login=timezone.now())
        ),
    }
    for key in ("rejected", "enrolled", "active"):
        apply_to(people[key], [old])
    EnrolmentFactory(participant=people["enrolled"], training_class=old)
    view = PersonalDataView.objects.create(
        participant=people["enrolled"], viewer_name="Petugas", page="/", page_title="x", viewed_at=LONG_AGO
    )
    PersonalDataView.objects.filter(pk=view.pk).update(viewed_at=timezone.now() - dt.timedelta(days=6 * 365))
    return people


def test_a_dry_run_reports_per_record_type_and_changes_nothing():
    people = world()
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    report = out.getvalue()
    assert "Uji coba (tidak ada yang dihapus)" in report
    assert "Pendaftaran yang ditarik: masa simpan 2 tahun" in report and "akan dihapus 1" in report
    assert "Pendaftar yang tidak pernah mendapat kelas" in report
    assert "Catatan tampilan data pribadi: masa simpan 5 tahun" in report
    # the old withdrawn applicant never enrolled either, so they are a rejected applicant too
    assert "Jumlah: 4" in report
    assert Application.objects.count() == 5 and PersonalDataView.objects.count() == 1
    assert Participant.objects.get(pk=people["rejected"].pk).erased_at is None


def test_the_run_removes_or_pseudonymises_only_what_is_past_its_period():
    people = world()
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "Masa simpan diterapkan" in out.getvalue()
    assert not Application.objects.filter(participant=people["old_withdrawn"]).exists()
    assert Application.objects.filter(participant=people["recent_withdrawn"]).exists()
    rejected = Participant.objects.get(pk=people["rejected"].pk)
    assert rejected.erased_at is not None and rejected.full_name.startswith("Peserta terhapus")
    assert rejected.applications.count() == 1  # kept for the allocation runs, now under a pseudonym
    assert Participant.objects.get(pk=people["enrolled"].pk).full_name == "Sari Wulandari"
    assert Participant.objects.get(pk=people["active"].pk).full_name == "Rina Kusuma"
    assert not PersonalDataView.objects.exists()

    again = StringIO()  # a second run finds nothing left
    call_command("apply_retention", "--dry-run", stdout=again)
    assert "Jumlah: 0" in again.getvalue()


def test_retention_runs_nightly_from_celery_beat():
    from sinergi.celery import app

    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["core-apply-retention"]
    assert entry["task"] == "sinergi.core.apply_retention" and entry["task"] in app.tasks
