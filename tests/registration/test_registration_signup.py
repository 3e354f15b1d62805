"""Sign-up with e-mail verification, the profile with NIK checks, one account per NIK, own data."""

import json
import re
from datetime import date

import pytest
from django.core import mail, signing
from django.urls import reverse
from tests.factories import ParticipantFactory, UserFactory

from sinergi.accounts.models import User
from sinergi.registration.models import Participant
from sinergi.registration.nik import compose_nik
from sinergi.registration.services import VERIFY_SALT

pytestmark = pytest.mark.django_db

PASSWORD = "Pelatihan-Digital-2026"
NIK = compose_nik("16.71.01", date(1998, 5, 17), "P", 12)  # a woman from Palembang


def sign_up(client, email="siti@contoh.id"):
    return client.post(
        reverse("registration:signup"),
        {"full_name": "Siti Rahmawati", "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def verification_link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def verified_client(client, email="siti@contoh.id"):
    sign_up(client, email)
    link = verification_link(mail.outbox[-1])
    client.get(link[link.index("/daftar/") :])
    return client


def profile_data(**changes):
    data = {
        "nik": NIK,
        "kk": "1671010101100003",
        "full_name": "Siti Rahmawati",
        "birth_date": "1998-05-17",
        "sex": "P",
        "phone": "081234567890",
        "domicile": "16.71",
        "education": "s1",
        "category": "umum",
        "nip": "",
        "consent": "on",
    }
    data.update(changes)
    return data


def test_signup_sends_a_link_that_activates_and_signs_in(client):
    response = sign_up(client)
    assert response.status_code == 302
    user = User.objects.get(email="siti@contoh.id")
    assert not user.is_active and user.role == "participant"
    assert len(mail.outbox) == 1
    link = verification_link(mail.outbox[0])
    response = client.get(link[link.index("/daftar/") :])
    assert response.status_code == 302 and response.url == reverse("registration:profile")
    user.refresh_from_db()
    assert user.is_active
    assert client.get(reverse("registration:profile")).status_code == 200


def test_unverified_account_cannot_log_in(client):
    sign_up(client)
    response = client.post(reverse("login"), {"username": "siti@contoh.id", "password": PASSWORD})
    assert response.status_code == 200  # the form again, not a redirect


def test_tampered_or_expired_link_is_refused(client, settings):
    sign_up(client)
    response = client.get(reverse("registration:verify_email", args=["bukan-tautan"]))
    assert response.status_code == 400
    assert "Tautan konfirmasi tidak valid" in response.content.decode()
    user = User.objects.get(email="siti@contoh.id")
    old = signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFY_SALT, compress=True)
    from unittest import mock

    with mock.patch("django.core.signing.time.time", return_value=10**10):
        response = client.get(reverse("registration:verify_email", args=[old]))
    assert "kedaluwarsa" in response.content.decode()


def test_signup_with_a_taken_address_or_weak_password(client):
    UserFactory(email="ada@contoh.id")
    body = sign_up(client, "ada@contoh.id").content.decode()
    assert "sudah punya akun" in body
    response = client.post(
        reverse("registration:signup"),
        {"full_name": "A", "email": "baru@contoh.id", "password1": "12345678901", "password2": "12345678901"},
    )
    assert "password1" in response.context["form"].errors


def test_signup_is_rate_limited(client):
    for i in range(10):
        sign_up(client, f"orang{i}@contoh.id")
    assert sign_up(client, "orang-lagi@contoh.id").status_code in (403, 429)


def test_bad_nik_gets_the_precise_message_and_nothing_is_saved(client):
    verified_client(client)
    response = client.post(reverse("registration:profile"), profile_data(birth_date="1998-05-18"))
    body = response.content.decode()
    assert (
        "Tanggal lahir pada NIK (17-05-1998) tidak sama dengan tanggal lahir yang diisi (18-05-1998)." in body
    )
    response = client.post(reverse("registration:profile"), profile_data(sex="L"))
    assert "kode perempuan" in response.content.decode()
    response = client.post(reverse("registration:profile"), profile_data(nik="1671991705980001", sex="L"))
    assert "Kode kecamatan pada NIK (16.71.99) tidak terdaftar" in response.content.decode()
    assert not Participant.objects.exists()


def test_profile_saved_with_consent_and_masked_nik(client, settings):
    verified_client(client)
    response = client.post(reverse("registration:profile"), profile_data())
    assert response.status_code == 302
    participant = Participant.objects.get()
    assert participant.nik == NIK and participant.nik_encrypted != NIK
    assert participant.consent_version == settings.PRIVACY_NOTICE_VERSION and participant.consented_at
    body = client.get(reverse("registration:profile")).content.decode()
    assert NIK not in body and participant.masked_nik in body
    body = client.get(reverse("registration:my_data")).content.decode()
    assert NIK not in body and participant.masked_nik in body


def test_consent_is_required(client):
    verified_client(client)
    data = profile_data()
    del data["consent"]
    response = client.post(reverse("registration:profile"), data)
    assert "Centang persetujuan pemberitahuan privasi" in response.content.decode()
    assert not Participant.objects.exists()


def test_editing_keeps_the_stored_nik_when_left_blank(client):
    verified_client(client)
    client.post(reverse("registration:profile"), profile_data())
    response = client.post(reverse("registration:profile"), profile_data(nik="", kk="", phone="081299998888"))
    assert response.status_code == 302
    participant = Participant.objects.get()
    assert participant.nik == NIK and participant.phone == "081299998888"
    # ... and still checks it against a changed birth date.
    response = client.post(
        reverse("registration:profile"), profile_data(nik="", kk="", birth_date="1999-05-17")
    )
    assert "tidak sama dengan tanggal lahir yang diisi (17-05-1999)" in response.content.decode()


def test_one_account_per_nik_without_saying_whose(client):
    other = ParticipantFactory(nik=NIK, full_name="Orang Lain Sekali", birth_date=date(1998, 5, 17), sex="P")
    verified_client(client)
    response = client.post(reverse("registration:profile"), profile_data())
    body = response.content.decode()
    assert "NIK ini sudah terdaftar pada akun lain" in body
    assert other.full_name not in body and other.email not in body
    assert Participant.objects.count() == 1


def test_imported_record_with_the_same_email_is_claimed(client):
    imported = ParticipantFactory(
        nik=NIK, birth_date=date(1998, 5, 17), sex="P", email="siti@contoh.id", user=None
    )
    verified_client(client)
    assert client.post(reverse("registration:profile"), profile_data()).status_code == 302
    imported.refresh_from_db()
    assert imported.user.email == "siti@contoh.id" and Participant.objects.count() == 1


def test_asn_needs_a_consistent_nip(client):
    verified_client(client)
    response = client.post(reverse("registration:profile"), profile_data(category="asn"))
    assert "NIP wajib diisi untuk peserta kategori ASN." in response.content.decode()
    response = client.post(
        reverse("registration:profile"), profile_data(category="asn", nip="199805172020121001")
    )
    assert "Digit ke-15 NIP (1) menandakan laki-laki" in response.content.decode()
    response = client.post(
        reverse("registration:profile"), profile_data(category="asn", nip="199805172020122001")
    )
    assert response.status_code == 302


def test_export_own_data_as_json(client):
    verified_client(client)
    client.post(reverse("registration:profile"), profile_data())
    response = client.get(reverse("registration:my_data") + "?format=json")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["nik"] == NIK and data["domisili"]["nama"] == "Kota Palembang"
    assert data["persetujuan_privasi"]["versi"]


def test_domicile_search_narrows_the_list(client):
    verified_client(client)
    response = client.get(
        reverse("registration:profile") + "?domisili_cari=Palembang", HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert 'value="16.71"' in body and "Kota Samarinda" not in body


def test_staff_have_no_participant_pages(client):
    from tests.factories import regional_admin

    client.force_login(regional_admin("16.71"))
    assert client.get(reverse("registration:profile")).status_code == 404


def test_privacy_notice_is_public(client, settings):
    body = client.get(reverse("registration:privacy")).content.decode()
    assert settings.PRIVACY_NOTICE_VERSION in body


def test_a_name_that_a_spreadsheet_would_run_is_refused():
    from sinergi.registration.forms import SignupForm

    for name in ("=1+1", "+62 812", "@cmd", "-Budi", "Budi\x00"):
        form = SignupForm(
            data={
                "full_name": name,
                "email": "a@contoh.id",
                "password1": "x7#Kq!mZ2p",
                "password2": "x7#Kq!mZ2p",
            }
        )
        assert not form.is_valid() and "full_name" in form.errors, name
    assert SignupForm(
        data={
            "full_name": "Budi-Santoso",
            "email": "a@contoh.id",
            "password1": "x7#Kq!mZ2p",
            "password2": "x7#Kq!mZ2p",
        }
    ).is_valid()
