"""What reporting adds to the home pages through core's registry: dashboard panels per role and the
to-dos (agreements ending soon, classes without attendance, certificates ready to issue), each
linking to the page that resolves it. Every count goes through the owning app's scoping selector."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sinergi.core.registry import Todo
from sinergi.credentials.models import Credential
from sinergi.credentials.selectors import issuable_classes, my_credentials
from sinergi.learning.models import Attendance, ClassSession, Enrolment
from sinergi.learning.selectors import delivery_classes_visible_to, own_enrolments
from sinergi.partnerships.models import Status
from sinergi.partnerships.selectors import EXPIRING_WITHIN_DAYS, manageable_agreements
from sinergi.registration.selectors import applications_visible_to
from sinergi.reporting import charts, selectors
from sinergi.reporting.funnel import last_refresh
from sinergi.reporting.selectors import Filters


def agreements_ending_soon(user):
    today = timezone.localdate()
    return manageable_agreements(user).filter(
        status__in=(Status.BERLAKU, Status.DIPERPANJANG),
        end_date__gte=today,
        end_date__lte=today + timedelta(days=EXPIRING_WITHIN_DAYS),
    )


def classes_without_attendance(user):
    """Classes with a session held (dated today or earlier) for which no attendance was recorded."""
    unrecorded = ClassSession.objects.filter(
        training_class=OuterRef("pk"), date__lte=timezone.localdate()
    ).exclude(Exists(Attendance.objects.filter(session=OuterRef("pk"))))
    return delivery_classes_visible_to(user).filter(Exists(unrecorded))


def enrolments_ready_for_certificate(user):
    """Completed enrolments of classes the user may issue for, without a certificate yet."""
    return Enrolment.objects.filter(
        training_class__in=issuable_classes(user).values("pk"), status=Enrolment.Status.COMPLETED
    ).exclude(Exists(Credential.objects.filter(enrolment=OuterRef("pk"))))


def _one_or_list(qs, one_url: str, list_url: str) -> str:
    ids = list(qs.values_list("pk", flat=True)[:2])
    return reverse(one_url, args=[ids[0]]) if len(ids) == 1 else reverse(list_url)


def office_todos(request) -> list[Todo]:
    user = request.user
    ending = agreements_ending_soon(user).count()
    return [
        Todo(
            ngettext(
                "%(n)s kerja sama berakhir dalam %(days)s hari",
                "%(n)s kerja sama berakhir dalam %(days)s hari",
                ending,
            )
            % {"n": ending, "days": EXPIRING_WITHIN_DAYS},
            ending,
            reverse("partnerships:agreement_manage_list") + "?expiring_soon=1",
            urgent=True,
        )
    ]


def delivery_todos(request) -> list[Todo]:
    user = request.user
    missing = classes_without_attendance(user)
    n_missing = missing.count()
    ready = enrolments_ready_for_certificate(user)
    n_ready = ready.count()
    classes_ready = issuable_classes(user).filter(pk__in=ready.values("training_class_id"))
    return [
        Todo(
            _("Kelas dengan sesi yang belum dicatat presensinya"),
            n_missing,
            _one_or_list(missing, "learning:class_detail", "learning:class_list"),
            urgent=True,
        ),
        Todo(
            _("Lulusan yang siap diterbitkan sertifikatnya"),
            n_ready,
            _one_or_list(classes_ready, "credentials:class", "credentials:manage"),
        ),
    ]


def office_panel(request) -> dict | None:
    """National and regional admins: the funnel of their batches, the key counts and a link to the
    full dashboard."""
    user = request.user
    if not selectors.can_see_dashboards(user):
        return None
    table = charts.funnel_table(user, Filters())
    steps = selectors.funnel(user, Filters())
    counts = {s.stage: s.count or 0 for s in steps}
    return {
        "funnel": table,
        "counts": [
            (_("Pendaftar"), counts["registered"]),
            (_("Peserta kelas"), counts["accepted"]),
            (_("Lulus"), counts["completed"]),
            (_("Bersertifikat"), counts["certified"]),
        ],
        "refreshed": last_refresh(),
        "is_national": scope_is_national(user),
        "regions": charts.regions_table(user, Filters()) if scope_is_national(user) else None,
    }


def scope_is_national(user) -> bool:
    from sinergi.accounts.scoping import scope_for

    return scope_for(user).is_national


def provider_panel(request) -> dict | None:
    """Provider staff: their classes as they stand today (a few live counts over their own classes)."""
    user = request.user
    today = timezone.localdate()
    classes = delivery_classes_visible_to(user)
    enrolments = Enrolment.objects.filter(training_class__in=classes.values("pk"))
    by_status = dict(enrolments.values_list("status").annotate(n=Count("pk")).order_by())
    return {
        "counts": [
            (_("Kelas berjalan"), classes.filter(starts_on__lte=today, ends_on__gte=today).count()),
            (_("Kelas akan datang"), classes.filter(starts_on__gt=today).count()),
            (_("Peserta mengikuti"), by_status.get(Enrolment.Status.ACTIVE, 0)),
            (_("Lulus"), by_status.get(Enrolment.Status.COMPLETED, 0)),
            (
                _("Sertifikat terbit"),
                Credential.objects.filter(
                    enrolment__in=enrolments.values("pk"), revoked_at__isnull=True
                ).count(),
            ),
        ],
        "link": reverse("learning:class_list"),
    }


def participant_panel(request) -> dict | None:
    """A participant's own way through the chain: applied, in a class, completed, certified."""
    user = request.user
    enrolments = own_enrolments(user)
    steps = [
        (
            _("Pendaftaran aktif"),
            applications_visible_to(user).filter(status="submitted").count(),
            reverse("registration:my_applications"),
        ),
        (
            _("Kelas yang diikuti"),
            enrolments.filter(~Q(status=Enrolment.Status.WITHDRAWN)).count(),
            reverse("learning:my_classes"),
        ),
        (
            _("Kelas lulus"),
            enrolments.filter(status=Enrolment.Status.COMPLETED).count(),
            reverse("learning:my_classes"),
        ),
        (
            _("Sertifikat"),
            my_credentials(user).filter(revoked_at__isnull=True).count(),
            reverse("credentials:mine"),
        ),
    ]
    return {"steps": steps}
