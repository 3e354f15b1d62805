"""Offers waiting for an answer: the 24-hour reminder to the participant (a scheduled job), the officer's
list of unanswered offers with its "Ingatkan" action, and the count on the officer's home page.

Every message is keyed, so the scheduled reminder goes once per offer however often the job runs, and an
officer's reminder at most once per offer and day however often the button is pressed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Min, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.core.audit import record_bulk
from sinergi.core.jobs import job_handler
from sinergi.core.notifications import notify
from sinergi.core.registry import Todo
from sinergi.selection.models import Offer, OfferStatus
from sinergi.selection.selectors import batches_for_allocation, offers_visible_to

REMIND_BEFORE = timedelta(hours=24)


def _deadline_text(offer: Offer) -> str:
    return timezone.localtime(offer.deadline).strftime("%d-%m-%Y %H:%M")


def _remind(offer: Offer, key: str) -> bool:
    account = offer.participant.user
    if account is None:
        return False
    return notify(
        account,
        _("Segera jawab tawaran kursi Anda"),
        _(
            "Tawaran kursi di kelas %(cls)s menunggu jawaban Anda sampai %(deadline)s. Bila tidak "
            "dijawab, kursinya diberikan kepada peserta di daftar tunggu."
        )
        % {"cls": offer.training_class.name, "deadline": _deadline_text(offer)},
        reverse("selection:my_results"),
        dedupe_key=key,
    )


def remind_expiring_offers(now: datetime | None = None) -> int:
    """Remind everyone whose offer lapses within 24 hours; once per offer. Returns how many were sent."""
    now = now or timezone.now()
    due = (
        Offer.objects.filter(status=OfferStatus.OFFERED, deadline__gt=now, deadline__lte=now + REMIND_BEFORE)
        .select_related("participant__user", "training_class")
        .order_by("pk")
    )
    return sum(_remind(offer, f"selection:expiring:{offer.pk}") for offer in due.iterator())


@job_handler("selection.remind_expiring_offers")
def remind_expiring_offers_job(job, **_params) -> dict:
    return {"sent": remind_expiring_offers()}


def unanswered_offers(user) -> QuerySet[Offer]:
    """Open offers of the batches this officer allocates, soonest deadline first."""
    return (
        offers_visible_to(user)
        .filter(status=OfferStatus.OFFERED, batch__in=batches_for_allocation(user))
        .select_related("participant__user", "training_class", "batch")
        .order_by("deadline", "training_class__name", "participant__full_name", "pk")
    )


def unanswered_by_class(user) -> list[Any]:
    """(batch, class, count, earliest deadline) for the list's headings."""
    return list(
        unanswered_offers(user)
        .order_by()
        .values("batch__name", "training_class__name", "training_class__code")
        .annotate(count=Count("pk"), deadline=Min("deadline"))
        .order_by("deadline", "training_class__name")
    )


def remind_offers(user, offer_pks: list[int], *, today=None) -> int:
    """The officer's "Ingatkan": one reminder per offer and day, only for offers this officer may see and
    that still wait for an answer. Audited as one bulk entry. Returns how many reminders went out."""
    today = today or timezone.localdate()
    offers = list(unanswered_offers(user).filter(pk__in=offer_pks))
    sent = sum(_remind(offer, f"selection:remind:{offer.pk}:{today.isoformat()}") for offer in offers)
    record_bulk(
        actor=user,
        target=Offer,
        operation=_("pengingat tawaran kursi"),
        counts={"diminta": len(offers), "dikirim": sent},
    )
    return sent


def unanswered_todos(request) -> list[Todo]:
    count = unanswered_offers(request.user).count()
    return [
        Todo(
            gettext_lazy("Tawaran kursi belum dijawab peserta"),
            count,
            reverse("selection:unanswered_offers"),
            urgent=unanswered_offers(request.user)
            .filter(deadline__lte=timezone.now() + REMIND_BEFORE)
            .exists()
            if count
            else False,
        )
    ]
