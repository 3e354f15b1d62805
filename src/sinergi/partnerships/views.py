"""Pages of one agreement.

Public (no login): the agreement with its commitments' progress and its monev history. Signed-in
users see the same page through their scope (their region's drafts too).

The cooperation office (/kelola/kerja-sama/…, national and regional admins, scoped by
manage_selectors): create and edit an agreement with its parties and commitments, move it through
its lifecycle, attach PDFs, discuss it in TKKSD review, record monev rounds and manual
measurements. Anything outside the officer's scope is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.core.access import OFFICE, AuthenticatedRequest, role_required
from sinergi.partnerships import documents, explain, forms, manage_selectors, reminders, services
from sinergi.partnerships.metrics import agreement_rollup, commitment_progress
from sinergi.partnerships.models import Agreement, Status
from sinergi.partnerships.selectors import agreement_detail as select_agreement
from sinergi.partnerships.selectors import agreements_visible_to


def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = select_agreement(request.user, pk)
    today = timezone.localdate()
    commitments = [(c, commitment_progress(c, today)) for c in agreement.commitments.all()]
    monev_rounds = list(manage_selectors.monev_rounds(agreement))
    child_weights = [c.weight for child in agreement.children.all() for c in child.commitments.all()]
    explanations = explain.explain(
        commitments, monev_rounds, all_weights=[c.weight for c, _p in commitments] + child_weights
    )
    can_manage = manage_selectors.agreements_managed_by(request.user).filter(pk=agreement.pk).exists()
    return render(
        request,
        "partnerships/agreement_detail.html",
        {
            "agreement": agreement,
            "commitments": commitments,
            "explained": [(c, p, explanations[c.pk]) for c, p in commitments],
            "rollup": agreement_rollup(agreement, today),
            "children": agreements_visible_to(request.user).filter(parent=agreement),
            "monev_rounds": monev_rounds,
            "can_manage": can_manage,
        },
    )


# --- The cooperation office ----------------------------------------------------------------------


def _manager(request: HttpRequest) -> None:
    manage_selectors.require_manager(request.user)


@role_required(*OFFICE)
@require_GET
def document_search(request: HttpRequest) -> HttpResponse:
    """Find managed agreements by title, number, parties or the text inside their PDFs."""
    _manager(request)
    q = request.GET.get("q", "").strip()
    results = manage_selectors.search_managed(request.user, q) if q else Agreement.objects.none()
    page = Paginator(results, 25).get_page(request.GET.get("page"))
    return render(request, "partnerships/manage_search.html", {"q": q, "page": page})


def _agreement_forms(request: HttpRequest, agreement: Agreement | None):
    user: Any = request.user
    if request.method == "POST":
        form = forms.AgreementForm(request.POST, user=user, agreement=agreement)
        parties = forms.PartyFormSet(
            request.POST, prefix="pihak", form_kwargs={"user": user, "agreement": agreement}
        )
        commitments = forms.CommitmentFormSet(request.POST, prefix="komitmen")
        return form, parties, commitments
    if agreement is None:
        region_field: Any = forms.AgreementForm(user=user).fields["region"]
        region = region_field.initial or user.work_region
        initial = {"responsible_officers": [u.pk for u in manage_selectors.default_officers(user, region)]}
        form = forms.AgreementForm(user=user, initial=initial)
        own_org = user.organization_id
        party_initial = [{"organization": own_org, "role": "pihak_pertama"}] if own_org else []
        parties = forms.PartyFormSet(
            prefix="pihak", form_kwargs={"user": user}, initial=party_initial or None
        )
        parties.extra = 2 if party_initial else 3
        commitments = forms.CommitmentFormSet(prefix="komitmen")
        return form, parties, commitments
    form = forms.AgreementForm(
        user=user, agreement=agreement, initial=forms.AgreementForm.initial_for(agreement)
    )
    parties = forms.PartyFormSet(
        prefix="pihak",
        form_kwargs={"user": user, "agreement": agreement},
        initial=forms.party_initial(agreement),
    )
    commitments = forms.CommitmentFormSet(prefix="komitmen", initial=forms.commitment_initial(agreement))
    return form, parties, commitments


@role_required(*OFFICE)
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create (pk None) or edit an agreement with its parties and commitments in one transaction."""
    _manager(request)
    agreement = manage_selectors.managed_agreement(request.user, pk) if pk is not None else None
    form, parties, commitments = _agreement_forms(request, agreement)
    errors: list[str] = []
    if request.method == "POST":
        valid = form.is_valid() & parties.is_valid() & commitments.is_valid()
        if valid:
            fields = form.service_fields()
            try:
                if agreement is None:
                    result = services.create_agreement(
                        user=request.user,
                        parties=parties.party_inputs(),
                        commitments=commitments.commitment_inputs(),
                        **fields,
                    )
                else:
                    result = services.update_agreement(
                        agreement=agreement,
                        user=request.user,
                        parties=parties.party_inputs(),
                        commitments=commitments.commitment_inputs(),
                        **fields,
                    )
            except ValidationError as exc:
                forms.apply_service_errors(form, exc, extra=errors)
            else:
                for warning in result.warnings:
                    messages.warning(request, warning)
                messages.success(
                    request, _("Kerja sama tersimpan.") if agreement else _("Kerja sama baru tercatat.")
                )
                return redirect("partnerships:manage_detail", result.agreement.pk)
    has_errors = bool(errors or form.errors or parties.total_error_count() or commitments.total_error_count())
    return render(
        request,
        "partnerships/agreement_form.html",
        {
            "agreement": agreement,
            "form": form,
            "parties": parties,
            "commitments": commitments,
            "errors": errors,
            "has_errors": has_errors,
        },
        status=400 if request.method == "POST" and has_errors else 200,
    )


