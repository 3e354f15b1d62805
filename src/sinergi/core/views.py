import sys

import segno
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_ratelimit.decorators import ratelimit

from sinergi.core import two_factor
from sinergi.core.access import NATIONAL, STAFF, role_required
from sinergi.core.forms import TwoFactorCodeForm, add_service_errors
from sinergi.core.http import personal_data
from sinergi.core.models import Job, RecoveryCodeDevice
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


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page; when the database is unreachable (restarting, failed over), a 503 that says so.
    Called while the exception is being handled. Renders without a request context: the context
    processors read the database. What the request was writing was rolled back with its transaction."""
    from django.db import InterfaceError, OperationalError
    from django.template import loader
    from django.views import defaults

    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return defaults.server_error(request)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A signed-in role that may never use the page (core.access); a record outside the scope is a 404."""
    return render(request, "403.html", status=403)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    # A path under /api/ that no route matches (e.g. /api/v1/classes/abc/) answers in the API's own
    # error shape, as the API's routes do: an integration parses JSON, not the HTML page.
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": gettext("Tidak ditemukan."), "errors": []}, status=404)
    return render(request, "404.html", status=404)


# --- two-factor sign-in (core/two_factor.py) ---------------------------------------------------------


def two_factor_rate(group: str, request: HttpRequest) -> str:
    return settings.SINERGI_TWO_FACTOR_RATE


# One budget per account for every page that checks a code, so spreading guesses over them gains nothing.
code_attempts = ratelimit(
    key="user_or_ip", rate=two_factor_rate, group="two-factor-code", method="POST", block=True
)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


def _qr_svg(device) -> str:
    # Inline SVG: no image request, no CDN, and the CSP's img-src is not involved.
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=2, title=gettext("Kode QR untuk aplikasi autentikator")
    )


def _show_recovery_codes(request: HttpRequest, codes: list[str], *, first: bool) -> HttpResponse:
    return render(
        request, "core/two_factor_codes.html", {"codes": codes, "first": first, "next": _next_url(request)}
    )


def _two_factor_overview(request: HttpRequest, **forms: TwoFactorCodeForm) -> HttpResponse:
    user = request.user
    return render(
        request,
        "core/two_factor.html",
        {
            "device": two_factor.active_device(user),
            "required": two_factor.is_required(user),
            "remaining_codes": two_factor.remaining_recovery_codes(user),
            "regenerate_form": forms.get("regenerate_form") or TwoFactorCodeForm(prefix="baru"),
            "disable_form": forms.get("disable_form") or TwoFactorCodeForm(prefix="matikan"),
        },
    )


@role_required(*STAFF)
@personal_data  # the secret and the recovery codes are never cached
@code_attempts
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Status, or the setup (QR code, secret, first code) when two-factor is not on yet."""
    user = request.user
    if two_factor.active_device(user) is not None:
        if request.method == "POST":
            return redirect("two_factor")
        return _two_factor_overview(request)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = two_factor.confirm_setup(user=user, code=form.cleaned_data["kode"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            otp_login(request, device)
            return _show_recovery_codes(request, codes, first=True)
    pending = two_factor.pending_device(user)
    return render(
        request,
        "core/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": mark_safe(_qr_svg(pending)),  # noqa: S308 - segno's own SVG, no user text in it
            "secret": two_factor.secret_text(pending),
            "required": two_factor.is_required(user),
            "next": _next_url(request),
        },
    )


@role_required(*STAFF)
@never_cache
@code_attempts
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in, for an account with two-factor on."""
    next_url = _next_url(request)
    if two_factor.owed_step(request.user) != two_factor.VERIFY:
        return redirect(next_url)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.check_code(
                user=request.user, code=form.cleaned_data["kode"], purpose=gettext("masuk ke Sinergi")
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            otp_login(request, device)
            if isinstance(device, RecoveryCodeDevice):
                messages.warning(
                    request,
                    gettext(
                        "Anda masuk dengan kode pemulihan; sisa %(n)s kode. Buat kode pemulihan baru di "
                        "halaman Verifikasi dua langkah bila hampir habis."
                    )
                    % {"n": two_factor.remaining_recovery_codes(request.user)},
                )
            return redirect(next_url)
    return render(request, "core/two_factor_verify.html", {"form": form, "next": next_url})


@role_required(*STAFF)
@require_POST
@personal_data
@code_attempts
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes (with a current code); the old ones stop working."""
    if two_factor.active_device(request.user) is None:
        return redirect("two_factor")
    form = TwoFactorCodeForm(request.POST, prefix="baru")
    if form.is_valid():
        try:
            codes = two_factor.regenerate_recovery_codes(user=request.user, code=form.cleaned_data["kode"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _show_recovery_codes(request, codes, first=False)
    return _two_factor_overview(request, regenerate_form=form)


@role_required(*STAFF)
@require_POST
@code_attempts
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    """Switch two-factor off with a current code; refused for national admins, who must keep it."""
    if two_factor.active_device(request.user) is None:
        return redirect("two_factor")
    form = TwoFactorCodeForm(request.POST, prefix="matikan")
    if form.is_valid():
        try:
            two_factor.disable(user=request.user, code=form.cleaned_data["kode"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("Verifikasi dua langkah dimatikan untuk akun Anda."))
            return redirect("two_factor")
    return _two_factor_overview(request, disable_form=form)
