"""Sign-up with e-mail confirmation, the profile with NIK checks, one account per NIK, own data."""

import datetime as dt
import json
import re
from datetime import date
from unittest import mock

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.test import Client
from django.urls import reverse
from tests.factories import ParticipantFactory, UserFactory

from sinergi.accounts.models import User
from sinergi.accounts.tokens import EmailConfirmationTokenGenerator
from sinergi.registration.models import Participant
from sinergi.registration.nik import compose_nik

pytestmark = pytest.mark.django_db

PASSWORD = "Pelatihan-Digital-2026"
NIK = compose_nik("16.71.01", date(1998, 5, 17), "P", 12)  # a woman from Palembang


def sign_up(client, email="siti@contoh.id", password=PASSWORD, full_name="Siti Rahmawati"):
    return client.post(
        reverse("registration:signup"),
        {"full_name": full_name, "email": email, "password1": password, "password2": password},
    )


def link_path(message, marker="/daftar/konfirmasi/") -> str:
    link = next(word for word in re.findall(r"https?://\S+", message.body) if marker in word)
    return link[link.index(marker) :]


def log_in(client, email="siti@contoh.id", password=PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


def verified_client(client, email="siti@contoh.id"):
    sign_up(client, email)
    client.get(link_path(mail.outbox[-1]))
    assert log_in(client, email).status_code == 302
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


def test_signup_sends_a_link_that_activates_the_account_for_its_password(client):
    response = sign_up(client)
    assert response.status_code == 302
    user = User.objects.get(email="siti@contoh.id")
    assert not user.is_active and user.role == "participant"
    assert len(mail.outbox) == 1
    response = client.get(link_path(mail.outbox[0]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    user.refresh_from_db()
    assert user.is_active and user.email_confirmed_at is not None
    # The link confirms the address but signs nobody in: the password does, and only the one chosen.
    assert client.get(reverse("registration:profile")).status_code == 302
    refused = log_in(client, password="Bukan-Sandinya-2026")
    assert refused.status_code == 200 and refused.context["form"].errors
    assert "_auth_user_id" not in client.session
    assert log_in(client).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("registration:profile")).status_code == 200


def test_unverified_account_cannot_log_in(client):
    sign_up(client)
    assert User.objects.get(email="siti@contoh.id").check_password(PASSWORD)
    response = log_in(client)
    assert response.status_code == 200 and response.context["form"].errors  # the form again
    assert "_auth_user_id" not in client.session
    # The very same credentials work once the address is confirmed: only the confirmation was missing.
    client.get(link_path(mail.outbox[0]))
    assert log_in(client).status_code == 302


def test_confirmation_link_works_once(client):
    sign_up(client)
    path = link_path(mail.outbox[0])
    assert client.get(path).status_code == 302
    again = client.get(path)
    assert again.status_code == 400 and "sudah pernah dipakai" in again.content.decode()


def test_tampered_or_expired_link_is_refused(client):
    sign_up(client)
    path = link_path(mail.outbox[0])
    response = client.get(path[:-3] + "abc/")
    assert response.status_code == 400
    assert "Tautan konfirmasi tidak berlaku" in response.content.decode()
    four_days_later = dt.datetime.now() + dt.timedelta(days=4)
    with mock.patch.object(EmailConfirmationTokenGenerator, "_now", return_value=four_days_later):
        response = client.get(path)
    assert response.status_code == 400 and "lebih dari 3 hari" in response.content.decode()
    assert not User.objects.get(email="siti@contoh.id").is_active


def test_confirmation_link_dies_with_a_password_change(client):
    sign_up(client)
    user = User.objects.get(email="siti@contoh.id")
    user.set_password("Kata-Sandi-Lain-2026")
    user.save()
    assert client.get(link_path(mail.outbox[0])).status_code == 400
    user.refresh_from_db()
    assert not user.is_active


def test_second_signup_never_changes_a_pending_account(client):
    """Pre-hijack: the owner signs up, someone else signs up again with the owner's address before the
    owner opens the link. The owner's link must not hand the account over with the other password."""
    sign_up(client)
    sign_up(Client(), password="Punya-Penyerang-2026", full_name="Penyerang")
    user = User.objects.get(email="siti@contoh.id")
    assert user.check_password(PASSWORD) and user.get_full_name() == "Siti Rahmawati"
    assert client.get(link_path(mail.outbox[0])).status_code == 302
    assert log_in(Client(), password="Punya-Penyerang-2026").status_code == 200
    assert log_in(Client()).status_code == 302


def test_signup_does_not_reveal_which_addresses_have_accounts(client):
    UserFactory(email="ada@contoh.id", first_name="Ada")
    other = Client()
    known, unknown = sign_up(client, "ada@contoh.id"), sign_up(other, "baru@contoh.id")
    assert known.status_code == unknown.status_code == 302 and known.url == unknown.url

    def page(who, address):  # the page without the address typed and the CSRF tokens
        html = who.get(known.url).content.decode().replace(address, "@")
        return re.sub(r'(value="|"X-CSRFToken": ")[^"]+"', "", html)

    assert page(client, "ada@contoh.id") == page(other, "baru@contoh.id")
    # One e-mail each: the owner of the registered address is told; nothing about the account changed.
    assert [m.to for m in mail.outbox] == [["ada@contoh.id"], ["baru@contoh.id"]]
    assert "sudah memiliki akun" in mail.outbox[0].body
    owner = User.objects.get(email="ada@contoh.id")
    assert owner.is_active and owner.first_name == "Ada" and not owner.check_password(PASSWORD)
    response = client.post(
        reverse("registration:signup"),
        {"full_name": "A", "email": "lain@contoh.id", "password1": "12345678901", "password2": "12345678901"},
    )
    assert "password1" in response.context["form"].errors


def test_owner_takes_a_pending_account_back_with_the_link_in_the_notice(client):
    sign_up(Client(), password="Punya-Penyerang-2026", full_name="Penyerang")  # the attacker goes first
    sign_up(client)  # the owner: told by e-mail that the address has an account
    notice = mail.outbox[1]
    form_page = client.get(link_path(notice, "/akun/atur-sandi/"), follow=True)
    new = "Sandi-Pemilik-Asli-2026"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    user = User.objects.get(email="siti@contoh.id")
    assert user.is_active and user.email_confirmed_at is not None
    assert log_in(Client(), password="Punya-Penyerang-2026").status_code == 200
    assert log_in(Client(), password=new).status_code == 302
    # The attacker's confirmation link (sent to the owner) died with the password change.
    assert client.get(link_path(mail.outbox[0])).status_code == 400


def test_password_reset_and_resend_answer_alike_and_mail_only_real_owners(client):
    sign_up(client, "tunggu@contoh.id")
    UserFactory(email="aktif@contoh.id")
    switched_off = UserFactory(
        email="nonaktif@contoh.id", is_active=False, email_confirmed_at=dt.datetime.now(dt.UTC)
    )
    mail.outbox.clear()
    answers = {
        address: (
            client.post(reverse("password_reset"), {"email": address}).url,
            client.post(reverse("registration:resend_verification"), {"email": address}).url,
        )
        for address in ("tunggu@contoh.id", "aktif@contoh.id", "nonaktif@contoh.id", "tidak-ada@contoh.id")
    }
    assert len(set(answers.values())) == 1
    sent = sorted((m.to[0], "/daftar/konfirmasi/" in m.body) for m in mail.outbox)
    # The pending sign-up gets a reset link (which also confirms it) and a new confirmation link; the
    # active account a reset link; the switched-off account and the unknown address nothing.
    assert sent == [("aktif@contoh.id", False), ("tunggu@contoh.id", False), ("tunggu@contoh.id", True)]
    switched_off.refresh_from_db()
    assert not switched_off.is_active


def test_signup_is_rate_limited_with_the_429_page(client):
    for i in range(10):
        sign_up(client, f"orang{i}@contoh.id")
    response = sign_up(client, "orang-lagi@contoh.id")
    assert response.status_code == 429
    assert "Terlalu banyak permintaan" in response.content.decode()
    assert not User.objects.filter(email="orang-lagi@contoh.id").exists()


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


def test_saved_nik_is_masked_read_only_and_changes_only_through_an_officer(client):
    verified_client(client)
    client.post(reverse("registration:profile"), profile_data())
    participant = Participant.objects.get()
    body = client.get(reverse("registration:profile")).content.decode()
    nik_input = re.search(r'<input[^>]*name="nik"[^>]*>', body).group(0)
    assert "disabled" in nik_input and participant.masked_nik in nik_input and NIK not in body
    assert "hubungi admin daerah" in body and "pengajuan koreksi" in body
    # Another valid NIK for the same person (another serial) posted anyway is ignored.
    other_nik = compose_nik("16.71.01", date(1998, 5, 17), "P", 13)
    response = client.post(reverse("registration:profile"), profile_data(nik=other_nik, phone="081299998888"))
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.nik == NIK and participant.phone == "081299998888"
    # ... and the stored NIK is still checked against a changed birth date.
    response = client.post(reverse("registration:profile"), profile_data(kk="", birth_date="1999-05-17"))
    assert "tidak sama dengan tanggal lahir yang diisi (17-05-1999)" in response.content.decode()


def test_one_account_per_nik_without_saying_whose(client):
    other = ParticipantFactory(nik=NIK, full_name="Orang Lain Sekali", birth_date=date(1998, 5, 17), sex="P")
    verified_client(client)
    response = client.post(reverse("registration:profile"), profile_data())
    body = response.content.decode()
    assert "NIK ini sudah terdaftar pada akun lain" in body
    assert other.full_name not in body and other.email not in body
    assert Participant.objects.count() == 1


def test_nik_already_registered_answers_are_rationed_per_account_and_audited(client, settings):
    settings.SINERGI_NIK_CONFLICT_RATE_ACCOUNT = "3/d"
    holder = ParticipantFactory(nik=NIK, birth_date=date(1998, 5, 17), sex="P")
    verified_client(client)
    user = User.objects.get(email="siti@contoh.id")
    for _ in range(3):
        body = client.post(reverse("registration:profile"), profile_data()).content.decode()
        assert "NIK ini sudah terdaftar pada akun lain" in body
    # Refused before the register is asked, even for a NIK nobody holds: the answer tells nothing.
    free_nik = compose_nik("16.71.01", date(1998, 5, 17), "P", 99)
    blocked = client.post(reverse("registration:profile"), profile_data(nik=free_nik))
    assert blocked.status_code == 429 and "Terlalu banyak permintaan" in blocked.content.decode()
    assert Participant.objects.count() == 1
    entries = LogEntry.objects.filter(actor=user, additional_data__event="nik_conflict")
    assert entries.count() == 3
    assert {e.additional_data["holder_participant_id"] for e in entries} == {holder.pk}
    assert {e.remote_addr for e in entries} == {"127.0.0.1"}
    assert all(NIK not in json.dumps([e.changes, e.additional_data, e.serialized_data]) for e in entries)


def test_nik_already_registered_answers_are_rationed_per_client_address(settings):
    settings.SINERGI_NIK_CONFLICT_RATE_ADDRESS = "2/d"
    ParticipantFactory(nik=NIK, birth_date=date(1998, 5, 17), sex="P")

    def asker(email, address="127.0.0.1"):
        person = Client(REMOTE_ADDR=address)
        person.force_login(UserFactory(email=email))
        return person.post(reverse("registration:profile"), profile_data())

    for i in range(2):  # two fresh accounts from one address, one conflict each
        assert "sudah terdaftar" in asker(f"penanya{i}@contoh.id").content.decode()
    assert asker("penanya-lagi@contoh.id").status_code == 429
    assert asker("dari-tempat-lain@contoh.id", "198.51.100.7").status_code == 200


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
    assert "no-store" in response["Cache-Control"]
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
    assert client.get(reverse("registration:profile")).status_code == 403


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


def test_the_activity_before_training_is_optional_and_kept_for_the_tracer(client):
    verified_client(client)
    client.post(reverse("registration:profile"), profile_data())
    assert Participant.objects.get().activity_before == ""
    body = client.get(reverse("registration:profile")).content.decode()
    assert "Kegiatan utama Anda saat ini" in body
    client.post(reverse("registration:profile"), profile_data(activity_before="mencari_kerja"))
    assert Participant.objects.get().activity_before == "mencari_kerja"
    response = client.post(reverse("registration:profile"), profile_data(activity_before="astronaut"))
    assert response.status_code == 200 and "Kegiatan utama Anda saat ini" in response.content.decode()
    assert Participant.objects.get().activity_before == "mencari_kerja"
