"""People who arrive by import: the invitation e-mail (signed link on the public address, 14 days, once),
the claim page (shows what the office holds, NIK masked, asks only what is missing), the officer's list
with re-send and the phone numbers of people without an e-mail, and no way round the NIK rules."""

import datetime as dt
import re

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.utils import timezone
from tests.factories import ParticipantFactory, UserFactory, import_row, regional_admin
from tests.registration.test_import_web import upload

from sinergi.core.models import Job
from sinergi.registration import invitations
from sinergi.registration.models import Invitation, Participant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _jobs_run_on_commit(django_capture_on_commit_callbacks, monkeypatch):
    from django.test import Client

    original = Client.request

    def request(self, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)


@pytest.fixture
def officer(settings):
    settings.SITE_URL = "https://sinergi.contoh.go.id"
    return regional_admin("16.71")


def link_of(message) -> str:
    match = re.search(r"https://sinergi\.contoh\.go\.id(/daftar/undangan/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def import_people(client, officer, rows):
    client.force_login(officer)
    job = upload(client, rows)
    response = client.post(f"/impor/peserta/{job.pk}/keputusan/", {"keputusan": "impor"})
    return Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def test_import_invites_everyone_with_an_email_once_and_lists_the_others_with_their_phone(client, officer):
    rows = [import_row(i) for i in range(1, 5)]
    rows[3] = import_row(4, email="")
    done = import_people(client, officer, rows)
    assert done.result["invited"] == 3 and done.result["without_email"] == 1
    assert len(mail.outbox) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r["email"] for r in rows[:3])
    for message in mail.outbox:
        link_of(message)  # every link is on SITE_URL
        assert "14 hari" in message.body
    report = client.get(f"/impor/peserta/{done.pk}/").content.decode()
    assert "Undangan akun dikirim" in report

    page = client.get("/peserta/tanpa-akun/").content.decode()
    assert rows[3]["telepon"] in page and "Tanpa e-mail" in page
    assert rows[0]["nik"] not in page  # masked

    # The same file again: nobody is invited twice.
    import_people(client, officer, rows)
    assert len(mail.outbox) == 3
    # A retried sending job sends nothing again.
    assert invitations.send_invitations(list(Invitation.objects.values_list("pk", flat=True))) == 0


def test_claim_shows_what_the_office_holds_and_asks_only_for_what_is_missing(client, officer):
    row = import_row(1)
    import_people(client, officer, [row])
    path = link_of(mail.outbox[0])
    client.logout()
    page = client.get(path).content.decode()
    person = Participant.objects.get()
    assert person.full_name in page and person.masked_nik in page and row["nik"] not in page
    assert 'name="password1"' in page
    assert 'name="phone"' not in page  # the import supplied it
    assert 'name="nik"' not in page and 'name="kk"' not in page
    assert 'name="education"' in page and 'name="consent"' in page

    bad = client.post(path, {"password1": "sandi-rahasia-42", "password2": "lain-sandi-42"})
    assert "Kedua kata sandi tidak sama" in bad.content.decode()
    assert Participant.objects.get().user is None  # nothing half-saved

    response = client.post(
        path,
        {
            "password1": "sandi-rahasia-42",
            "password2": "sandi-rahasia-42",
            "education": "s1",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user is not None and person.user.email == row["email"] and person.user.is_active
    assert person.education == "s1" and person.consent_version
    assert LogEntry.objects.filter(additional_data__event="invitation_claimed").exists()
    # Single use: the same link again is refused.
    client.logout()
    again = client.get(path)
    assert again.status_code == 400 and "tidak berlaku" in again.content.decode()


def test_links_expire_after_14_days_and_a_resend_replaces_the_old_one(client, officer):
    import_people(client, officer, [import_row(1)])
    first = link_of(mail.outbox[0])
    person = Participant.objects.get()
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))  # 14 days later
    assert client.get(first).status_code == 400
    client.force_login(officer)
    client.post("/peserta/tanpa-akun/", {"participant": [person.pk]})
    assert len(mail.outbox) == 2
    second = link_of(mail.outbox[1])
    client.logout()
    assert client.get(first).status_code == 400  # replaced
    assert client.get(second).status_code == 200


def test_a_forged_or_tampered_link_is_refused(client, officer):
    import_people(client, officer, [import_row(1)])
    path = link_of(mail.outbox[0])
    client.logout()
    assert client.get(path[:-3] + "xx/").status_code == 400
    assert client.get("/daftar/undangan/1/").status_code == 400


def test_officer_of_another_region_neither_sees_nor_invites_them(client, officer):
    import_people(client, officer, [import_row(1, email="")])
    person = Participant.objects.get()
    person.email = "baru@contoh.id"
    person.save()
    other = regional_admin("64.72")
    client.force_login(other)
    assert person.full_name not in client.get("/peserta/tanpa-akun/").content.decode()
    client.post("/peserta/tanpa-akun/", {"participant": [person.pk]})
    assert not Invitation.objects.exists() and mail.outbox == []


def test_an_address_that_already_has_an_account_is_told_to_sign_in(client, officer):
    row = import_row(1)
    import_people(client, officer, [row])
    UserFactory(email=row["email"], username=row["email"])
    path = link_of(mail.outbox[0])
    client.logout()
    page = client.post(
        path,
        {
            "password1": "sandi-rahasia-42",
            "password2": "sandi-rahasia-42",
            "education": "s1",
            "consent": "on",
        },
    ).content.decode()
    assert "sudah memiliki akun" in page
    assert Participant.objects.get().user is None


def test_a_claimed_record_is_not_invited_again(officer):
    person = ParticipantFactory(user=UserFactory())
    assert invitations.invite([person.pk], actor=officer) == 0
