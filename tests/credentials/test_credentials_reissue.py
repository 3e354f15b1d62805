"""The provider's certificate flows: a certificate waits for the completion (and the page says why),
revocation is confirmed before it happens, a correction re-issues under a new number linked to the old
one with the holder told once, and the PDF downloads under a safe name made from the number."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from tests.factories import (
    ClassSessionFactory,
    EnrolmentFactory,
    ParticipantFactory,
    TrainingClassFactory,
    UserFactory,
    provider_staff,
)

from sinergi.core.models import Notification
from sinergi.credentials import services
from sinergi.credentials.models import Credential
from sinergi.learning.models import Attendance, Enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _jobs_run_on_commit(django_capture_on_commit_callbacks, monkeypatch):
    """Each request's e-mails go out when it commits, as in production."""
    from django.test import Client

    original = Client.request

    def request(self, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)


@pytest.fixture
def staff():
    return provider_staff("16.71")


def issued(staff, name="Siti Rahmawati"):
    training_class = TrainingClassFactory(provider=staff.organization)
    participant = ParticipantFactory(full_name=name, user=UserFactory())
    enrolment = EnrolmentFactory(
        training_class=training_class,
        participant=participant,
        status=Enrolment.Status.COMPLETED,
        completed_at=timezone.now(),
    )
    from django.db import connection

    credential = services.issue_credential(enrolment, user=staff)
    for _sids, callback, _robust in connection.run_on_commit:
        callback()  # its "issued" e-mail goes out now, as after the issuing request's commit
    connection.run_on_commit.clear()
    return credential


def post_revoke(client, credential, **data):
    return client.post(reverse("credentials:revoke", args=[credential.pk]), data, follow=True)


def test_the_class_page_says_why_a_participant_has_no_certificate_yet(client, staff):
    today = timezone.localdate()
    running = TrainingClassFactory(
        provider=staff.organization,
        starts_on=today - dt.timedelta(days=14),
        ends_on=today + dt.timedelta(days=7),
        hours=8,
    )
    sessions = [
        ClassSessionFactory(training_class=running, number=n, date=today - dt.timedelta(days=n))
        for n in (1, 2)
    ]
    eager = EnrolmentFactory(
        training_class=running, participant=ParticipantFactory(full_name="Rina Wulandari")
    )
    weak = EnrolmentFactory(training_class=running, participant=ParticipantFactory(full_name="Budi Santoso"))
    for session in sessions:
        Attendance.objects.create(session=session, enrolment=eager, present=True, method="checklist")
    client.force_login(staff)
    page = client.get(reverse("credentials:class", args=[running.pk])).content.decode()
    ends = running.ends_on.strftime("%d/%m/%Y")
    assert (
        "Rina Wulandari: Memenuhi syarat kelulusan; sertifikat dapat terbit setelah kelas berakhir "
        f"pada {ends}" in page
    )
    assert "Budi Santoso: Peserta belum dinyatakan lulus: Kehadiran 0 % dari minimal 80 %" in page
    refused = client.post(
        reverse("credentials:class", args=[running.pk]),
        {"enrolment": eager.pk, "jenis": "completion"},
        follow=True,
    )
    assert "setelah kelas berakhir" in refused.content.decode()
    assert not Credential.objects.exists()
    assert weak.status == Enrolment.Status.ACTIVE


def test_revocation_asks_for_confirmation_and_then_tells_the_holder_with_the_reason(client, staff):
    credential = issued(staff)
    client.force_login(staff)
    detail = client.get(reverse("credentials:detail", args=[credential.pk])).content.decode()
    assert "Anda diminta mengonfirmasi pada langkah berikutnya" in detail
    ask = post_revoke(client, credential, tindakan="cabut", alasan="Nilai akhir salah input")
    html = ask.content.decode()
    assert "Cabut sertifikat ini?" in html and "Nilai akhir salah input" in html and credential.number in html
    credential.refresh_from_db()
    assert credential.revoked_at is None  # not yet
    mail.outbox.clear()
    post_revoke(client, credential, tindakan="cabut", alasan="Nilai akhir salah input", konfirmasi="ya")
    credential.refresh_from_db()
    assert credential.revoked_at and credential.revocation_reason == "Nilai akhir salah input"
    [message] = mail.outbox
    assert "dicabut" in message.subject and "Nilai akhir salah input" in message.body


