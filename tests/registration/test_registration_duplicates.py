"""Likely duplicates: flagged on save, kept out of allocation, decided by a scoped admin, audited."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.factories import (
    OrganizationFactory,
    ParticipantFactory,
    TrainingClassFactory,
    UserFactory,
    apply_to,
    national_admin,
    region,
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
    assert client.get(reverse("registration:duplicate_list")).status_code == 403
    client.logout()
    assert client.get(reverse("registration:duplicate_list")).status_code == 302  # to the login page


def test_withdrawn_applications_are_not_allocatable():
    training_class = TrainingClassFactory()
    application = apply_to(person("Ani"), [training_class])
    application.status = "withdrawn"
    application.save()
    assert not allocatable_applications(training_class.program.batch).exists()


def look_alikes_across_regions():
    """A Palembang person, then a Samarinda import of someone who looks like them."""
    palembang = person("Muhammad Rizki Pratama", domicile=region("16.71"))
    samarinda = person("Muhamad Rizky Pratama", domicile=region("64.72"))
    (flag,) = flag_duplicates(samarinda)
    return palembang, samarinda, flag


def test_a_pair_across_regions_shows_the_other_person_only_as_someone_elsewhere(client):
    palembang, samarinda, flag = look_alikes_across_regions()
    client.force_login(regional_admin("64.72"))
    listing = client.get(reverse("registration:duplicate_list")).content.decode()
    detail = client.get(reverse("registration:duplicate_detail", args=[flag.pk])).content.decode()
    for page in (listing, detail):
        assert samarinda.masked_nik in page and "Seseorang di wilayah lain" in page
        assert "Muhammad Rizki" not in page and palembang.masked_nik not in page
        assert "Palembang" not in page
    assert "Daftar sendiri" not in detail and detail.count("Hasil impor") == 1  # own person's only


def test_a_pair_across_regions_is_decided_by_whoever_sees_both(client):
    _palembang, samarinda, flag = look_alikes_across_regions()
    url = reverse("registration:duplicate_detail", args=[flag.pk])
    client.force_login(regional_admin("64.72"))
    response = client.post(url, {"decision": "distinct", "note": "Orang lain"})
    assert response.status_code == 200
    assert "diputuskan oleh admin nasional" in response.content.decode()
    flag.refresh_from_db()
    samarinda.refresh_from_db()
    assert flag.decision == "pending" and not samarinda.is_allocatable

    client.force_login(national_admin())
    detail = client.get(url).content.decode()
    assert "Muhammad Rizki Pratama" in detail and "Seseorang di wilayah lain" not in detail
    assert client.post(url, {"decision": "distinct", "note": "Orang lain"}).status_code == 302
    samarinda.refresh_from_db()
    assert samarinda.is_allocatable


def test_a_province_admin_sees_both_people_of_a_pair_within_the_province(client):
    first = person("Muhammad Rizki Pratama", domicile=region("64.72"))
    second = person("Muhamad Rizky Pratama", domicile=region("64.72"))
    flag_duplicates(second)
    province = OrganizationFactory(region=region("64"), kind="province_gov")
    client.force_login(UserFactory(role="regional_admin", organization=province))
    listing = client.get(reverse("registration:duplicate_list")).content.decode()
    assert first.masked_nik in listing and "Seseorang di wilayah lain" not in listing


def test_the_review_list_asks_exists_not_a_distinct_join(client):
    for i in range(3):
        look_alikes = [person(f"Budi Santoso {'I' * (i + 1)}", domicile=region("64.72")) for _ in range(2)]
        flag_duplicates(look_alikes[1])
    client.force_login(regional_admin("64.72"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("registration:duplicate_list"))
    flag_queries = [q["sql"] for q in queries if "duplicateflag" in q["sql"].lower()]
    assert flag_queries and not any("DISTINCT" in sql.upper() for sql in flag_queries)