def _render_manage(
    request: HttpRequest, agreement: Agreement, *, status: int = 200, **bound: Any
) -> HttpResponse:
    today = timezone.localdate()
    commitments = []
    for c in agreement.commitments.all():
        measurement_form = bound.get("measurement_form") if bound.get("measurement_for") == c.pk else None
        commitments.append(
            {
                "commitment": c,
                "progress": commitment_progress(c, today),
                "measurements": manage_selectors.measurements(c)[:5] if c.metric_key == "manual" else [],
                "form": measurement_form or (forms.MeasurementForm() if c.metric_key == "manual" else None),
            }
        )
    allowed = [
        (s, Status(s).label) for s in services.TRANSITIONS[agreement.status] if s != Status.KEDALUWARSA
    ]
    context = {
        "agreement": agreement,
        "commitments": commitments,
        "rollup": agreement_rollup(agreement, today),
        "allowed_transitions": allowed,
        "can_extend": Status.DIPERPANJANG in services.TRANSITIONS[agreement.status],
        "needs_signed_date": Status.BERLAKU in services.TRANSITIONS[agreement.status]
        and agreement.signed_date is None,
        "transition_form": bound.get("transition_form") or forms.TransitionForm(),
        "attachments": manage_selectors.attachments(agreement),
        "unread_documents": manage_selectors.unread_documents(agreement),
        "document_form": bound.get("document_form") or forms.DocumentForm(),
        "threads": manage_selectors.comment_threads(agreement),
        "comment_form": bound.get("comment_form") or forms.CommentForm(),
        "reply_to": bound.get("reply_to"),
        "comments_open": agreement.status == Status.PEMBAHASAN,
        "monev_rounds": manage_selectors.monev_rounds(agreement),
        "monev_form": bound.get("monev_form") or forms.MonevForm(),
        "monev_open": agreement.status not in (Status.USULAN, Status.PEMBAHASAN, Status.MENUNGGU_TTD),
        "officers": reminders.responsible_officers(agreement),
        "officers_are_default": not agreement.responsible_officers.exists(),
        "max_mb": documents.max_mb_label(),
    }
    return render(request, "partnerships/manage_detail.html", context, status=status)


@role_required(*OFFICE)
@require_GET
def manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = manage_selectors.managed_agreement(request.user, pk)
    reply = request.GET.get("balas")
    reply_to = None
    if reply and reply.isdigit():
        reply_to = manage_selectors.managed_comment(request.user, agreement, int(reply))
    return _render_manage(
        request,
        agreement,
        reply_to=reply_to,
        comment_form=forms.CommentForm(initial={"parent": reply_to.pk}) if reply_to else None,
    )


