"""Pages of smart-city readiness: frameworks (public), a region's self-assessment, assessors' scoring,
the consensus round and the result with its radar chart and gap analysis."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts.scoping import get_visible_or_404, scope_for
from sinergi.core import access
from sinergi.core.access import role_required
from sinergi.core.forms import add_service_errors
from sinergi.readiness import charts, region_selection, scoring, selectors, services
from sinergi.readiness.forms import (
    AssessorScoresForm,
    AssignAssessorForm,
    ConsensusForm,
    InitiativeForm,
    MasterplanForm,
    MilestoneForm,
    NoConflictForm,
    SelectionApplyForm,
    SelectionCallForm,
    SelfScoreForm,
    StartAssessmentForm,
)
from sinergi.readiness.models import Assessment, Dimension


def index(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    results = selectors.assessments_visible_to(request.user).filter(status=Assessment.Status.FINAL)
    own = None
    form = None
    if scope.is_national or scope.is_regional:
        own = selectors.assessments_visible_to(request.user).exclude(status=Assessment.Status.FINAL)
        if scope.is_regional:
            own = own.filter(scope.region_q("region"))
        form = StartAssessmentForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                assessment = services.start_assessment(
                    actor=request.user,
                    region=form.cleaned_data["region"],
                    framework=form.cleaned_data["framework"],
                    year=form.cleaned_data["year"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Penilaian dimulai. Isi tingkat setiap indikator beserta buktinya.")
                )
                return redirect("readiness:assessment_detail", assessment.pk)
    elif scope.role == "assessor":
        own = selectors.assessments_visible_to(request.user).filter(assignments__assessor_id=request.user.pk)
    return render(
        request,
        "readiness/index.html",
        {
            "frameworks": selectors.frameworks(),
            "results": results.order_by("framework__name", "framework_id", "-year", "-index")[:50],
            "own": own,
            "form": form,
        },
    )


def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_visible_or_404(selectors.frameworks(), pk=pk)
    dimensions = selectors.framework_structure(framework)
    return render(
        request, "readiness/framework_detail.html", {"framework": framework, "dimensions": dimensions}
    )


def _structure(assessment: Assessment) -> list[Dimension]:
    return list(selectors.framework_structure(assessment.framework))


def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, pk)
    scope = scope_for(request.user)
    can_edit = (
        assessment.status == Assessment.Status.DRAFT
        and (scope.is_national or scope.covers_region(assessment.region))
        and (scope.is_national or scope.is_regional)
    )
    is_officer = scope.is_national or (scope.is_regional and scope.covers_region(assessment.region))
    self_scores = (
        {s.indicator_id: s for s in assessment.self_scores.all()}
        if is_officer or assessment.status == Assessment.Status.FINAL
        else {}
    )
    dimensions = _structure(assessment)
    rows = []
    for dimension in dimensions:
        for aspect in dimension.aspects.all():
            for indicator in aspect.indicators.all():
                rows.append(
                    {
                        "dimension": dimension,
                        "aspect": aspect,
                        "indicator": indicator,
                        "self": self_scores.get(indicator.pk),
                        "final": assessment.final_levels.get(indicator.code),
                    }
                )
    context = {
        "assessment": assessment,
        "rows": rows,
        "can_edit": can_edit,
        "is_officer": is_officer,
        "scored": len(self_scores),
        "total": len(rows),
        "assignments": assessment.assignments.select_related("assessor") if is_officer else [],
        "assign_form": AssignAssessorForm()
        if scope.is_national and assessment.assignments.count() < 2
        else None,
        "my_assignment": assessment.assignments.filter(assessor_id=request.user.pk).first()
        if request.user.is_authenticated
        else None,
    }
    if assessment.status == Assessment.Status.FINAL:
        scores = [(d.name, float(Decimal(assessment.dimension_scores.get(d.code, "0")))) for d in dimensions]
        context.update(
            radar=charts.radar(scores),
            dimension_rows=[
                (d, score, assessment.framework.level_label(round(float(score))))
                for d, score in (
                    (d, Decimal(assessment.dimension_scores.get(d.code, "0"))) for d in dimensions
                )
            ],
            gaps=selectors.gap_analysis(assessment),
            peers=selectors.peer_results(assessment),
            history=selectors.history(assessment),
            formula=_("Indeks = Σ (bobot indikator ÷ %(total)s) × tingkat")
            % {"total": assessment.framework.weights_total.normalize()},
        )
    return render(request, "readiness/assessment_detail.html", context)


@role_required(*access.OFFICE)
def self_score_edit(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    assessment = selectors.manageable_assessment(request.user, pk)
    indicator = selectors.indicator_of(assessment, code)
    existing = assessment.self_scores.filter(indicator=indicator).first()
    initial = (
        {
            "level": existing.level,
            "justification": existing.justification,
            "evidence_url": existing.evidence_url,
        }
        if existing
        else {}
    )
    form = SelfScoreForm(request.POST or None, request.FILES or None, indicator=indicator, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_self_score(
                actor=request.user,
                assessment=assessment,
                indicator=indicator,
                level=form.cleaned_data["level"],
                justification=form.cleaned_data["justification"],
                evidence_url=form.cleaned_data["evidence_url"],
                evidence_file=form.cleaned_data["evidence_file"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Indikator %(code)s tersimpan.") % {"code": indicator.code})
            following = (
                assessment.framework.indicators.filter(position__gt=indicator.position)
                .order_by("position")
                .first()
            )
            if following and "next" in request.POST:
                return redirect("readiness:self_score_edit", assessment.pk, following.code)
            return redirect("readiness:assessment_detail", assessment.pk)
    return render(
        request,
        "readiness/self_score_form.html",
        {
            "assessment": assessment,
            "indicator": indicator,
            "form": form,
            "existing": existing,
            "measured": selectors.measured_value(indicator, assessment),
        },
    )


@role_required(*access.OFFICE)
@require_POST
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.manageable_assessment(request.user, pk)
    try:
        services.submit_assessment(actor=request.user, assessment=assessment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Penilaian mandiri diajukan. Admin nasional akan menugaskan dua asesor."))
    return redirect("readiness:assessment_detail", assessment.pk)


@role_required(*access.NATIONAL)
@require_POST
def assessor_assign(request: HttpRequest, pk: int) -> HttpResponse:
    if not scope_for(request.user).is_national:
        raise Http404
    assessment = selectors.assessment_for(request.user, pk)
    form = AssignAssessorForm(request.POST)
    if form.is_valid():
        try:
            services.assign_assessor(
                actor=request.user, assessment=assessment, assessor=form.cleaned_data["assessor"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Asesor ditugaskan."))
    else:
        messages.error(request, _("Pilih asesor dari daftar."))
    return redirect("readiness:assessment_detail", assessment.pk)


@role_required("assessor")
def assessor_scoring(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_of(request.user, pk)
    assessment = assignment.assessment
    declaration = NoConflictForm(request.POST if "declare" in request.POST else None)
    if request.method == "POST" and "declare" in request.POST and declaration.is_valid():
        try:
            services.declare_no_conflict(
                actor=request.user, assignment=assignment, confirmed=declaration.cleaned_data["confirmed"]
            )
        except ValidationError as exc:
            add_service_errors(declaration, exc)
        else:
            return redirect("readiness:assessor_scoring", assessment.pk)
    indicators = list(assessment.framework.indicators.order_by("position"))
    current = {s.indicator.code: (s.level, s.note) for s in assignment.scores.select_related("indicator")}
    form = None
    if assignment.no_conflict_declared_at is not None:
        form = AssessorScoresForm(
            request.POST if "declare" not in request.POST and request.method == "POST" else None,
            indicators=indicators,
            initial_levels=current,
        )
        if request.method == "POST" and "declare" not in request.POST and form.is_valid():
            try:
                services.save_assessor_scores(
                    actor=request.user,
                    assignment=assignment,
                    levels=form.levels(),
                    submit="submit" in request.POST,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Nilai asesor dikirim.")
                    if "submit" in request.POST
                    else _("Nilai asesor tersimpan sebagai draf."),
                )
                return redirect("readiness:assessor_scoring", assessment.pk)
    self_scores = {s.indicator_id: s for s in assessment.self_scores.all()}
    return render(
        request,
        "readiness/assessor_scoring.html",
        {
            "assessment": assessment,
            "assignment": assignment,
            "declaration": declaration,
            "form": form,
            "items": [
                (
                    indicator,
                    self_scores.get(indicator.pk),
                    form[f"level_{indicator.code}"] if form else None,
                    form[f"note_{indicator.code}"] if form else None,
                )
                for indicator in indicators
            ],
        },
    )


@role_required("assessor", "national_admin")
def consensus(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, pk)
    is_assessor = assessment.assignments.filter(assessor_id=request.user.pk).exists()
    if not (is_assessor or scope_for(request.user).is_national):
        raise Http404
    levels = services.assessor_levels(assessment)
    disputed = scoring.needs_consensus(levels[0], levels[1]) if len(levels) == 2 else []
    decided = {c.indicator.code: c for c in assessment.consensus_scores.select_related("indicator")}
    form = ConsensusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        indicator = selectors.indicator_of(assessment, form.cleaned_data["indicator"])
        try:
            services.record_consensus(
                actor=request.user,
                assessment=assessment,
                indicator=indicator,
                level=form.cleaned_data["level"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Konsensus %(code)s dicatat.") % {"code": indicator.code})
            return redirect("readiness:consensus", assessment.pk)
    indicators = {i.code: i for i in assessment.framework.indicators.filter(code__in=disputed)}
    items = [
        (indicators[code], levels[0][code], levels[1][code], decided.get(code))
        for code in disputed
        if code in indicators
    ]
    return render(
        request, "readiness/consensus.html", {"assessment": assessment, "items": items, "form": form}
    )


def selection_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "readiness/selection_list.html",
        {
            "calls": region_selection.calls_visible_to(request.user),
            "is_national": scope_for(request.user).is_national,
        },
    )


@role_required(*access.NATIONAL)
def selection_create(request: HttpRequest) -> HttpResponse:
    form = SelectionCallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            call = region_selection.create_call(
                actor=request.user,
                name=data["name"],
                quota=data["quota"],
                year=data["year"],
                framework=data["framework"],
                formula=data["formula"],
                description=data["description"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Seleksi dibuka; admin daerah dapat mendaftarkan wilayahnya."))
            return redirect("readiness:selection_detail", call.pk)
    return render(request, "readiness/selection_form.html", {"form": form})


def selection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = region_selection.call_for(request.user, pk)
    scope = scope_for(request.user)
    regions = region_selection.applicable_regions(request.user, call)
    form = SelectionApplyForm(request.POST if "apply" in request.POST else None, regions=regions)
    # Only officers act on a call; anyone else's POST is answered with the page itself.
    if request.method == "POST" and (scope.is_national or scope.is_regional):
        try:
            if "apply" in request.POST:
                if form.is_valid():
                    region_selection.apply(actor=request.user, call=call, region=form.cleaned_data["region"])
                    messages.success(
                        request, _("%(region)s terdaftar.") % {"region": form.cleaned_data["region"].name}
                    )
                    return redirect("readiness:selection_detail", call.pk)
            elif "rank" in request.POST:
                region_selection.rank_call(actor=request.user, call=call)
                messages.success(request, _("Peringkat dihitung. Periksa lalu umumkan."))
                return redirect("readiness:selection_detail", call.pk)
            elif "publish" in request.POST:
                region_selection.publish_call(actor=request.user, call=call)
                messages.success(request, _("Hasil seleksi diumumkan."))
                return redirect("readiness:selection_detail", call.pk)
        except ValidationError as exc:
            if "apply" in request.POST:
                add_service_errors(form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
    criteria = [
        (item["key"], region_selection.criterion_label(item["key"]), Decimal(str(item["weight"])))
        for item in call.formula
    ]
    visible = region_selection.ranking_visible(request.user, call)

    def with_parts(entries):
        # Each entry's breakdown in the formula's order, beside the criterion's label and weight.
        return [
            (entry, [(label, weight, entry.breakdown.get(key, {})) for key, label, weight in criteria])
            for entry in entries
        ]

    return render(
        request,
        "readiness/selection_detail.html",
        {
            "call": call,
            "criteria": criteria,
            "ranking": with_parts(region_selection.ranking_rows(call)) if visible else None,
            "own": with_parts(region_selection.own_entries(request.user, call)),
            "own_visible": visible,
            "form": form if regions.exists() or form.errors else None,
            "is_national": scope.is_national,
            "applicants": call.entries.count(),
        },
    )


def region_page(request: HttpRequest, code: str) -> HttpResponse:
    region = selectors.region_readiness_page(code)
    scope = scope_for(request.user)
    return render(
        request,
        "readiness/region.html",
        {
            "region": region,
            "latest": selectors.latest_final(region),
            "initiatives": selectors.initiatives_of(region),
            "masterplan": selectors.masterplan_of(region),
            "progress": selectors.masterplan_progress(region),
            "can_manage": scope.is_national or (scope.is_regional and scope.covers_region(region)),
        },
    )


def _own_region(request: HttpRequest, code: str):
    region = selectors.region_readiness_page(code)
    scope = scope_for(request.user)
    if not (scope.is_national or (scope.is_regional and scope.covers_region(region))):
        raise Http404
    return region


def _save_initiative(request: HttpRequest, region, initiative=None) -> HttpResponse:
    form = InitiativeForm(request.POST or None, instance=initiative, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = {field: form.cleaned_data[field] for field in services.INITIATIVE_FIELDS}
        try:
            services.save_initiative(
                actor=request.user,
                region=region,
                values=values,
                agreements=list(form.cleaned_data["agreements"]),
                initiative=initiative,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Inisiatif tersimpan."))
            return redirect("readiness:region_page", region.code)
    return render(
        request, "readiness/initiative_form.html", {"form": form, "region": region, "initiative": initiative}
    )


@role_required(*access.OFFICE)
def initiative_create(request: HttpRequest, code: str) -> HttpResponse:
    return _save_initiative(request, _own_region(request, code))


@role_required(*access.OFFICE)
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.manageable_initiative(request.user, pk)
    return _save_initiative(request, initiative.region, initiative)


@role_required(*access.OFFICE)
def masterplan_edit(request: HttpRequest, code: str) -> HttpResponse:
    region = _own_region(request, code)
    masterplan = selectors.masterplan_of(region)
    form = MasterplanForm(request.POST if "masterplan" in request.POST else None, instance=masterplan)
    milestone_form = MilestoneForm(request.POST if "milestone" in request.POST else None)
    try:
        if "masterplan" in request.POST and form.is_valid():
            services.save_masterplan(actor=request.user, region=region, **form.cleaned_data)
            messages.success(request, _("Masterplan tersimpan."))
            return redirect("readiness:masterplan_edit", region.code)
        if "milestone" in request.POST and masterplan and milestone_form.is_valid():
            services.add_milestone(actor=request.user, masterplan=masterplan, **milestone_form.cleaned_data)
            messages.success(request, _("Tonggak ditambahkan."))
            return redirect("readiness:masterplan_edit", region.code)
        if "achieved" in request.POST and masterplan:
            milestone = get_visible_or_404(masterplan.milestones.all(), pk=request.POST.get("achieved"))
            services.mark_milestone(actor=request.user, milestone=milestone, achieved_on=timezone.localdate())
            return redirect("readiness:masterplan_edit", region.code)
    except ValidationError as exc:
        add_service_errors(milestone_form if "milestone" in request.POST else form, exc)
    return render(
        request,
        "readiness/masterplan_form.html",
        {"region": region, "masterplan": masterplan, "form": form, "milestone_form": milestone_form},
    )
