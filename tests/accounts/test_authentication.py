import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.test import Client
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post("/akun/masuk/", {"username": username, "password": password})


def test_login_and_logout(client):
    UserFactory(username="siti")
    response = login(client, "siti", PASSWORD)
    assert response.status_code == 302 and response.url == "/"
    assert "Beranda Peserta" in client.get("/").content.decode()
    client.post("/akun/keluar/")
    assert "Masuk" in client.get("/").content.decode()


def test_passwords_are_stored_with_argon2(settings):
    from sinergi import settings as configured

    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS  # the suite otherwise uses a fast hasher
    user = UserFactory(username="siti")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_wrong_password_gives_an_indonesian_message(client):
    UserFactory(username="siti")
    html = login(client, "siti", "salah-sekali").content.decode()
    assert "Nama pengguna atau kata sandi salah" in html


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, settings):
    UserFactory(username="budi")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "budi", "tebakan-salah")
    response = login(client, "budi", PASSWORD)
    assert response.status_code == 429
    assert "Akun dikunci sementara" in response.content.decode()


def test_password_reset_sends_a_working_link(client):
    UserFactory(username="rina", email="rina@contoh.go.id")
    response = client.post("/akun/lupa-sandi/", {"email": "rina@contoh.go.id"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Atur ulang kata sandi Sinergi" in mail.outbox[0].subject
    link = next(line for line in body.splitlines() if "/akun/atur-sandi/" in line).strip()
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert "Atur kata sandi baru" in form_page.content.decode()
    new = "sandi-baru-yang-panjang-77"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert login(Client(), "rina", new).status_code == 302


def test_post_without_csrf_token_is_refused():
    UserFactory(username="csrf")
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/akun/masuk/", {"username": "csrf", "password": PASSWORD}).status_code == 403
