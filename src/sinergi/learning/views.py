"""Delivery pages: provider staff run sessions, attendance, scores, completion and competency results;
regional and national admins follow along read-only; participants see their own classes and check in
by QR. Views are thin: scoping in selectors, writes in services."""

from __future__ import annotations

import io
from decimal import Decimal

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sinergi.accounts.scoping import get_visible_or_404, scope_for
from sinergi.core import tables
from sinergi.core.access import (
    ASSESSING,
    CLASS_READERS,
    DELIVERY,
    PARTICIPANT,
    PROVIDER,
    AuthenticatedRequest,
    role_required,
)
from sinergi.core.jobs import enqueue
from sinergi.core.notifications import absolute_url
from sinergi.core.selectors import job_visible_to
from sinergi.learning import imports, selectors, services
from sinergi.learning.forms import (
    AttendanceImportForm,
    CompetencySheetForm,
    CompetencyUnitForm,
    CompletionRuleForm,
    ScheduleForm,
    ScoreSheetForm,
    SessionForm,
)
from sinergi.learning.models import CompletionRule, Enrolment

# --- participant ----------------------------------------------------------------------------------


@role_required(*PARTICIPANT)
def my_classes(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = []
    for enrolment in selectors.own_enrolments(request.user):
        progress = selectors.enrolment_progress(enrolment, today=today)
        sessions = list(enrolment.training_class.sessions.all())
        rows.append(
            {
                "progress": progress,
                "sessions": [(s, progress.recorded.get(s.pk), s.date >= today) for s in sessions],
                "rule": selectors.rule_for(enrolment.training_class.program),
                "results": sorted(progress.results.values(), key=lambda r: r.unit.code),
            }
        )
    return render(request, "learning/my_classes.html", {"rows": rows})


@never_cache
@login_required
def check_in(request: HttpRequest, token: str) -> HttpResponse:
    """Where the session's QR code leads: the participant confirms with one tap (a POST, so a link
    preview or prefetch never checks anyone in)."""
    try:
        session = services.session_from_token(token)
        services.enrolment_for_checkin(request.user, session)
    except services.DeliveryError as exc:
        return render(request, "learning/check_in.html", {"error": str(exc)}, status=400)
    if request.method == "POST":
        try:
            session, recorded = services.check_in(request.user, token)
        except services.DeliveryError as exc:
            return render(request, "learning/check_in.html", {"error": str(exc)}, status=400)
        return render(
            request, "learning/check_in.html", {"session": session, "done": True, "recorded": recorded}
        )
    already = selectors.is_checked_in(request.user, session)
    return render(request, "learning/check_in.html", {"session": session, "already": already})


# --- classes --------------------------------------------------------------------------------------


@role_required(*CLASS_READERS)
def class_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    qs = selectors.delivery_class_list(request.user, query)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "learning/class_list.html", {"page": page, "q": query})


