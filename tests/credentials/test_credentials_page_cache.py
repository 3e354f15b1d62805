"""The verification page kept for anonymous visitors: served only for the right check code, with each
visitor's own CSRF token, dropped the moment the certificate is revoked."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests.factories import EnrolmentFactory, ParticipantFactory, UserFactory

from sinergi.credentials import services
from sinergi.learning.models import Enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture
def credential():
    participant = ParticipantFactory(full_name="Siti Rahmawati", user=UserFactory())
    enrolment = EnrolmentFactory(
        participant=participant, status=Enrolment.Status.COMPLETED, completed_at=timezone.now()
    )
    return services.issue_credential(enrolment)


def visit(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, len(queries)


def token_in(body: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert match, "the page carries no CSRF token"
    return match[1]


def test_a_second_visitor_gets_the_same_verdict_without_touching_the_database(credential):
    path = services.verify_path(credential)
    first, first_queries = visit(Client(), path)
    second, second_queries = visit(Client(), path)
    assert first.status_code == second.status_code == 200
    assert "Sertifikat sah" in second.content.decode()
    assert first_queries > 0
    assert second_queries == 0
    assert second["X-Frame-Options"] == first["X-Frame-Options"]
    assert "Content-Security-Policy" in second


def test_each_visitor_gets_a_token_that_works_for_the_upload_form(credential):
    path = services.verify_path(credential)
    Client().get(path)
    visitor = Client(enforce_csrf_checks=True)
    body = visitor.get(path).content.decode()
    assert "__sinergi-csrf-token__" not in body
    token = token_in(body)
    upload = visitor.post("/verify/", {"csrfmiddlewaretoken": token, "nomor": ""})
    assert upload.status_code == 200


def test_a_wrong_code_is_never_served_from_the_kept_page(credential):
    Client().get(services.verify_path(credential))
    response, queries = visit(Client(), f"/verify/{credential.number}?kode=ZZZZ-ZZZZ")
    assert response.status_code == 404
    assert "Sertifikat sah" not in response.content.decode()
    assert queries > 0


def test_the_code_is_accepted_as_typed_from_the_kept_page(credential):
    Client().get(services.verify_path(credential))
    typed = credential.check_code.replace("-", "").lower()
    response, queries = visit(Client(), f"/verify/{credential.number}?kode={typed}")
    assert "Sertifikat sah" in response.content.decode()
    assert queries == 0


def test_revocation_drops_the_kept_page_at_once(credential):
    path = services.verify_path(credential)
    Client().get(path)
    services.revoke(credential, user=None, reason="Data kehadiran dipalsukan")
    body = Client().get(path).content.decode()
    assert "Sertifikat telah dicabut" in body
    assert "Data kehadiran dipalsukan" in body


def test_each_language_has_its_own_page(credential):
    path = services.verify_path(credential)
    Client().get(path)
    english = Client()
    english.cookies["django_language"] = "en"
    body = english.get(path).content.decode()
    assert '<html lang="en">' in body
    assert "Sertifikat sah" not in body


def test_a_signed_in_visitor_is_never_served_the_anonymous_page(client, credential):
    path = services.verify_path(credential)
    Client().get(path)
    client.force_login(credential.enrolment.participant.user)
    response, queries = visit(client, path)
    assert queries > 0
    assert "Keluar" in response.content.decode()


def test_a_page_is_kept_no_longer_than_until_its_verdict_could_change():
    from sinergi.credentials import page_cache

    soon = (timezone.now() + timezone.timedelta(seconds=30)).isoformat()
    assert page_cache._seconds_to_keep(soon, "") <= 30
    assert page_cache._seconds_to_keep("", "") == page_cache.KEEP_SECONDS
    assert page_cache._seconds_to_keep("not a date", "") == 0


def test_the_declared_length_matches_the_page_sent(credential):
    path = services.verify_path(credential)
    for response in (Client().get(path), Client().get(path)):
        assert int(response["Content-Length"]) == len(response.content)
