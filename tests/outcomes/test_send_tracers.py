"""The scheduler: graduates are invited when their round falls due (3 and 12 months after completion),
by e-mail with a personal link on the public address, reminded at most twice a week apart, and a second
run (or the same day again) sends nothing twice. Not-yet-due, not-completed and late rounds are left out."""

import datetime as dt
import re
import smtplib

import pytest
from django.core import mail
from django.core.management import call_command
from tests.outcomes.conftest import COMPLETED_ON, graduate

from sinergi.learning.models import Enrolment
from sinergi.outcomes import services
from sinergi.outcomes.models import TracerInvitation

pytestmark = pytest.mark.django_db
DUE = dt.date(2026, 6, 10)  # 3 months after COMPLETED_ON


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://sinergi.contoh.go.id"


def test_graduates_are_invited_when_the_round_is_due_with_a_link_that_opens_the_survey(
    client, palembang_class, rounds, run_scheduler
):
    first = graduate(palembang_class, email="ani@contoh.id", full_name="Ani Lestari")
    graduate(palembang_class, email="budi@contoh.id")
    assert run_scheduler(DUE - dt.timedelta(days=1))["invited"] == 0
    assert mail.outbox == []
    assert run_scheduler(DUE)["invited"] == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["ani@contoh.id", "budi@contoh.id"]
    message = next(m for m in mail.outbox if m.to == ["ani@contoh.id"])
    assert "Yth. Ani Lestari" in message.body and palembang_class.name in message.body
    path = re.search(r"https://sinergi\.contoh\.go\.id(/tracer/jawab/[^/\s]+/)", message.body).group(1)
    assert client.get(path).status_code == 200
    invitation = TracerInvitation.objects.get(enrolment=first)
    assert invitation.round.offset_months == 3 and invitation.due_on == DUE
    assert invitation.sent_at and invitation.delivered_at and invitation.reminders_sent == 0


def test_running_twice_sends_nothing_twice(palembang_class, rounds, run_scheduler):
    graduate(palembang_class)
    run_scheduler(DUE)
    run_scheduler(DUE)
    call_command("send_tracers", "--today", DUE.isoformat())
    assert len(mail.outbox) == 1
    assert TracerInvitation.objects.count() == 1


def test_two_reminders_a_week_apart_then_no_more_and_none_after_an_answer(
    palembang_class, rounds, run_scheduler
):
    silent = graduate(palembang_class, email="diam@contoh.id")
    answering = graduate(palembang_class, email="jawab@contoh.id")
    run_scheduler(DUE)
    assert len(mail.outbox) == 2
    run_scheduler(DUE + dt.timedelta(days=6))
    assert len(mail.outbox) == 2  # not a week yet
    services.submit_response(
        invitation=TracerInvitation.objects.get(enrolment=answering),
        raw={"activity": "studi", "business": "tidak_ada", "satisfaction": "4"},
    )
    run_scheduler(DUE + dt.timedelta(days=7))
    run_scheduler(DUE + dt.timedelta(days=7))
    assert [m.to for m in mail.outbox[2:]] == [["diam@contoh.id"]]
    assert mail.outbox[2].subject.startswith("Pengingat")
    run_scheduler(DUE + dt.timedelta(days=14))
    run_scheduler(DUE + dt.timedelta(days=30))
    run_scheduler(DUE + dt.timedelta(days=50))
    invitation = TracerInvitation.objects.get(enrolment=silent)
    assert invitation.reminders_sent == 2
    assert [m.to[0] for m in mail.outbox].count("diam@contoh.id") == 3  # the first e-mail and two reminders


def test_the_twelve_month_round_comes_later_and_late_rounds_are_not_sent(
    palembang_class, rounds, run_scheduler
):
    graduate(palembang_class)
    old = graduate(palembang_class, completed_on=COMPLETED_ON - dt.timedelta(days=200))
    run_scheduler(DUE)
    assert list(TracerInvitation.objects.values_list("enrolment_id", flat=True)) != [old.pk]
    assert not TracerInvitation.objects.filter(enrolment=old, round__offset_months=3).exists()
    run_scheduler(dt.date(2027, 3, 10))
    assert TracerInvitation.objects.filter(round__offset_months=12).count() == 1


def test_only_completed_enrolments_are_invited_and_people_without_an_address_are_listed_unsent(
    palembang_class, rounds, run_scheduler
):
    graduate(palembang_class, email="")
    dropped = graduate(palembang_class)
    Enrolment.objects.filter(pk=dropped.pk).update(status=Enrolment.Status.NOT_COMPLETED)
    run_scheduler(DUE)
    invitation = TracerInvitation.objects.get()
    assert invitation.email == "" and invitation.sent_at is None
    assert mail.outbox == []


def test_a_refused_address_is_marked_bounced_and_never_reminded(
    palembang_class, rounds, run_scheduler, monkeypatch
):
    graduate(palembang_class, email="salah@contoh.id")

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"salah@contoh.id": (550, b"no such user")})

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    run_scheduler(DUE)
    invitation = TracerInvitation.objects.get()
    assert invitation.bounced_at and invitation.sent_at and invitation.delivered_at is None
    monkeypatch.undo()
    run_scheduler(DUE + dt.timedelta(days=8))
    assert mail.outbox == []


def test_a_failed_send_is_released_for_the_next_run(palembang_class, rounds, run_scheduler, monkeypatch):
    graduate(palembang_class)

    def down(self, *args, **kwargs):
        raise OSError("server surat tidak dapat dihubungi")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", down)
    run_scheduler(DUE)
    assert TracerInvitation.objects.get().sent_at is None
    monkeypatch.undo()
    run_scheduler(DUE)
    assert len(mail.outbox) == 1


def test_the_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_tracers", "--today", "10-06-2026")
