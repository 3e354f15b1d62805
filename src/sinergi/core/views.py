from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sinergi.core.access import NATIONAL, role_required
from sinergi.core.models import Job
from sinergi.core.registry import home_panels_for, todos_for
from sinergi.core.selectors import (
    audit_entries_visible_to,
    job_visible_to,
    notification_of,
    notifications_of,
    pending_job_count,
)

HOME_TEMPLATES = {
    "national_admin": "core/home_national_admin.html",
    "regional_admin": "core/home_regional_admin.html",
    "provider_staff": "core/home_provider_staff.html",
    "assessor": "core/home_assessor.html",
    "participant": "core/home_participant.html",
}


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "core/home_public.html")
    template = HOME_TEMPLATES.get(request.user.role, "core/home_participant.html")
    if request.user.is_superuser:
        template = HOME_TEMPLATES["national_admin"]
    return render(
        request,
        template,
        {
            "work_region": request.user.work_region,
            "home_panels": home_panels_for(request),
            "todos": todos_for(request),
        },
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database: dict[str, object] = {"vendor": connection.vendor}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database["ok"] = True
    except Exception as exc:  # reported, not raised: this endpoint exists to tell what is broken
        database.update(ok=False, error=str(exc))
    jobs: dict = {"mode": settings.JOBS_MODE}
    if settings.JOBS_MODE == "celery":
        try:
            import redis

            redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2).ping()
            jobs["ok"] = True
        except Exception as exc:
            jobs.update(ok=False, error=str(exc))
    else:
        jobs["ok"] = True
    jobs["pending"] = pending_job_count()
    healthy = database["ok"] and jobs["ok"]
    return JsonResponse(
        {"status": "ok" if healthy else "error", "database": database, "jobs": jobs},
        status=200 if healthy else 503,
    )


def _blank_as_dash(value: object) -> str:
    return "—" if value in (None, "", "None") else str(value)


@role_required(*NATIONAL)
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = audit_entries_visible_to(request.user, model=request.GET.get("model", ""))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.change_rows = [  # type: ignore[attr-defined]
            (field, _blank_as_dash(values[0]), _blank_as_dash(values[1]))
            for field, values in entry.changes_dict.items()
            if isinstance(values, list | tuple) and len(values) == 2
        ]
    return render(
        request,
        "core/audit_log.html",
        {"page": page, "actions": dict(LogEntry.Action.choices), "model": request.GET.get("model", "")},
    )


@login_required
def notification_inbox(request: HttpRequest) -> HttpResponse:
    notifications = notifications_of(request.user)
    unread_only = request.GET.get("belum_dibaca") == "1"
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page, "unread_only": unread_only})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one message read; with `buka`, go on to the page it points to."""
    notification = notification_of(request.user, pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    if (
        request.POST.get("buka")
        and notification.url.startswith("/")
        and not notification.url.startswith("//")
    ):
        return redirect(notification.url)
    return redirect("notification_inbox")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    notifications_of(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notification_inbox")


@login_required
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    job: Job = job_visible_to(request.user, pk)
    template = "core/_job_progress.html" if request.headers.get("HX-Request") else "core/job_status.html"
    return render(request, template, {"job": job})


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "core/rate_limited.html", status=429)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A signed-in role that may never use the page (core.access); a record outside the scope is a 404."""
    return render(request, "403.html", status=403)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)