@role_required(*OFFICE)
@require_POST
def manage_transition(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    agreement = manage_selectors.managed_agreement(request.user, pk)
    form = forms.TransitionForm(request.POST)
    if form.is_valid():
        to_status = form.cleaned_data["to_status"]
        try:
            services.transition(
                agreement,
                to_status=to_status,
                user=request.user,
                reason=form.cleaned_data["reason"].strip(),
                new_end_date=form.cleaned_data["new_end_date"],
                signed_date=form.cleaned_data["signed_date"],
            )
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Status kerja sama menjadi %(status)s.") % {"status": Status(to_status).label}
            )
            return redirect("partnerships:manage_detail", agreement.pk)
    return _render_manage(request, agreement, status=400, transition_form=form)


@role_required(*OFFICE)
@require_POST
def manage_document_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    agreement = manage_selectors.managed_agreement(request.user, pk)
    form = forms.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = services.attach_document(
                agreement, upload=form.cleaned_data["file"], user=request.user
            )
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Dokumen %(name)s tersimpan; teksnya sedang dibaca di latar.")
                % {"name": document.original_name},
            )
            return redirect("partnerships:manage_detail", agreement.pk)
    return _render_manage(request, agreement, status=400, document_form=form)


@role_required(*OFFICE)
@require_GET
def manage_document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    document = manage_selectors.managed_document(request.user, pk, document_pk)
    if document.text_status == document.TextStatus.REFUSED:
        raise Http404  # its bytes were deleted when the reader refused it
    try:
        handle = default_storage.open(str(document.file.name), "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*OFFICE)
@require_POST
def manage_comment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    agreement = manage_selectors.managed_agreement(request.user, pk)
    form = forms.CommentForm(request.POST, request.FILES)
    reply_to = None
    if form.is_valid():
        parent_pk = form.cleaned_data["parent"]
        if parent_pk:
            reply_to = manage_selectors.managed_comment(request.user, agreement, parent_pk)
        try:
            comment = services.add_review_comment(
                agreement,
                user=request.user,
                body=form.cleaned_data["body"],
                parent=reply_to,
                upload=form.cleaned_data["attachment"],
            )
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        else:
            messages.success(request, _("Komentar tersimpan."))
            return redirect(f"{_manage_url(agreement)}#komentar-{comment.pk}")
    return _render_manage(request, agreement, status=400, comment_form=form, reply_to=reply_to)


@role_required(*OFFICE)
@require_POST
def manage_monev(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    agreement = manage_selectors.managed_agreement(request.user, pk)
    form = forms.MonevForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_monev(
                agreement,
                user=request.user,
                evaluated_on=data["evaluated_on"],
                period_label=data["period_label"],
                recommendation=data["recommendation"],
                notes=data["notes"],
                upload=data["evidence"],
            )
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        else:
            messages.success(request, _("Hasil monev tercatat beserta potret komitmennya."))
            return redirect(f"{_manage_url(agreement)}#monev")
    return _render_manage(request, agreement, status=400, monev_form=form)


@role_required(*OFFICE)
@require_POST
def manage_measurement(request: AuthenticatedRequest, pk: int, commitment_pk: int) -> HttpResponse:
    commitment = manage_selectors.managed_commitment(request.user, pk, commitment_pk)
    agreement = manage_selectors.managed_agreement(request.user, pk)
    form = forms.MeasurementForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_manual_measurement(
                commitment,
                value=data["value"],
                evidence_note=data["evidence_note"],
                user=request.user,
                upload=data["evidence"],
            )
        except ValidationError as exc:
            forms.apply_service_errors(form, exc)
        else:
            messages.success(request, _("Nilai komitmen %(title)s tercatat.") % {"title": commitment.title})
            return redirect(f"{_manage_url(agreement)}#komitmen-{commitment.pk}")
    return _render_manage(
        request, agreement, status=400, measurement_form=form, measurement_for=commitment.pk
    )


def _manage_url(agreement: Agreement) -> str:
    return reverse("partnerships:manage_detail", args=[agreement.pk])