@role_required(*CLASS_READERS)
def class_detail(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = selectors.delivery_class(request.user, pk)
    today = timezone.localdate()
    progress = selectors.class_progress(training_class, today=today)
    counts = selectors.class_attendance_counts(training_class)
    sessions = [(s, counts.get(s.pk, 0)) for s in training_class.sessions.all()]
    scheduled_hours = sum((s.hours for s, _count in sessions), Decimal(0))
    return render(
        request,
        "learning/class_detail.html",
        {
            "tc": training_class,
            "sessions": sessions,
            "scheduled_hours": scheduled_hours,
            "progress": progress,
            "enrolled": len(progress),
            "rule": selectors.rule_for(training_class.program),
            "units": training_class.program.competency_units.all(),
            "can_manage": selectors.can_manage(request.user, training_class),
            "can_assess": selectors.can_assess(request.user, training_class),
            "can_set_rule": selectors.can_set_rule(request.user, training_class.program),
            "today": today,
        },
    )


# --- sessions -------------------------------------------------------------------------------------


@role_required(*PROVIDER)
def session_generate(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = selectors.managed_class(request.user, pk)
    form = ScheduleForm(request.POST or None, training_class=training_class)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sessions = services.generate_sessions(
                training_class,
                user=request.user,
                weekdays=data["hari"],
                first_day=data["mulai"],
                start_time=data["jam_mulai"],
                end_time=data["jam_selesai"],
                count=data["jumlah"],
                hours=data["jp"],
                topic=data["topik"],
            )
        except services.DeliveryError as exc:
            form.add_error("jumlah", str(exc))
        else:
            messages.success(
                request,
                _("%(n)s sesi tersusun (%(first)s – %(last)s); ubah satu per satu bila perlu.")
                % {
                    "n": len(sessions),
                    "first": sessions[0].date.strftime("%d/%m/%Y"),
                    "last": sessions[-1].date.strftime("%d/%m/%Y"),
                },
            )
            return redirect("learning:class_detail", training_class.pk)
    return render(request, "learning/session_generate.html", {"form": form, "tc": training_class})


@role_required(*PROVIDER)
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = selectors.managed_class(request.user, pk)
    form = SessionForm(request.POST or None, training_class=training_class)
    if request.method == "POST" and form.is_valid():
        session = services.save_session(training_class, user=request.user, **form.cleaned_data)
        messages.success(request, _("Sesi %(number)s tersimpan.") % {"number": session.number})
        return redirect("learning:class_detail", training_class.pk)
    return render(request, "learning/session_form.html", {"form": form, "tc": training_class})


@role_required(*PROVIDER)
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.managed_session(request.user, pk)
    form = SessionForm(request.POST or None, instance=session, training_class=session.training_class)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["number"] = data.get("number") or session.number
        services.save_session(session.training_class, user=request.user, session=session, **data)
        messages.success(request, _("Sesi %(number)s tersimpan.") % {"number": session.number})
        return redirect("learning:class_detail", session.training_class_id)
    return render(
        request,
        "learning/session_form.html",
        {"form": form, "tc": session.training_class, "session": session},
    )


@role_required(*PROVIDER)
@require_POST
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.managed_session(request.user, pk)
    class_pk = session.training_class_id
    try:
        services.delete_session(session, user=request.user)
        messages.success(request, _("Sesi dihapus."))
    except services.DeliveryError as exc:
        messages.error(request, str(exc))
    return redirect("learning:class_detail", class_pk)


@role_required(*PROVIDER)
@require_POST
def schedule_announce(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = selectors.managed_class(request.user, pk)
    try:
        sent = services.announce_schedule(training_class, user=request.user)
    except services.DeliveryError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Jadwal dikirim ke %(n)s peserta (yang sudah menerima jadwal ini dilewati).") % {"n": sent},
        )
    return redirect("learning:class_detail", training_class.pk)


# --- attendance -----------------------------------------------------------------------------------


@role_required(*PROVIDER)
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone checklist. Without JavaScript it is one form saved with the button; with htmx each tap
    saves at once (attendance_toggle)."""
    session = selectors.managed_session(request.user, pk)
    if request.method == "POST":
        if request.POST.get("action") == "all":
            ids = [e.pk for e, _present in selectors.session_checklist(session)]
        else:
            try:
                ids = [int(v) for v in request.POST.getlist("present")]
            except ValueError:
                return HttpResponseBadRequest(_("Data kehadiran tidak sah."))
        try:
            present, absent = services.mark_attendance(session, ids, user=request.user)
        except services.DeliveryError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Kehadiran sesi %(number)s tersimpan: %(present)s hadir, %(absent)s tidak hadir.")
                % {"number": session.number, "present": present, "absent": absent},
            )
        return redirect("learning:session_attendance", session.pk)
    checklist = selectors.session_checklist(session)
    return render(
        request,
        "learning/session_attendance.html",
        {
            "session": session,
            "checklist": checklist,
            "present_count": sum(1 for _e, p in checklist if p),
            "total": len(checklist),
        },
    )


@role_required(*PROVIDER)
@require_POST
def attendance_toggle(request: AuthenticatedRequest, pk: int, enrolment_pk: int) -> HttpResponse:
    session = selectors.managed_session(request.user, pk)
    enrolment = get_visible_or_404(selectors.class_enrolments(session.training_class), pk=enrolment_pk)
    present = str(enrolment.pk) in request.POST.getlist("present")
    try:
        services.set_attendance(session, enrolment, present=present, user=request.user)
    except services.DeliveryError as exc:
        return HttpResponseBadRequest(str(exc))
    if not getattr(request, "htmx", False):
        return redirect("learning:session_attendance", session.pk)
    checklist = selectors.session_checklist(session)
    return render(
        request,
        "learning/_attendance_row.html",
        {
            "session": session,
            "enrolment": enrolment,
            "present": present,
            "oob": True,  # the running count in the legend is refreshed beside the row
            "present_count": sum(1 for _e, p in checklist if p),
            "total": len(checklist),
        },
    )


@never_cache
@role_required(*PROVIDER)
def session_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The page shown on the projector: a QR code that changes every few minutes (htmx refreshes it)."""
    session = selectors.managed_session(request.user, pk)
    token = services.checkin_token(session)
    context = {
        "session": session,
        "token": token,
        "checkin_url": absolute_url(reverse("learning:check_in", args=[token])),
        "valid_minutes": int(services.CHECKIN_MAX_AGE.total_seconds() // 60),
        "expires_at": timezone.localtime() + services.CHECKIN_MAX_AGE,
    }
    template = "learning/_qr.html" if getattr(request, "htmx", False) else "learning/session_qr.html"
    return render(request, template, context)


@never_cache
@role_required(*PROVIDER)
def session_qr_image(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    session = selectors.managed_session(request.user, pk)
    try:
        if services.session_from_token(token).pk != session.pk:
            raise Http404
    except services.DeliveryError:
        raise Http404 from None
    url = absolute_url(reverse("learning:check_in", args=[token]))
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=8, border=2, xmldecl=False, title=_("Kode QR presensi")
    )
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@role_required(*PROVIDER)
def attendance_import(request: HttpRequest, pk: int) -> HttpResponse:
    """The upload is only stored here; a job reads and checks it (see learning.imports)."""
    training_class = selectors.managed_class(request.user, pk)
    form = AttendanceImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = enqueue(
            imports.JOB_KIND,
            user=request.user,
            path=tables.store_upload(upload, request.user, "attendance"),
            filename=upload.name,
            class_id=training_class.pk,
            user_id=request.user.pk,
        )
        return redirect("learning:attendance_import_result", training_class.pk, job.pk)
    return render(
        request,
        "learning/attendance_import.html",
        {"form": form, "tc": training_class, "sessions": training_class.sessions.all()},
    )


@role_required(*PROVIDER)
def attendance_import_result(request: HttpRequest, pk: int, job_pk: int) -> HttpResponse:
    """The job's progress, then its outcome; polled by htmx, which reloads the page when it ends."""
    training_class = selectors.managed_class(request.user, pk)
    job = job_visible_to(request.user, job_pk)
    if job.kind != imports.JOB_KIND or job.params.get("class_id") != training_class.pk:
        raise Http404
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        if job.is_finished:
            response["HX-Refresh"] = "true"
        return response
    return render(
        request,
        "learning/attendance_import.html",
        {
            "form": AttendanceImportForm(),
            "tc": training_class,
            "job": job,
            "result": job.result if job.status == job.Status.DONE else None,
            "sessions": training_class.sessions.all(),
        },
    )


# --- scores, completion ---------------------------------------------------------------------------


@role_required(*PROVIDER)
def scores(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = selectors.managed_class(request.user, pk)
    form = ScoreSheetForm(request.POST or None, enrolments=selectors.class_enrolments(training_class))
    if request.method == "POST" and form.is_valid():
        changed = services.record_scores(training_class, form.scores(), user=request.user)
        messages.success(request, _("Nilai tersimpan (%(n)s peserta berubah).") % {"n": changed})
        return redirect("learning:class_detail", training_class.pk)
    return render(request, "learning/scores.html", {"form": form, "tc": training_class})


@role_required(*PROVIDER)
def completion(request: HttpRequest, pk: int) -> HttpResponse:
    """Review the rule's proposals and confirm them, all at once or for the ticked participants."""
    training_class = selectors.managed_class(request.user, pk)
    today = timezone.localdate()
    if request.method == "POST":
        try:
            ids = [int(v) for v in request.POST.getlist("enrolment")]
        except ValueError:
            return HttpResponseBadRequest(_("Data peserta tidak sah."))
        if not ids:
            messages.error(request, _("Pilih minimal satu peserta untuk dikonfirmasi."))
        else:
            counts = services.confirm_completion(training_class, ids, user=request.user, today=today)
            messages.success(
                request,
                _(
                    "Konfirmasi tersimpan: %(completed)s lulus, %(not_completed)s tidak lulus, "
                    "%(skipped)s masih berjalan (tidak diubah), %(unchanged)s sudah sesuai."
                )
                % counts,
            )
        return redirect("learning:completion", training_class.pk)
    progress = selectors.class_progress(training_class, today=today)
    return render(
        request,
        "learning/completion.html",
        {
            "tc": training_class,
            "progress": progress,
            "rule": selectors.rule_for(training_class.program),
            "statuses": [
                (Enrolment.Status.ACTIVE, Enrolment.Status.ACTIVE.label),
                (Enrolment.Status.COMPLETED, Enrolment.Status.COMPLETED.label),
                (Enrolment.Status.NOT_COMPLETED, Enrolment.Status.NOT_COMPLETED.label),
            ],
        },
    )


@role_required(*PROVIDER)
@require_POST
def decide(request: AuthenticatedRequest, pk: int, enrolment_pk: int) -> HttpResponse:
    training_class = selectors.managed_class(request.user, pk)
    enrolment = get_visible_or_404(selectors.class_enrolments(training_class), pk=enrolment_pk)
    try:
        changed = services.decide_outcome(
            enrolment,
            status=request.POST.get("status", ""),
            user=request.user,
            reason=request.POST.get("alasan", "")[:1000],
        )
    except services.DeliveryError as exc:
        messages.error(request, str(exc))
    else:
        if changed:
            messages.success(
                request, _("Status %(name)s diperbarui.") % {"name": enrolment.participant.full_name}
            )
    return redirect("learning:completion", training_class.pk)


@role_required(*DELIVERY)
def rule(request: HttpRequest, pk: int) -> HttpResponse:
    """The completion rule and SKKNI units of the class's programme."""
    training_class = selectors.delivery_class(request.user, pk)
    program = training_class.program
    if not selectors.can_set_rule(request.user, program):
        raise Http404
    instance = selectors.completion_rule_of(program) or CompletionRule(program=program)
    is_unit = request.method == "POST" and request.POST.get("form") == "unit"
    rule_form = CompletionRuleForm(
        request.POST if request.method == "POST" and not is_unit else None, instance=instance
    )
    unit_form = CompetencyUnitForm(request.POST if is_unit else None)
    if request.method == "POST":
        if is_unit and unit_form.is_valid():
            unit = services.add_competency_unit(program, user=request.user, **unit_form.cleaned_data)
            messages.success(request, _("Unit %(code)s ditambahkan ke skema.") % {"code": unit.code})
            return redirect("learning:rule", training_class.pk)
        if not is_unit and rule_form.is_valid():
            services.save_completion_rule(program, user=request.user, **rule_form.cleaned_data)
            messages.success(request, _("Aturan kelulusan program tersimpan."))
            return redirect("learning:class_detail", training_class.pk)
    return render(
        request,
        "learning/rule.html",
        {
            "tc": training_class,
            "program": program,
            "rule_form": rule_form,
            "unit_form": unit_form,
            "units": program.competency_units.all(),
        },
    )


@role_required(*ASSESSING)
def competency(request: HttpRequest, pk: int) -> HttpResponse:
    training_class = get_visible_or_404(selectors.classes_assessed_by(request.user), pk=pk)
    units = training_class.program.competency_units.all()
    enrolments = list(selectors.class_enrolments(training_class))
    form = CompetencySheetForm(
        request.POST or None,
        units=units,
        assessors=selectors.assessor_choices(request.user),
        lsps=selectors.lsp_choices(),
        enrolments=enrolments,
        initial={"assessor": request.user.pk if scope_for(request.user).role == "assessor" else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_pk = {e.pk: e for e in enrolments}
        try:
            saved = services.record_competency_sheet(
                data["unit"],
                {by_pk[pk]: outcome for pk, outcome in form.outcomes().items()},
                assessed_at=data["assessed_at"],
                user=request.user,
                assessor=data["assessor"],
                assessor_name=data["assessor_name"],
                lsp=data["lsp"],
            )
        except services.DeliveryError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Hasil uji unit %(code)s tersimpan untuk %(n)s peserta.")
                % {"code": data["unit"].code, "n": saved},
            )
            return redirect("learning:competency", training_class.pk)
    results = selectors.competency_results_by_enrolment_and_unit(enrolments)
    table = [(e, [results.get((e.pk, u.pk)) for u in units]) for e in enrolments]
    return render(
        request,
        "learning/competency.html",
        {"tc": training_class, "form": form, "units": units, "table": table},
    )
