"""Likely duplicates: flagged on save, kept out of allocation, decided by a scoped admin, audited."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from tests.factories import (
    ParticipantFactory,
    TrainingClassFactory,
    UserFactory,
    apply_to,
    national_admin,
    regional_admin,
)

from sinergi.registration.models import DuplicateFlag, Participant
from sinergi.registration.selectors import allocatable_applications
from sinergi.registration.services import comparable_name, flag_duplicates, name_similarity

pytestmark = pytest.mark.django_db
BORN = date(1995, 3, 9)


def person(name, **kwargs):
    kwargs.setdefault("birth_date", BORN)
    return ParticipantFactory(full_name=name, **kwargs)


def test_similar_name_same_birth_date_is_flagged():
    first = person("Muhammad Rizki Pratama")
    second = person("Muhamad Rizky Pratama")
    (flag,) = flag_duplicates(second)
    assert flag.similar_to == first and flag.similarity >= 0.9
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.duplicate_status == Participant.DuplicateStatus.FLAGGED and not second.is_allocatable
    assert first.duplicate_status == Participant.DuplicateStatus.CLEAR


@pytest.mark.parametrize(
    ("other_name", "other_birth", "flagged"),
    [
        ("Siti Aminah", BORN, False),  # different name
        ("Muhammad Rizki Pratama", date(1995, 3, 10), False),  # different birth date
        ("Dr. Muhammad Rizki Pratama, S.Kom.", BORN, True),  # titles and degrees ignored
    ],
)
def test_what_counts_as_similar(other_name, other_birth, flagged):
    person("Muhammad Rizki Pratama")
    other = person(other_name, birth_date=other_birth)
    assert bool(flag_duplicates(other)) is flagged


def test_comparable_name():
    assert comparable_name("Hj. SITI  Aminah, S.Pd.") == "siti aminah"
    assert name_similarity("Budi Santoso", "Budi Santoso") == 1.0


def test_flag_is_dropped_when_the_name_is_corrected():
    person("Muhammad Rizki Pratama")
    second = person("Muhamad Rizky Pratama")
    flag_duplicates(second)
    second.full_name = "Ahmad Fauzan"
    second.save()
    assert flag_duplicates(second) == []
    second.refresh_from_db()
    assert second.duplicate_status == Participant.DuplicateStatus.CLEAR


def test_flagged_application_is_not_allocatable_until_decided(client):
    first = person("Muhammad Rizki Pratama")
    second = person("Muhamad Rizky Pratama")
    training_class = TrainingClassFactory()
    batch = training_class.program.batch
    apply_to(first, [training_class])
    apply_to(second, [training_class])
    (flag,) = flag_duplicates(second)
    assert set(allocatable_applications(batch).values_list("participant", flat=True)) == {first.pk}

    admin = regional_admin("16.71")
    client.force_login(admin)
    listing = client.get(reverse("registration:duplicate_list")).content.decode()
    assert second.masked_nik in listing and second.nik not in listing
    detail = client.get(reverse("registration:duplicate_detail", args=[flag.pk])).content.decode()
    assert first.masked_nik in detail and second.masked_nik in detail and first.nik not in detail
    response = client.post(
        reverse("registration:duplicate_detail", args=[flag.pk]), {"decision": "distinct", "note": "Kembar"}
    )
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.decided_by == admin and flag.decided_at and flag.note == "Kembar"
    assert set(allocatable_applications(batch).values_list("participant", flat=True)) == {first.pk, second.pk}
    assert LogEntry.objects.get_for_object(flag).filter(actor=admin).exists()


def test_duplicate_decision_needs_a_note_and_keeps_the_seat_away(client):
    person("Muhammad Rizki Pratama")
    second = person("Muhamad Rizky Pratama")
    (flag,) = flag_duplicates(second)
    client.force_login(national_admin())
    url = reverse("registration:duplicate_detail", args=[flag.pk])
    response = client.post(url, {"decision": "duplicate", "note": ""})
    assert "Tuliskan catatan" in response.content.decode()
    client.post(url, {"decision": "duplicate", "note": "NIK lama salah ketik; pakai data pertama."})
    second.refresh_from_db()
    assert second.duplicate_status == Participant.DuplicateStatus.CONFIRMED_DUPLICATE
    assert not second.is_allocatable


def test_other_regions_admin_sees_nothing(client):
    person("Muhammad Rizki Pratama")
    second = person("Muhamad Rizky Pratama")
    (flag,) = flag_duplicates(second)
    client.force_login(regional_admin("64.72"))
    assert "Rizky" not in client.get(reverse("registration:duplicate_list")).content.decode()
    assert client.get(reverse("registration:duplicate_detail", args=[flag.pk])).status_code == 404
    assert (
        client.post(
            reverse("registration:duplicate_detail", args=[flag.pk]), {"decision": "distinct", "note": "x"}
        ).status_code
        == 404
    )
    assert DuplicateFlag.objects.get().decision == "pending"


def test_participants_and_public_have_no_review_page(client):
    client.force_login(ParticipantFactory(user=UserFactory(role="participant")).user)
    assert client.get(reverse("registration:duplicate_list")).status_code == 404
    client.logout()
    assert client.get(reverse("registration:duplicate_list")).status_code == 302  # to the login page


def test_withdrawn_applications_are_not_allocatable():
    training_class = TrainingClassFactory()
    application = apply_to(person("Ani"), [training_class])
    application.status = "withdrawn"
    application.save()
    assert not allocatable_applications(training_class.program.batch).exists()
