"""Expiry reminders and the daily lifecycle job.

Rule (documented because officers and tests rely on it):
    Reminders are due at 90, 60, 30, 7 and 0 days before an agreement's end date, for agreements in
    force (Berlaku, Diperpanjang). On a run with `d` days left, the due threshold is the SMALLEST
    threshold that is ≥ d, i.e. the most recent one crossed. Only that threshold is sent; earlier
    thresholds that were missed (the job did not run that day) are skipped, never sent late, because
    "90 hari lagi" is wrong news when 59 days are left. An agreement already past its end date but not
    yet marked Kedaluwarsa gets the 0-day reminder ("telah berakhir") before it expires.

Exactly once: each reminder goes through core.notifications.notify with the dedupe key
    agreement:<pk>:expiry:<end date>:<threshold>
whose database unique constraint decides, so a second run, or two runs at the same time, send
nothing more. The end date is part of the key so that an extended agreement (Diperpanjang, new end
date) gets a fresh series of reminders for its new end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from sinergi.accounts.models import Role
from sinergi.core.notifications import notify
from sinergi.partnerships.models import Agreement
from sinergi.partnerships.services import EXPIRABLE, expire_overdue

THRESHOLDS = (90, 60, 30, 7, 0)


def due_threshold(days_left: int) -> int | None:
    """The most recently crossed threshold for `days_left`, or None when none is due yet."""
    crossed = [t for t in THRESHOLDS if days_left <= t]
    return min(crossed) if crossed else None


def responsible_officers(agreement: Agreement) -> QuerySet:
    """The officers named on the agreement; when none are, its creator and the regional admins of its
    region (a regional admin with no region of their own inherits their organisation's)."""
    users = get_user_model().objects.filter(is_active=True)
    named = users.filter(responsible_agreements=agreement)
    if named.exists():
        return named
    fallback = Q(pk=agreement.created_by_id) if agreement.created_by_id else Q(pk__in=[])
    if agreement.region_id:
        fallback |= Q(role=Role.REGIONAL_ADMIN) & (
            Q(region_id=agreement.region_id)
            | Q(region__isnull=True, organization__region_id=agreement.region_id)
        )
    return users.filter(fallback).distinct()


def _message(agreement: Agreement, days_left: int, threshold: int) -> tuple[str, str]:
    values = {"title": agreement.title, "end": f"{agreement.end_date:%d-%m-%Y}", "days": days_left}
    if threshold == 0:
        title = _("Kerja sama berakhir: %(title)s") % values
        if days_left == 0:
            body = _('Kerja sama "%(title)s" berakhir hari ini.') % values
        else:
            body = _('Kerja sama "%(title)s" telah berakhir pada %(end)s.') % values
        body += " " + _(
            "Tetapkan kelanjutannya: perpanjang (Diperpanjang) atau nyatakan Selesai. "
            "Tanpa tindakan, statusnya menjadi Kedaluwarsa."
        )
    else:
        title = _("Kerja sama berakhir dalam %(days)s hari: %(title)s") % values
        body = (
            _(
                'Kerja sama "%(title)s" berakhir pada %(end)s (%(days)s hari lagi). '
                "Siapkan evaluasi (monev) dan putuskan apakah akan diperpanjang."
            )
            % values
        )
    return title[:200], body


@dataclass
class ReminderReport:
    sent: int = 0  # notifications created (one per officer per reminder)
    skipped: int = 0  # already sent earlier: the dedupe key existed
    expired: int = 0


def send_expiry_reminders(today: date, report: ReminderReport | None = None) -> ReminderReport:
    report = report or ReminderReport()
    horizon = today + timedelta(days=max(THRESHOLDS))
    candidates = (
        Agreement.objects.filter(status__in=EXPIRABLE, end_date__lte=horizon)
        .select_related("region")
        .order_by("end_date", "pk")
    )
    for agreement in candidates:
        days_left = (agreement.end_date - today).days
        threshold = due_threshold(days_left)
        if threshold is None:
            continue
        title, body = _message(agreement, days_left, threshold)
        url = reverse("partnerships:manage_detail", args=[agreement.pk])
        key = f"agreement:{agreement.pk}:expiry:{agreement.end_date.isoformat()}:{threshold}"
        for officer in responsible_officers(agreement):
            if notify(officer, title, body, url, dedupe_key=key):
                report.sent += 1
            else:
                report.skipped += 1
    return report


def run_daily(today: date) -> ReminderReport:
    """The scheduled job: reminders first (so an overdue agreement still gets its 0-day notice), then
    agreements past their end date become Kedaluwarsa."""
    report = send_expiry_reminders(today)
    report.expired = expire_overdue(today)
    return report
