"""A saved NIK is corrected only by an officer (`sinergi correct_nik`): checked, scoped and audited."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from tests.factories import ParticipantFactory, national_admin, regional_admin

from sinergi.core import pii
from sinergi.registration.nik import compose_nik

pytestmark = pytest.mark.django_db

WRONG = compose_nik("16.71.01", date(1998, 5, 17), "P", 12)
RIGHT = compose_nik("16.71.01", date(1998, 5, 17), "P", 21)


@pytest.fixture
def person():
    return ParticipantFactory(nik=WRONG, birth_date=date(1998, 5, 17), sex="P")


def correct(person, nik, officer, reason="KTP dan KK diperiksa di kantor Diskominfo"):
    call_command("correct_nik", str(person.pk), nik, petugas=officer.username, alasan=reason)
    person.refresh_from_db()


def refused(person, nik, officer, reason="KTP diperiksa") -> CommandError:
    with pytest.raises(CommandError) as caught:
        correct(person, nik, officer, reason)
    person.refresh_from_db()
    assert person.nik == WRONG
    return caught.value


def test_officer_of_the_domicile_corrects_and_the_trail_says_who_and_why(person):
    officer = regional_admin("16.71")
    correct(person, RIGHT, officer)
    assert person.nik == RIGHT
    entry = LogEntry.objects.get(additional_data__event="nik_correction")
    assert entry.actor == officer and entry.object_pk == str(person.pk)
    assert entry.additional_data["reason"] == "KTP dan KK diperiksa di kantor Diskominfo"
    assert entry.changes_dict["nik"] == [pii.mask(WRONG), pii.mask(RIGHT)]
    assert WRONG not in str(entry.changes) and RIGHT not in str(entry.changes)


def test_a_correction_is_checked_like_a_new_nik(person):
    officer = national_admin()
    mismatch = compose_nik("16.71.01", date(1998, 5, 18), "P", 21)
    assert "tidak sama dengan tanggal lahir" in str(refused(person, mismatch, officer))
    ParticipantFactory(nik=RIGHT, birth_date=date(1998, 5, 17), sex="P")
    assert "sudah terdaftar pada peserta lain" in str(refused(person, RIGHT, officer))
    error = refused(person, compose_nik("16.71.01", date(1998, 5, 17), "P", 30), officer, reason="  ")
    assert "alasan" in str(error) and error.returncode == 1


def test_officers_of_other_regions_and_unknown_names_are_refused(person):
    assert refused(person, RIGHT, regional_admin("64.72")).returncode == 2  # not in their region: not found
    with pytest.raises(CommandError) as unknown:
        call_command("correct_nik", str(person.pk), RIGHT, petugas="tidak-ada", alasan="x")
    assert unknown.value.returncode == 2
