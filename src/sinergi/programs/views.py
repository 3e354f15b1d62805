"""Programme management for national and regional admins: batches, programmes, eligibility rules,
classes and academies. Thin: reads through selectors, writes through services."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts.models import User
from sinergi.accounts.scoping import scope_for
from sinergi.core.access import OFFICE, AuthenticatedRequest, role_required
from sinergi.core.forms import add_service_errors
from sinergi.programs import selectors as select
from sinergi.programs import services
from sinergi.programs.forms import (
    RESERVED_LABELS,
    RULE_FORMS,
    AcademyForm,
    BatchForm,
    DomicileRuleForm,
    ProgramForm,
    TrainingClassForm,
)
from sinergi.programs.models import Education, EligibilityRule
from sinergi.regions.selectors import region_names
from sinergi.regions.widgets import search_button_name, search_field_name


def _form_page(
    request, form, *, title: str, back: str, submit: str, template="programs/manage_form.html", **extra
):
    return render(request, template, {"form": form, "title": title, "back": back, "submit": submit, **extra})


def _save(request, form, save, *, success: str):
    """Run a service; a refusal (e.g. an allocated batch) goes back to the form as a non-field error."""
    try:
        obj = save()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, success)
    return obj


@role_required(*OFFICE)
def batch_list(request: HttpRequest) -> HttpResponse:
    batches = select.managed_batches(request.user).order_by("-registration_opens", "pk")
    return render(request, "programs/manage_batch_list.html", {"batches": batches})


@role_required(*OFFICE)
def batch_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    select.require_manager(request.user)
    batch = select.managed_batch(request.user, pk) if pk else None
    user = cast(User, request.user)
    initial = {} if batch else {"organizer": user.organization_id, "region": user.work_region}
    form = BatchForm(
        request.POST if request.method == "POST" else None, instance=batch, initial=initial, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(
            request,
            form,
            lambda: services.save_batch(form, user=request.user),
            success=_("Gelombang disimpan."),
        )
        if saved:
            return redirect("programs:manage_batch", pk=saved.pk)
    return _form_page(
        request,
        form,
        title=_("Ubah gelombang") if batch else _("Gelombang baru"),
        back=reverse("programs:manage_batch", args=[batch.pk])
        if batch
        else reverse("programs:manage_batches"),
        submit=_("Simpan gelombang"),
    )


@role_required(*OFFICE)
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = select.managed_batch(request.user, pk)
    programs = select.batch_programs(request.user, batch)
    return render(request, "programs/manage_batch_detail.html", {"batch": batch, "programs": programs})


@role_required(*OFFICE)
@require_POST
def batch_close(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Tutup pendaftaran": from the batch's page or the allocation page (which passes `next`), so the
    officer can freeze the allocation's inputs straight after."""
    batch = select.managed_batch(request.user, pk)
    try:
        services.close_registration(batch, user=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Pendaftaran %(batch)s ditutup. Alokasi kursi sekarang dapat dibuat.") % {"batch": batch},
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("programs:manage_batch", args=[batch.pk])
    return redirect(target)


@role_required(*OFFICE)
def program_edit(request: HttpRequest, batch_pk: int | None = None, pk: int | None = None) -> HttpResponse:
    program = select.managed_program(request.user, pk) if pk else None
    batch = program.batch if program else select.managed_batch(request.user, batch_pk)  # type: ignore[arg-type]
    form = ProgramForm(
        request.POST if request.method == "POST" else None, instance=program, user=request.user, batch=batch
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(
            request,
            form,
            lambda: services.save_program(form, batch, user=request.user),
            success=_("Program disimpan."),
        )
        if saved:
            return redirect("programs:manage_program", pk=saved.pk)
    return _form_page(
        request,
        form,
        title=_("Ubah program") if program else _("Program baru di %(batch)s") % {"batch": batch.name},
        back=reverse("programs:manage_program", args=[program.pk])
        if program
        else reverse("programs:manage_batch", args=[batch.pk]),
        submit=_("Simpan program"),
    )


def describe_rule(rule: EligibilityRule) -> str:
    """The rule's parameters as a sentence fragment an admin can check at a glance."""
    params = rule.params or {}
    if rule.kind == EligibilityRule.Kind.AGE:
        low, high = params.get("min"), params.get("max")
        if low is not None and high is not None:
            return _("%(min)s–%(max)s tahun pada tanggal pendaftaran ditutup") % {"min": low, "max": high}
        if low is not None:
            return _("paling muda %(min)s tahun") % {"min": low}
        return _("paling tua %(max)s tahun") % {"max": high}
    if rule.kind == EligibilityRule.Kind.CATEGORY:
        return ", ".join(str(RESERVED_LABELS.get(c, c)) for c in params.get("in", []))
    if rule.kind == EligibilityRule.Kind.DOMICILE:
        names = region_names(params.get("regions", []))
        return ", ".join(f"{names.get(c, c)} ({c})" for c in params.get("regions", []))
    if rule.kind == EligibilityRule.Kind.EDUCATION:
        return _("minimal %(level)s") % {
            "level": dict(Education.choices).get(str(params.get("min")), params.get("min"))
        }
    if rule.kind == EligibilityRule.Kind.EXCLUSION:
        return _("%(reason)s (%(n)d NIK)") % {
            "reason": params.get("reason", ""),
            "n": len(params.get("nik_hashes", [])),
        }
    return ""


@role_required(*OFFICE)
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    program = select.managed_program(request.user, pk)
    rules = list(program.rules.all())
    for rule in rules:
        rule.summary = describe_rule(rule)  # type: ignore[attr-defined]
    classes = program.classes.select_related("provider", "region").order_by("code")
    for training_class in classes:
        training_class.reserved_rows = [  # type: ignore[attr-defined]
            (RESERVED_LABELS.get(c, c), n) for c, n in training_class.reserved_seats.items()
        ]
    return render(
        request,
        "programs/manage_program_detail.html",
        {
            "program": program,
            "rules": rules,
            "classes": classes,
            "rule_kinds": EligibilityRule.Kind.choices,
            "target_labels": [RESERVED_LABELS.get(c, c) for c in program.target_categories],
        },
    )


@role_required(*OFFICE)
def rule_edit(request: HttpRequest, program_pk: int | None = None, pk: int | None = None) -> HttpResponse:
    rule = select.managed_rule(request.user, pk) if pk else None
    kind = request.GET.get("jenis", "")
    program = rule.program if rule else select.managed_program(request.user, program_pk)  # type: ignore[arg-type]
    form_class = RULE_FORMS.get(rule.kind if rule else kind)
    if form_class is None:
        raise Http404
    data = request.POST if request.method == "POST" else None
    extra: dict = {}
    searching = False
    if issubclass(form_class, DomicileRuleForm):
        term_name, button_name = search_field_name("regions"), search_button_name("regions")
        term = (request.POST.get(term_name) or request.GET.get(term_name) or "")[:60]
        extra = {"user": request.user, "search_term": term, "search_url": request.get_full_path()}
        if request.method == "GET" and request.headers.get("HX-Request") and term_name in request.GET:
            search_form = DomicileRuleForm(program=program, rule=rule, **extra)
            return render(
                request,
                "regions/widgets/_region_matches.html",
                search_form.matches_fragment(request.GET.getlist("regions")),
            )
        # The "Cari" button (the page without JavaScript): the same form again, narrowed, ticks kept.
        searching = data is not None and button_name in data
        if searching:
            extra["initial"] = {"regions": data.getlist("regions")}  # type: ignore[union-attr]
            data = None
    form = form_class(data, program=program, rule=rule, **extra)
    if data is not None and not searching and form.is_valid():
        saved = _save(
            request,
            form,
            lambda: services.save_rule(form, program, rule=rule),
            success=_("Aturan kelayakan disimpan."),
        )
        if saved:
            return redirect("programs:manage_program", pk=program.pk)
    return _form_page(
        request,
        form,
        title=_("Aturan kelayakan: %(kind)s") % {"kind": EligibilityRule.Kind(form_class.kind).label},
        back=reverse("programs:manage_program", args=[program.pk]),
        submit=_("Simpan aturan"),
        program=program,
    )


@role_required(*OFFICE)
@require_POST
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = select.managed_rule(request.user, pk)
    try:
        services.delete_rule(rule)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Aturan kelayakan dihapus."))
    return redirect("programs:manage_program", pk=rule.program_id)


@role_required(*OFFICE)
def class_edit(request: HttpRequest, program_pk: int | None = None, pk: int | None = None) -> HttpResponse:
    training_class = select.managed_class(request.user, pk) if pk else None
    program = (
        training_class.program if training_class else select.managed_program(request.user, program_pk)  # type: ignore[arg-type]
    )
    form = TrainingClassForm(
        request.POST if request.method == "POST" else None,
        instance=training_class,
        user=request.user,
        program=program,
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, lambda: services.save_class(form, program), success=_("Kelas disimpan."))
        if saved:
            return redirect("programs:manage_program", pk=program.pk)
    return _form_page(
        request,
        form,
        title=_("Ubah kelas %(code)s") % {"code": training_class.code}
        if training_class
        else _("Kelas baru: %(program)s") % {"program": program.name},
        back=reverse("programs:manage_program", args=[program.pk]),
        submit=_("Simpan kelas"),
    )


@role_required(*OFFICE)
def academy_list(request: HttpRequest) -> HttpResponse:
    academies = select.academies_for(request.user)
    form = AcademyForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        academy = form.save(commit=False)
        if not scope_for(request.user).is_national and academy.region is None:
            form.add_error("region", _("Pilih wilayah akademi."))
        else:
            academy.save()
            messages.success(request, _("Akademi %(code)s ditambahkan.") % {"code": academy.code})
            return redirect("programs:manage_academies")
    return render(request, "programs/manage_academy_list.html", {"academies": academies, "form": form})
