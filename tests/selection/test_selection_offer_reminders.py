"""Offers waiting for an answer: the 24-hour reminder (once per offer, also when the job runs twice),
the officer's list with "Ingatkan" (once per day, only in their region), the home page count, the
waitlist-promotion wording of a backfill offer, and e-mail links on the public address."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from tests.factories import regional_admin
from tests.selection.test_selection_runs_jobs import make_batch, to_status

from sinergi.core.models import Notification
from sinergi.core.notifications import send_pending_emails
from sinergi.selection import reminders
from sinergi.selection.models import Offer, OfferStatus, RunStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://sinergi.contoh.go.id"
    admin, batch, people = make_batch(6)
    with django_capture_on_commit_callbacks(execute=True):
        to_status(admin, batch, RunStatus.PUBLISHED)
    mail.outbox.clear()
    return admin, batch


def test_the_expiry_reminder_goes_once_per_offer_a_day_before(published, django_capture_on_commit_callbacks):
    offers = list(Offer.objects.filter(status=OfferStatus.OFFERED))
    soon = timezone.now() + dt.timedelta(hours=20)
    Offer.objects.filter(pk=offers[0].pk).update(deadline=soon)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.remind_expiring_offers() == 1
        assert reminders.remind_expiring_offers() == 0  # the hourly job again: nothing new
        call_command("remind_offers", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert send_pending_emails() == 0  # a retried sending job finds nothing left to send
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [offers[0].participant.user.email]
    assert "Segera jawab" in message.subject
    assert "https://sinergi.contoh.go.id/hasil-seleksi/" in message.body


def test_officer_sees_unanswered_offers_and_reminds_once_a_day(
    published, client, django_capture_on_commit_callbacks
):
    admin, batch = published
    open_offers = list(Offer.objects.filter(status=OfferStatus.OFFERED).order_by("pk"))
    client.force_login(admin)
    home = client.get(reverse("home")).content.decode()
    assert "Tawaran kursi belum dijawab peserta" in home
    page = client.get(reverse("selection:unanswered_offers")).content.decode()
    for offer in open_offers:
        assert offer.participant.full_name in page
    url = reverse("selection:unanswered_offers")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"offer": [open_offers[0].pk]})
        client.post(url, {"offer": [open_offers[0].pk]})  # pressed twice the same day
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        reminders.remind_offers(admin, [open_offers[0].pk], today=timezone.localdate() + dt.timedelta(days=1))
    assert len(mail.outbox) == 2

    # An officer of another region sees none of them and cannot remind them.
    other = regional_admin("64.72")
    client.force_login(other)
    page = client.get(url).content.decode()
    assert open_offers[0].participant.full_name not in page
    assert reminders.remind_offers(other, [o.pk for o in open_offers]) == 0
    assert "Tawaran kursi belum dijawab" not in client.get(reverse("home")).content.decode()


def test_an_answered_offer_leaves_the_list(published, client):
    admin, batch = published
    offer = Offer.objects.filter(status=OfferStatus.OFFERED).first()
    Offer.objects.filter(pk=offer.pk).update(status=OfferStatus.ACCEPTED)
    client.force_login(admin)
    assert offer not in reminders.unanswered_offers(admin)
    assert reminders.remind_offers(admin, [offer.pk]) == 0


def test_seat_offer_e_mail_says_the_deadline(published):
    assert Notification.objects.filter(dedupe_key__startswith="selection:offer:").exists()
    note = Notification.objects.filter(dedupe_key__startswith="selection:offer:").first()
    assert "sebelum" in note.body


def test_the_expiry_command_judges_deadlines_on_the_clock_it_is_given(published):
    import io

    from django.core.management.base import CommandError

    deadline = Offer.objects.filter(status=OfferStatus.OFFERED).order_by("deadline").first().deadline
    out = io.StringIO()
    call_command("expire_offers", pada=(deadline - dt.timedelta(minutes=1)).isoformat(), stdout=out)
    assert out.getvalue().strip() == "0 tawaran kursi kedaluwarsa."
    waiting = Offer.objects.filter(status=OfferStatus.OFFERED).count()
    call_command("expire_offers", pada=(deadline + dt.timedelta(days=30)).isoformat(), stdout=out)
    assert out.getvalue().strip().endswith(f"{waiting} tawaran kursi kedaluwarsa.")
    assert not Offer.objects.filter(status=OfferStatus.OFFERED).exists()
    with pytest.raises(CommandError, match="--pada: bukan waktu ISO 8601"):
        call_command("expire_offers", "--pada", "besok")
