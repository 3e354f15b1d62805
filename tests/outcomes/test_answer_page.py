"""The graduate's answer page: opened by the personal link without an account, answers stored once (a
second submit edits them), bad answers named per question with nothing stored, skip logic applied on
the server, and one page for a forged, unknown or expired link."""

import datetime as dt

import pytest
from django.core import signing
from django.utils import timezone
from tests.outcomes.conftest import graduate

from sinergi.outcomes import services
from sinergi.outcomes.models import TracerInvitation, TracerResponse

pytestmark = pytest.mark.django_db

ANSWERS = {
    "activity": "bekerja_penuh",
    "months_to_job": "2",
    "income_band": "3-5",
    "uses_skills": "sangat",
    "business": "tidak_ada",
    "satisfaction": "5",
}


@pytest.fixture
def link(palembang_class, rounds, run_scheduler):
    graduate(palembang_class, full_name="Siti Aminah")
    run_scheduler(dt.date(2026, 6, 10))
    invitation = TracerInvitation.objects.get()
    return invitation, f"/tracer/jawab/{services.tracer_token(invitation)}/"


def test_the_link_opens_the_survey_without_login_in_indonesian(client, link):
    _invitation, path = link
    page = client.get(path).content.decode()
    assert "Survei pelacakan lulusan pelatihan" in page and "Untuk Siti Aminah" in page
    assert "Apa kegiatan utama Anda saat ini?" in page
    assert "Isi bila Anda menjawab “Bekerja penuh waktu / Bekerja paruh waktu / Berwirausaha”" in page
    assert 'name="viewport"' in page or "viewport" in client.get("/").content.decode()


def test_answers_are_stored_once_and_a_second_submit_edits_them(client, link):
    invitation, path = link
    response = client.post(path, ANSWERS)
    assert response.status_code == 302
    page = client.get(path).content.decode()
    assert "Terima kasih, jawaban Anda tersimpan." in page
    assert "Anda sudah mengisi survei ini" in page and 'value="3-5" checked' in page
    client.post(path, {**ANSWERS, "activity": "wirausaha", "business": "baru"})
    stored = TracerResponse.objects.get()
    assert TracerResponse.objects.count() == 1
    assert stored.answers["activity"] == "wirausaha" and stored.edits == 1
    assert "Perubahan jawaban Anda tersimpan" in client.get(path).content.decode()
    invitation.refresh_from_db()
    assert invitation.answered_at is not None


def test_bad_answers_are_named_per_question_kept_on_the_page_and_nothing_is_stored(client, link):
    _invitation, path = link
    response = client.post(path, {**ANSWERS, "months_to_job": "dua", "satisfaction": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Ada 2 jawaban yang perlu diperbaiki" in page
    assert "Pertanyaan “Seberapa puas Anda dengan pelatihan ini?” wajib dijawab." in page
    assert "isi dengan angka bulat" in page
    assert 'value="dua"' in page and 'href="#q-months_to_job"' in page
    assert not TracerResponse.objects.exists()


def test_answers_to_skipped_questions_are_not_stored(client, link):
    _invitation, path = link
    client.post(
        path,
        {"activity": "mencari_kerja", "income_band": "gt10", "business": "tidak_ada", "satisfaction": "2"},
    )
    assert "income_band" not in TracerResponse.objects.get().answers


@pytest.mark.parametrize("kind", ["forged", "unknown"])
def test_a_forged_or_unknown_link_gets_the_invalid_link_page(client, kind, db):
    token = "tidak-sah" if kind == "forged" else signing.dumps(987654, salt=services.SALT)
    response = client.get(f"/tracer/jawab/{token}/")
    assert response.status_code == 400
    assert "Tautan survei ini tidak berlaku" in response.content.decode()


def test_an_expired_link_gets_the_same_page_and_takes_no_answer(client, link):
    invitation, path = link
    TracerInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert client.get(path).status_code == 400
    assert client.post(path, ANSWERS).status_code == 400
    assert not TracerResponse.objects.exists()


def test_a_link_signed_for_another_purpose_is_refused(client, link):
    invitation, _path = link
    other = signing.dumps(invitation.pk, salt="sinergi.registration.invitations", compress=False)
    assert client.get(f"/tracer/jawab/{other}/").status_code == 400
