"""Expiry reminders at 90, 60, 30, 7 and 0 days, each sent exactly once; the daily job, its command
and its Celery task; the notification inbox where officers read them."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from tests.factories import OrganizationFactory, UserFactory, region, regional_admin

from sinergi.accounts.models import Role
from sinergi.core.models import Notification
from sinergi.partnerships.models import AgreementParty, Status
from sinergi.partnerships.reminders import (
    due_threshold,
    responsible_officers,
    run_daily,
    send_expiry_reminders,
)
from sinergi.partnerships.services import PartyInput, create_agreement, transition

pytestmark = pytest.mark.django_db

END = date(2026, 12, 19)


def day(days_left: int) -> date:
    return END - timedelta(days=days_left)


@pytest.fixture
def officer():
    return regional_admin("16.71", first_name="Rina")


@pytest.fixture
def agreement(officer):
    palembang = OrganizationFactory(region=region("16.71"))
    kominfo = OrganizationFactory(region=None, kind="ministry")
    return create_agreement(
        user=officer,
        type="nota_kesepakatan",
        title="Kecakapan digital Palembang",
        start_date=date(2021, 12, 20),
        end_date=END,
        status=Status.BERLAKU,
        signed_date=date(2021, 12, 20),
        parties=[PartyInput(palembang.pk, AgreementParty.Role.FIRST), PartyInput(kominfo.pk)],
        responsible_officers=[officer],
    ).agreement


def keys() -> list[str]:
    return sorted(Notification.objects.values_list("dedupe_key", flat=True))


def test_threshold_rule():
    assert [due_threshold(d) for d in (120, 91, 90, 61, 60, 59, 31, 30, 8, 7, 1, 0, -3)] == [
        None, None, 90, 90, 60, 60, 60, 30, 30, 7, 7, 0, 0,
    ]  # fmt: skip


def test_each_reminder_is_sent_once_even_when_the_job_runs_twice(
    officer, agreement, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = run_daily(day(90))
        second = run_daily(day(90))
    assert (first.sent, second.sent, second.skipped) == (1, 0, 1)
    assert keys() == [f"agreement:{agreement.pk}:expiry:2026-12-19:90"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [officer.email]
    assert "berakhir dalam 90 hari" in mail.outbox[0].subject
    assert f"/kerja-sama/kelola/{agreement.pk}/" in mail.outbox[0].body

    # Every day until the end: one reminder per threshold, nothing in between.
    for days_left in range(89, -1, -1):
        run_daily(day(days_left))
        run_daily(day(days_left))
    assert [k.rsplit(":", 1)[1] for k in keys()] == sorted(["90", "60", "30", "7", "0"])
    assert Notification.objects.count() == 5


def test_a_late_run_sends_the_most_recent_threshold_once_and_not_the_missed_ones(officer, agreement):
    report = send_expiry_reminders(day(59))  # the job did not run at 90 or 60 days
    assert report.sent == 1
    assert keys() == [f"agreement:{agreement.pk}:expiry:2026-12-19:60"]
    notification = Notification.objects.get()
    assert "59 hari" in notification.title
    for days_left in (58, 45, 31):
        assert send_expiry_reminders(day(days_left)).sent == 0
    assert send_expiry_reminders(day(30)).sent == 1
    assert Notification.objects.count() == 2


def test_overdue_agreement_gets_the_final_notice_then_expires(officer, agreement):
    report = run_daily(END + timedelta(days=2))
    assert report.sent == 1 and report.expired == 1
    assert "telah berakhir" in Notification.objects.get().body
    agreement.refresh_from_db()
    assert agreement.status == Status.KEDALUWARSA
    assert run_daily(END + timedelta(days=3)).sent == 0  # expired agreements are not reminded again


def test_an_extension_starts_a_new_series(officer, agreement):
    send_expiry_reminders(day(7))
    transition(
        agreement,
        to_status=Status.DIPERPANJANG,
        user=officer,
        reason="Addendum I",
        new_end_date=END + timedelta(days=365),
    )
    assert send_expiry_reminders(END + timedelta(days=365 - 90)).sent == 1
    assert len(keys()) == 2 and keys()[1].startswith(f"agreement:{agreement.pk}:expiry:2027-12-19:")


def test_drafts_and_finished_agreements_get_no_reminders(officer, agreement):
    agreement.status = Status.PEMBAHASAN
    agreement.save()
    assert send_expiry_reminders(day(0)).sent == 0


def test_default_recipients_are_the_creator_and_the_regions_admins(officer, agreement):
    colleague = regional_admin("16.71")
    elsewhere = regional_admin("64.72")
    participant = UserFactory(role=Role.PARTICIPANT, region=region("16.71"))
    assert list(responsible_officers(agreement)) == [officer]  # named explicitly
    agreement.responsible_officers.clear()
    fallback = set(responsible_officers(agreement))
    assert {officer, colleague} <= fallback
    assert elsewhere not in fallback and participant not in fallback
    assert send_expiry_reminders(day(30)).sent == len(fallback)


def test_command_and_celery_task(officer, agreement):
    out = StringIO()
    call_command("send_reminders", "--today", day(7).isoformat(), stdout=out)
    assert "1 pengingat terkirim" in out.getvalue()
    call_command("send_reminders", "--today", day(7).isoformat(), stdout=out)
    assert "0 pengingat terkirim, 1 sudah pernah dikirim" in out.getvalue()
    with pytest.raises(CommandError, match="TTTT-BB-HH"):
        call_command("send_reminders", "--today", "19-12-2026")

    from sinergi.partnerships.tasks import daily_reminders

    with override_settings(CELERY_TASK_ALWAYS_EAGER=True):
        result = daily_reminders.delay(day(0).isoformat()).get()
    assert result == {"sent": 1, "skipped": 0, "expired": 0}


def test_beat_schedule_runs_the_task_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["partnerships-daily-reminders"]
    assert entry["task"] == "sinergi.partnerships.daily"
    from sinergi.celery import app

    assert "sinergi.partnerships.daily" in app.tasks


def test_inbox_lists_counts_and_marks_read(client, officer, agreement):
    send_expiry_reminders(day(30))
    send_expiry_reminders(day(7))
    client.force_login(officer)
    home = client.get("/").content.decode()
    assert '<span class="nav-count">2</span>' in home
    inbox = client.get("/notifikasi/").content.decode()
    assert "berakhir dalam 30 hari" in inbox and "berakhir dalam 7 hari" in inbox

    first = Notification.objects.order_by("pk").first()
    opened = client.post(f"/notifikasi/{first.pk}/baca/", {"buka": "1"})
    assert opened.status_code == 302 and opened.url == f"/kerja-sama/kelola/{agreement.pk}/"
    assert '<span class="nav-count">1</span>' in client.get("/notifikasi/").content.decode()
    client.post("/notifikasi/baca-semua/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert "nav-count" not in client.get("/notifikasi/").content.decode()


def test_nobody_reads_anothers_notifications(client, officer, agreement):
    send_expiry_reminders(day(30))
    notification = Notification.objects.get()
    client.force_login(regional_admin("16.71"))
    assert "berakhir dalam" not in client.get("/notifikasi/").content.decode()
    assert client.post(f"/notifikasi/{notification.pk}/baca/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None
    client.logout()
    assert client.get("/notifikasi/").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_time_send_once(officer, agreement):
    """Two workers started together (e.g. beat fired twice): the unique key decides, not a lookup."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    barrier = threading.Barrier(2)
    sent: list[int] = []

    def worker():
        try:
            barrier.wait()
            sent.append(send_expiry_reminders(day(30)).sent)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(sent) == [0, 1]
    assert Notification.objects.count() == 1
