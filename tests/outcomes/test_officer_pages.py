"""The officer's tracer pages: per round sent / delivered / answered with the gross (answered ÷ sent)
and net (answered ÷ delivered) response rates, the answer distribution, before → after, adding a
round (with named errors), the CSV (formula-like answers neutralised, names masked), and scoping: an
officer of another region gets a 404."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from tests.factories import regional_admin
from tests.outcomes.conftest import graduate

from sinergi.outcomes import selectors, services
from sinergi.outcomes.models import TracerInvitation, TracerRound
from sinergi.registration.models import Participant

pytestmark = pytest.mark.django_db
DUE = dt.date(2026, 6, 10)


def answer(invitation, **overrides):
    raw = {
        "activity": "bekerja_penuh",
        "months_to_job": "1",
        "income_band": "3-5",
        "uses_skills": "sangat",
        "business": "tidak_ada",
        "satisfaction": "4",
        **overrides,
    }
    services.submit_response(invitation=invitation, raw=raw)


@pytest.fixture
def answered_round(palembang_class, rounds, run_scheduler):
    """Five graduates: four sent (one bounced), one without e-mail; two answered."""
    people = [graduate(palembang_class, full_name=f"Lulusan {i}") for i in range(4)]
    graduate(palembang_class, email="")
    Participant.objects.filter(pk=people[0].participant_id).update(activity_before="mencari_kerja")
    run_scheduler(DUE)
    invitations = {i.enrolment_id: i for i in TracerInvitation.objects.all()}
    services.record_bounce(invitation=invitations[people[3].pk])
    answer(invitations[people[0].pk], suggestion='=HYPERLINK("http://contoh")')
    answer(invitations[people[1].pk], activity="mencari_kerja", satisfaction="2")
    return palembang_class.program


def test_rates_gross_and_net(answered_round):
    stats = selectors.round_stats(answered_round)
    three = stats[0]
    assert (
        three.invited,
        three.without_email,
        three.sent,
        three.delivered,
        three.bounced,
        three.answered,
    ) == (
        5,
        1,
        4,
        3,
        1,
        2,
    )
    assert three.gross_rate == 50.0 and three.net_rate == 66.7
    assert stats[1].round.offset_months == 12 and stats[1].gross_rate is None


def test_the_page_shows_rounds_rates_distribution_and_before_after(client, answered_round):
    client.force_login(regional_admin("16.71"))
    page = client.get(f"/tracer/program/{answered_round.pk}/").content.decode()
    assert "50,0 %" in page and "66,7 %" in page  # Indonesian decimal comma
    assert "Bekerja penuh waktu" in page and "Sebelum → sesudah pelatihan" in page
    assert "Sedang mencari kerja" in page
    ba = dict((label, counts) for label, counts, _total in selectors.before_after(answered_round))
    assert ba["Sedang mencari kerja"][0] == 1  # a job seeker before, employed full time after
    satisfaction = next(s for s in selectors.distribution(answered_round) if s.code == "satisfaction")
    assert satisfaction.mean == 3.0 and satisfaction.answered == 2
    listing = client.get("/tracer/").content.decode()
    assert answered_round.name in listing


def test_an_officer_adds_a_round_and_bad_input_is_named(client, palembang_class, rounds):
    client.force_login(regional_admin("16.71"))
    url = f"/tracer/program/{palembang_class.program.pk}/"
    assert client.post(url, {"offset_months": "6", "window_days": "60"}).status_code == 302
    assert TracerRound.objects.filter(program=palembang_class.program, offset_months=6).exists()
    again = client.post(url, {"offset_months": "6", "window_days": "60"})
    assert again.status_code == 400
    assert "sudah memiliki putaran 6 bulan" in again.content.decode()
    bad = client.post(url, {"offset_months": "0", "window_days": "3"}).content.decode()
    assert "Bulan setelah lulus" in bad and "Masa pengiriman" in bad
    assert TracerRound.objects.filter(program=palembang_class.program).count() == 3


def test_the_csv_masks_names_and_neutralises_formulas(client, answered_round):
    client.force_login(regional_admin("16.71"))
    response = client.get(f"/tracer/program/{answered_round.pk}/csv/")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["putaran_bulan", "kelas", "peserta"] and "activity" in header
    assert len(body) == 5  # the 3-month round's invitations; the 12-month round has none yet
    suggestion = [r[header.index("suggestion")] for r in body if r[header.index("suggestion")]]
    assert suggestion == ['\'=HYPERLINK("http://contoh")']
    assert not any(r[2].startswith("Lulusan ") for r in body)  # names masked


def test_another_regions_officer_gets_404(client, answered_round):
    client.force_login(regional_admin("64.72"))
    assert client.get(f"/tracer/program/{answered_round.pk}/").status_code == 404
    assert client.get(f"/tracer/program/{answered_round.pk}/csv/").status_code == 404
    assert answered_round.name not in client.get("/tracer/").content.decode()


def test_the_home_page_lists_unanswered_tracers_as_a_to_do(client, answered_round):
    officer = regional_admin("16.71")
    assert selectors.unanswered_invitations(officer) == 1  # four sent, one bounced, two answered
    assert selectors.unanswered_invitations(regional_admin("64.72")) == 0
    TracerInvitation.objects.update(answered_at=timezone.now())
    assert selectors.unanswered_invitations(officer) == 0