def test_a_correction_reissues_under_a_new_number_linked_to_the_old_and_tells_the_holder_once(
    client, staff, settings
):
    settings.SITE_URL = "https://sinergi.contoh.go.id"
    old = issued(staff)
    client.force_login(staff)
    data = {"tindakan": "terbitkan-ulang", "alasan": "Nama peserta salah eja"}
    assert "Ya, cabut dan terbitkan ulang" in post_revoke(client, old, **data).content.decode()
    mail.outbox.clear()
    done = post_revoke(client, old, **data, konfirmasi="ya")
    old.refresh_from_db()
    new = Credential.objects.get(replaces=old)
    assert old.revoked_at and old.revocation_reason == "Nama peserta salah eja"
    assert new.number != old.number and new.enrolment_id == old.enrolment_id and not new.is_revoked
    html = done.content.decode()
    assert f"dicabut dan diterbitkan ulang dengan nomor {new.number}" in html
    assert "Menggantikan sertifikat" in html and old.number in html
    # One message naming both numbers, with the new verify link on the public address.
    [message] = mail.outbox
    assert old.number in message.body and new.number in message.body
    assert "Nama peserta salah eja" in message.body
    assert services.verify_url(new) in message.body and services.verify_url(new).startswith(
        "https://sinergi.contoh.go.id/verify/"
    )
    assert Notification.objects.filter(user=new.enrolment.participant.user).count() == 2  # issued, re-issued
    # The old page points to the new one and offers no second re-issue.
    page = client.get(reverse("credentials:detail", args=[old.pk])).content.decode()
    assert "Diterbitkan ulang sebagai" in page and new.number in page and "Terbitkan ulang" not in page
    with pytest.raises(services.IssuingError, match="sudah diterbitkan ulang"):
        services.reissue(old, user=staff, reason="sekali lagi")


def test_a_revoked_certificate_can_be_reissued_later_when_it_was_a_correction(client, staff):
    old = issued(staff)
    services.revoke(old, user=staff, reason="Kelas tertukar")
    client.force_login(staff)
    page = client.get(reverse("credentials:detail", args=[old.pk])).content.decode()
    assert "Terbitkan ulang" in page
    post_revoke(client, old, tindakan="terbitkan-ulang", alasan="Kelas sudah dibetulkan", konfirmasi="ya")
    assert Credential.objects.get(replaces=old).revoked_at is None
    # Bulk issuing never brings a revoked certificate back by itself.
    fraud = issued(staff, name="Andi Pratama")
    services.revoke(fraud, user=staff, reason="Kecurangan saat ujian")
    result = services.issue_for_class(fraud.enrolment.training_class, user=staff)
    assert result.issued == 0 and not Credential.objects.filter(replaces=fraud).exists()


def test_reissue_needs_a_reason(staff):
    credential = issued(staff)
    with pytest.raises(services.IssuingError, match="wajib diisi"):
        services.reissue(credential, user=staff, reason=" ")
    credential.refresh_from_db()
    assert credential.revoked_at is None


def test_the_pdf_is_named_after_the_number_with_safe_characters(client, staff):
    credential = issued(staff)
    Credential.objects.filter(pk=credential.pk).update(number='DTS/2026/PLG "A"/ö 7')
    client.force_login(credential.enrolment.participant.user)
    response = client.get(reverse("credentials:pdf", args=[credential.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="sertifikat-DTS-2026-PLG-A-7.pdf"'
    json_file = client.get(reverse("credentials:json", args=[credential.pk]))
    assert json_file["Content-Disposition"] == 'attachment; filename="sertifikat-DTS-2026-PLG-A-7.json"'
