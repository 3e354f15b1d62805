"""Every display of a participant's unmasked data to someone else leaves a row the person reads on
/peserta/data-saya/; nobody else reads it."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from tests.factories import ParticipantFactory, UserFactory, national_admin, regional_admin

from sinergi.accounts.models import Role
from sinergi.registration.models import Participant, PersonalDataView
from sinergi.registration.services import flag_duplicates

pytestmark = pytest.mark.django_db
BORN = date(1995, 3, 9)


def citizen(name: str, **kwargs) -> Participant:
    kwargs.setdefault("birth_date", BORN)
    return ParticipantFactory(full_name=name, user=UserFactory(role=Role.PARTICIPANT), **kwargs)


def flagged_pair():
    first = citizen("Muhammad Rizki Pratama")
    second = citizen("Muhamad Rizky Pratama")
    (flag,) = flag_duplicates(second)
    return first, second, flag


def test_an_officer_opening_a_duplicate_review_leaves_one_row_per_person_shown(client):
    first, second, flag = flagged_pair()
    officer = regional_admin("16.71", first_name="Rina", last_name="Wulandari")
    client.force_login(officer)
    assert client.get(reverse("registration:duplicate_detail", args=[flag.pk])).status_code == 200

    (row,) = PersonalDataView.objects.filter(participant=second)
    assert row.viewer == officer and "Rina Wulandari" in row.viewer_name
    assert row.fields == ["birth_date"] and row.page == reverse(
        "registration:duplicate_detail", args=[flag.pk]
    )
    assert PersonalDataView.objects.filter(participant=first).count() == 1


def test_the_participant_sees_who_viewed_their_data_and_another_never_does(client):
    first, second, flag = flagged_pair()
    client.force_login(regional_admin("16.71", first_name="Rina", last_name="Wulandari"))
    client.get(reverse("registration:duplicate_detail", args=[flag.pk]))
    stranger = citizen("Siti Aminah", birth_date=date(1990, 1, 1))

    client.force_login(second.user)
    page = client.get(reverse("registration:my_data")).content.decode()
    assert "Rina Wulandari" in page and "Tinjauan dugaan data ganda" in page and "Tanggal lahir" in page

    client.force_login(stranger.user)
    page = client.get(reverse("registration:my_data")).content.decode()
    assert "Rina Wulandari" not in page and "Belum ada yang melihat data lengkap Anda." in page


def test_a_list_logs_the_people_on_its_page_only(client):
    _first, second, _flag = flagged_pair()
    client.force_login(regional_admin("16.71"))
    client.get(reverse("registration:duplicate_list"))
    assert list(PersonalDataView.objects.values_list("participant", flat=True)) == [second.pk]


def test_people_without_an_account_are_logged_only_when_their_phone_is_shown(client):
    with_phone = ParticipantFactory(email="", phone="081234567890")
    with_email = ParticipantFactory(phone="081298765432")
    client.force_login(regional_admin("16.71"))
    assert client.get(reverse("registration:invitations")).status_code == 200
    assert list(PersonalDataView.objects.values_list("participant", "fields")) == [(with_phone.pk, ["phone"])]
    assert not PersonalDataView.objects.filter(participant=with_email).exists()


def test_the_persons_own_pages_leave_no_row(client):
    person = citizen("Dewi Lestari", phone="081234567890")
    client.force_login(person.user)
    client.get(reverse("registration:my_data"))
    client.get(reverse("registration:my_data") + "?format=json")
    assert not PersonalDataView.objects.exists()


def test_the_audit_trail_shows_no_birth_date_or_phone(client):
    person = citizen("Dewi Lestari", phone="081234567890")
    person.phone = "089876543210"
    person.birth_date = date(1996, 4, 1)
    person.save()
    entry = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE).first()
    shown = str(entry.changes)
    assert "phone" in entry.changes and "birth_date" in entry.changes
    assert "0898" not in shown and "1996" not in shown and "0812" not in shown
    client.force_login(national_admin())
    assert "089876543210" not in client.get(reverse("audit_log")).content.decode()


def test_an_unanswered_offer_of_someone_without_an_account_logs_the_phone_shown(client):
    from tests.factories import allocation_run

    officer = regional_admin("16.71")
    person = ParticipantFactory(phone="081234567890", email="")
    allocation_run(officer, "16.71", published=True, applicant=person)
    client.force_login(officer)
    page = client.get(reverse("selection:unanswered_offers")).content.decode()
    assert "081234567890" in page
    (row,) = PersonalDataView.objects.all()
    assert (row.participant, row.viewer, row.fields) == (person, officer, ["phone"])
    assert row.page_title == "Tawaran kursi belum dijawab"
