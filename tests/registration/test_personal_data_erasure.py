"""Erasure on request: asked by the participant with a confirmation, decided by an officer of their
region within the legal period, pseudonymising for good while certificates stay valid; audited."""

import datetime as dt
import json

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from tests.factories import (
    ParticipantFactory,
    TrainingClassFactory,
    UserFactory,
    apply_to,
    credential_in,
    regional_admin,
)

from sinergi.accounts.models import Role
from sinergi.core import pii
from sinergi.credentials import services as credentials
from sinergi.registration.models import ErasureRequest, Participant

pytestmark = pytest.mark.django_db
NAME = "Dewi Kartika Lestari"


def citizen(**kwargs) -> Participant:
    user = UserFactory(role=Role.PARTICIPANT, email="dewi.kartika@contoh.id", first_name="Dewi")
    return ParticipantFactory(
        full_name=NAME, user=user, email="dewi.kartika@contoh.id", phone="081234567890", **kwargs
    )


def ask(client, person):
    client.force_login(person.user)
    return client.post(reverse("registration:erasure_request"), {"konfirmasi": "ya"})


def test_the_request_needs_the_confirmation_and_shows_its_deadline(client):
    person = citizen()
    client.force_login(person.user)
    response = client.post(reverse("registration:erasure_request"), {})
    assert response.status_code == 400 and "Konfirmasi" in response.content.decode()
    assert not ErasureRequest.objects.exists()

    assert ask(client, person).status_code == 302
    ask(client, person)  # a second click finds the first request
    (request,) = ErasureRequest.objects.all()
    assert request.status == "pending" and request.due_at - request.requested_at == dt.timedelta(hours=72)
    page = client.get(reverse("registration:my_data")).content.decode()
    assert (
        "Menunggu keputusan" in page and timezone.localtime(request.due_at).strftime("%d-%m-%Y %H:%M") in page
    )


def test_officers_of_the_region_see_pending_requests_others_do_not(client):
    person = citizen()
    ask(client, person)
    request = ErasureRequest.objects.get()
    client.force_login(regional_admin("16.71"))
    page = client.get(reverse("registration:erasure_list")).content.decode()
    assert NAME in page and timezone.localtime(request.due_at).strftime("%d-%m-%Y %H:%M") in page

    client.force_login(regional_admin("64.72"))
    assert NAME not in client.get(reverse("registration:erasure_list")).content.decode()
    response = client.post(
        reverse("registration:erasure_decide", args=[request.pk]), {"keputusan": "setujui"}
    )
    assert response.status_code == 404
    assert ErasureRequest.objects.get().status == "pending"


def test_a_refusal_needs_a_reason_the_participant_reads_and_stays_decided(client):
    person = citizen()
    ask(client, person)
    request = ErasureRequest.objects.get()
    client.force_login(regional_admin("16.71"))
    url = reverse("registration:erasure_decide", args=[request.pk])
    response = client.post(url, {"keputusan": "tolak", "alasan": " "})
    assert response.status_code == 400 and "Alasan" in response.content.decode()
    assert (
        client.post(url, {"keputusan": "tolak", "alasan": "Masih dalam masa pelatihan."}).status_code == 302
    )
    response = client.post(url, {"keputusan": "setujui"})
    assert response.status_code == 400 and "tidak dapat diubah" in response.content.decode()
    person.refresh_from_db()
    assert person.erased_at is None and person.full_name == NAME

    client.force_login(person.user)
    page = client.get(reverse("registration:my_data")).content.decode()
    assert "Ditolak" in page and "Masih dalam masa pelatihan." in page


def test_approval_pseudonymises_for_good_keeps_aggregates_and_the_certificate_valid(client):
    training_class = TrainingClassFactory()
    credential = credential_in(training_class)
    person = credential.enrolment.participant
    person.user = UserFactory(role=Role.PARTICIPANT, email="dewi.kartika@contoh.id", first_name="Dewi")
    person.full_name, person.phone, person.nip = NAME, "081234567890", "199805172020121001"
    person.save()
    credential.holder_name = NAME
    credential.save()
    nik, born, domicile, sex = person.nik, person.birth_date, person.domicile_id, person.sex
    application = apply_to(person, [training_class])
    before = credentials.check_number(credential.number, credential.check_code)
    assert before.status == credentials.VALID
    identity = credential.signed["credentialSubject"]["identifier"]
    ask(client, person)
    officer = regional_admin(training_class.region.code)
    client.force_login(officer)
    request = ErasureRequest.objects.get()
    response = client.post(
        reverse("registration:erasure_decide", args=[request.pk]), {"keputusan": "setujui"}
    )
    assert response.status_code == 302

    person.refresh_from_db()
    assert person.erased_at is not None and person.full_name.startswith("Peserta terhapus")
    assert (person.nik_encrypted, person.kk_encrypted, person.nip, person.phone, person.email) == ("",) * 5
    assert not Participant.objects.filter(nik_hash=pii.keyed_hash(nik)).exists()  # the NIK finds no one
    assert (person.birth_date.year, person.domicile_id, person.sex) == (born.year, domicile, sex)
    assert person.applications.get() == application
    person.user.refresh_from_db()
    assert not person.user.is_active and "dewi" not in person.user.email
    assert not person.user.has_usable_password()

    credential.refresh_from_db()
    assert NAME not in credential.document and credential.holder_name == person.full_name
    assert credential.signed["credentialSubject"]["identifier"] == identity  # the name hash stays
    assert credentials.check_number(credential.number, credential.check_code).status == credentials.VALID

    trail = json.dumps([(e.object_repr, e.changes, e.changes_text) for e in LogEntry.objects.all()])
    for secret in (NAME, "081234567890", "dewi.kartika@contoh.id", nik, born.isoformat()):
        assert secret not in trail
    decision = LogEntry.objects.filter(additional_data__operasi="keputusan penghapusan data pribadi").get()
    assert decision.actor == officer and decision.changes["status"] == ["pending", "approved"]

    client.force_login(officer)  # cannot be undone: the request is decided and there is no way back
    response = client.post(reverse("registration:erasure_decide", args=[request.pk]), {"keputusan": "tolak"})
    assert response.status_code == 400


def test_the_holders_own_file_still_verifies_after_erasure(client):
    credential = credential_in(TrainingClassFactory())
    original = credential.signed
    person = credential.enrolment.participant
    person.user = UserFactory(role=Role.PARTICIPANT)
    person.save()
    ask(client, person)
    client.force_login(regional_admin(credential.enrolment.training_class.region.code))
    client.post(
        reverse("registration:erasure_decide", args=[ErasureRequest.objects.get().pk]),
        {"keputusan": "setujui"},
    )
    assert credentials.check_document(original).status == credentials.VALID
