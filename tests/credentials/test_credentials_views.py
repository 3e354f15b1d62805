"""Public verification, issuer profile and status list, the participant's page, issuing and revoking."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from tests.factories import (
    EnrolmentFactory,
    ParticipantFactory,
    TrainingClassFactory,
    UserFactory,
    national_admin,
    provider_staff,
    regional_admin,
)

from sinergi.credentials import services
from sinergi.credentials.models import Credential
from sinergi.learning.models import Enrolment

pytestmark = pytest.mark.django_db


def completed(**kwargs):
    return EnrolmentFactory(status=Enrolment.Status.COMPLETED, completed_at=timezone.now(), **kwargs)


@pytest.fixture
def credential():
    participant = ParticipantFactory(full_name="Siti Rahmawati", user=UserFactory())
    return services.issue_credential(completed(participant=participant))


def test_the_qr_link_shows_valid_and_masks_the_name_without_login(client, credential):
    response = client.get(services.verify_path(credential))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Sertifikat sah" in body
    assert "Si** Ra*******" in body
    assert "Siti Rahmawati" not in body
    assert credential.number in body


def test_number_with_slashes_routes_to_the_verify_page(client, credential):
    assert "/" in credential.number
    assert reverse("credentials:verify_number", args=[credential.number]) == f"/verify/{credential.number}"


def test_the_number_alone_reveals_nothing_not_even_whether_it_exists(client, credential):
    existing = client.get(f"/verify/{credential.number}")
    following = credential.number.rsplit("/", 1)[0] + "/999999"
    missing = client.get(f"/verify/{following}")
    for response in (existing, missing):
        body = response.content.decode()
        assert response.status_code == 200
        assert "Masukkan kode cek" in body and "tercetak di samping kode QR" in body
        assert "Si** Ra*******" not in body and "Sertifikat sah" not in body
    pages = [
        re.sub(r"[A-Za-z0-9]{64}", "TOKEN", r.content.decode()).replace(n, "NOMOR")  # CSRF tokens differ
        for r, n in ((existing, credential.number), (missing, following))
    ]
    assert pages[0] == pages[1]  # the same page whichever number was asked


def test_a_wrong_check_code_and_an_unknown_number_get_the_same_404(client, credential):
    wrong = client.get(f"/verify/{credential.number}", {"kode": "AAAA-AAAA"})
    unknown = client.get("/verify/DTS/2026/PLG/999999", {"kode": credential.check_code})
    odd = client.get(f"/verify/{credential.number}", {"kode": "ÄÖÜ-ß½" * 50})
    for response in (wrong, unknown, odd):
        assert response.status_code == 404
        body = response.content.decode()
        assert "kode cek tidak cocok" in body and "Si** Ra*******" not in body


def test_the_check_code_is_accepted_as_typed(client, credential):
    typed = credential.check_code.replace("-", " ").lower()
    response = client.get(reverse("credentials:verify"), {"nomor": credential.number, "kode": typed})
    assert response.status_code == 302
    assert "Sertifikat sah" in client.get(response["Location"]).content.decode()


def test_search_form_redirects_to_the_number_page(client, credential):
    response = client.get(reverse("credentials:verify"), {"nomor": credential.number})
    assert response.status_code == 302
    assert response["Location"].endswith(credential.number)


def test_unknown_number_is_a_404_with_a_clear_message(client):
    response = client.get("/verify/DTS/2026/PLG/999999", {"kode": "ABCD-EFGH"})
    assert response.status_code == 404
    assert "Sertifikat tidak dikenal" in response.content.decode()
    odd = client.get(reverse("credentials:verify"), {"nomor": "DTS 2026 <script>"})
    assert odd.status_code == 404 and "Sertifikat tidak dikenal" in odd.content.decode()


def test_revoked_shows_date_and_reason(client, credential):
    services.revoke(credential, user=None, reason="Data kehadiran dipalsukan")
    body = client.get(services.verify_path(credential)).content.decode()
    assert "Sertifikat telah dicabut" in body
    assert "Data kehadiran dipalsukan" in body
    assert "Dicabut pada" in body


def upload(client, content: bytes, name="sertifikat.json"):
    return client.post(reverse("credentials:verify"), {"berkas": SimpleUploadedFile(name, content)})


def test_upload_valid_and_tampered_json(client, credential):
    assert "Sertifikat sah" in upload(client, credential.document.encode()).content.decode()
    document = credential.signed
    document["credentialSubject"]["achievement"]["name"] = "Program yang tidak pernah diikuti"
    document["credentialSubject"]["name"] = "Nama Pengganti"
    body = upload(client, json.dumps(document).encode()).content.decode()
    assert "tidak sah" in body and "dimodifikasi" in body
    assert (
        "Program yang tidak pernah diikuti" not in body and "Na** Pe*******" not in body
    )  # untrusted claims


def test_upload_garbage_names_the_field(client):
    body = upload(client, b"\xff\xfe bukan json").content.decode()
    assert "Berkas kredensial (JSON)" in body
    assert "harus berupa JSON" in body
    body = client.post(reverse("credentials:verify"), {}).content.decode()
    assert "Pilih berkas kredensial JSON" in body


@pytest.mark.parametrize(
    "content, message",
    [
        (b"[" * 100_000 + b"]" * 100_000, "bertingkat terlalu dalam"),
        (b'{"a":' * 40 + b"1" + b"}" * 40, "bertingkat terlalu dalam"),
        (b'{"n": ' + b"9" * 5000 + b"}", "angka terlalu panjang"),
        (b'{"n": 1e999}', "angka di luar jangkauan"),
        (b'{"n": NaN}', "NaN"),
    ],
    ids=["nested-100k", "nested-41", "5000-digits", "infinite", "nan"],
)
def test_odd_json_uploads_get_a_clear_message_not_a_500(client, content, message):
    response = upload(client, content)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body and "Berkas kredensial (JSON)" in body
    assert "verify-result" not in body


def test_oversized_upload_is_refused_before_it_is_read(client):
    response = upload(client, b" " * (services.MAX_CREDENTIAL_BYTES + 20 * 1024))
    assert response.status_code == 413
    assert "terlalu besar (maksimal 256 KB)" in response.content.decode()
    just_over = upload(client, b" " * (services.MAX_CREDENTIAL_BYTES + 1))  # within the envelope margin
    assert "terlalu besar (maksimal 256 KB)" in just_over.content.decode()


def test_upload_still_requires_the_csrf_token(credential):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("credentials:verify"), {"berkas": SimpleUploadedFile("c.json", credential.document.encode())}
    )
    assert response.status_code == 403


def test_verification_is_rate_limited(client):
    statuses = [client.get("/verify/DTS/2026/XXX/000001?kode=ABCD-EFGH").status_code for _ in range(61)]
    assert statuses[:60] == [404] * 60
    assert statuses[60] == 429


def test_issuer_profile_and_status_list_are_public_json(client, credential):
    profile = client.get(reverse("credentials:issuer_profile", args=[credential.issuer_id])).json()
    assert profile["verificationMethod"][0]["publicKeyMultibase"] == credential.issuer.public_key_multibase
    status_list = client.get(reverse("credentials:status_list", args=[credential.issuer_id])).json()
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credential.signed["credentialStatus"]["statusListCredential"].endswith(
        reverse("credentials:status_list", args=[credential.issuer_id])
    )


def test_holder_is_notified_once(credential):
    from sinergi.core.models import Notification

    user = credential.enrolment.participant.user
    services.issue_credential(credential.enrolment)  # idempotent: no second notification
    notes = Notification.objects.filter(user=user)
    assert [n.title for n in notes] == ["Sertifikat Anda telah terbit"]
    assert credential.number in notes[0].body and notes[0].url == reverse("credentials:mine")


def test_participant_sees_only_their_own_certificates_and_downloads_them(client, credential):
    other = services.issue_credential(completed(participant=ParticipantFactory(user=UserFactory())))
    client.force_login(credential.enrolment.participant.user)
    body = client.get(reverse("credentials:mine")).content.decode()
    assert credential.number in body and other.number not in body
    pdf = client.get(reverse("credentials:pdf", args=[credential.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    download = client.get(reverse("credentials:json", args=[credential.pk]))
    assert download.json()["id"] == credential.signed["id"]
    for response in (pdf, download):
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert client.get(reverse("credentials:pdf", args=[other.pk])).status_code == 404
    assert client.get(reverse("credentials:json", args=[other.pk])).status_code == 404


def test_wallet_link_serves_the_json_without_a_session(client, credential):
    client.force_login(credential.enrolment.participant.user)
    body = client.get(reverse("credentials:mine")).content.decode()
    marker = "/sertifikat/dompet/"
    start = body.index(marker)
    link = body[start : body.index('"', start)]
    client.logout()
    served = client.get(link)
    assert served.json()["id"] == credential.signed["id"] and "no-store" in served["Cache-Control"]
    assert client.get(marker + "palsu/").status_code == 404


def test_provider_staff_issues_a_class_in_bulk_and_revokes(client, django_capture_on_commit_callbacks):
    staff = provider_staff("16.71")
    training_class = TrainingClassFactory(provider=staff.organization)
    for _ in range(3):
        completed(training_class=training_class)
    client.force_login(staff)
    url = reverse("credentials:class", args=[training_class.pk])
    assert "3 peserta siap" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"jenis": "completion"})
    assert response.status_code == 200
    assert "<progress" in response.content.decode()
    assert Credential.objects.filter(enrolment__training_class=training_class).count() == 3
    credential = Credential.objects.first()
    revoke_url = reverse("credentials:revoke", args=[credential.pk])
    assert "Alasan pencabutan" in client.post(revoke_url, {"alasan": ""}).content.decode()
    # The first step only asks for confirmation; nothing is revoked yet.
    ask = client.post(revoke_url, {"tindakan": "cabut", "alasan": "Peserta tidak memenuhi syarat"})
    assert ask.status_code == 200 and "Cabut sertifikat ini?" in ask.content.decode()
    assert "Ya, cabut sertifikat" in ask.content.decode()
    credential.refresh_from_db()
    assert credential.revoked_at is None
    confirmed = {"tindakan": "cabut", "alasan": "Peserta tidak memenuhi syarat", "konfirmasi": "ya"}
    assert client.post(revoke_url, confirmed).status_code == 302
    credential.refresh_from_db()
    assert credential.revoked_by == staff and credential.revocation_reason == "Peserta tidak memenuhi syarat"


def test_provider_staff_issues_one_certificate(client):
    staff = provider_staff("16.71")
    training_class = TrainingClassFactory(provider=staff.organization)
    enrolment = completed(training_class=training_class)
    pending = EnrolmentFactory(training_class=training_class)
    client.force_login(staff)
    url = reverse("credentials:class", args=[training_class.pk])
    body = client.post(url, {"enrolment": enrolment.pk, "jenis": "completion"}, follow=True).content.decode()
    assert "diterbitkan" in body
    assert Credential.objects.get().enrolment == enrolment
    body = client.post(url, {"enrolment": pending.pk, "jenis": "completion"}, follow=True).content.decode()
    assert "belum dinyatakan lulus" in body
    outsider = completed()
    assert client.post(url, {"enrolment": outsider.pk, "jenis": "completion"}).status_code == 404


def test_other_regions_and_participants_get_404(client, credential):
    outsider = regional_admin("64.72")
    client.force_login(outsider)
    assert client.get(reverse("credentials:detail", args=[credential.pk])).status_code == 404
    assert (
        client.post(reverse("credentials:revoke", args=[credential.pk]), {"alasan": "coba-coba"}).status_code
        == 404
    )
    training_class = credential.enrolment.training_class
    assert client.get(reverse("credentials:class", args=[training_class.pk])).status_code == 404
    client.force_login(credential.enrolment.participant.user)
    assert (
        client.post(
            reverse("credentials:revoke", args=[credential.pk]), {"alasan": "saya sendiri"}
        ).status_code
        == 403  # a participant's role may never revoke (core.access)
    )
    assert Credential.objects.get(pk=credential.pk).revoked_at is None


def test_regional_and_national_admins_see_their_certificates(client, credential):
    client.force_login(regional_admin("16.71"))
    assert credential.number in client.get(reverse("credentials:manage")).content.decode()
    client.force_login(national_admin())
    assert client.get(reverse("credentials:detail", args=[credential.pk])).status_code == 200


def test_the_officers_list_takes_the_same_queries_for_3_or_30_certificates(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = regional_admin("16.71")
    training_class = TrainingClassFactory()
    client.force_login(admin)
    counts = []
    for n in (3, 30):
        while Credential.objects.count() < n:
            services.issue_credential(completed(training_class=training_class))
        with CaptureQueriesContext(connection) as queries:
            body = client.get(reverse("credentials:manage"), {"q": "SRT"}).content.decode()
        counts.append(len(queries))
        assert body.count("/sertifikat/") >= min(n, 25)
    assert counts[0] == counts[1]


def test_a_tampered_upload_is_reported_in_the_readers_language(client, credential):
    # The signing engine names the fault in Indonesian; the verify page translates it for English readers.
    document = credential.signed
    document["credentialSubject"]["name"] = "Orang Lain"
    upload = json.dumps(document).encode()

    def verify():
        response = client.post(
            reverse("credentials:verify"), {"berkas": SimpleUploadedFile("c.json", upload)}
        )
        return response.content.decode()

    assert "Tanda tangan tidak cocok: kredensial telah dimodifikasi." in verify()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = verify()
    assert "The signature does not match: the credential has been modified." in html
    assert "dimodifikasi" not in html
