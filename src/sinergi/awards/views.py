"""Pages of award cycles: the public list and results, nominations by regions, the jury's sheet."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sinergi.accounts.scoping import scope_for
from sinergi.awards import selectors, services
from sinergi.awards.forms import AwardCategoryForm, AwardCycleForm, JuryScoreForm, NominationForm
from sinergi.awards.models import AwardCycle
from sinergi.core import access
from sinergi.core.access import role_required
from sinergi.core.forms import add_service_errors


def cycle_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "awards/cycle_list.html",
        {"cycles": selectors.cycles(), "is_national": scope_for(request.user).is_national},
    )


@role_required(*access.NATIONAL)
def cycle_create(request: HttpRequest) -> HttpResponse:
    form = AwardCycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = services.create_cycle(
                actor=request.user,
                name=data["name"],
                year=data["year"],
                description=data["description"],
                jurors=data["jurors"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Siklus dibuka. Tambahkan kategorinya."))
            return redirect("awards:category_create", cycle.pk)
    return render(request, "awards/cycle_form.html", {"form": form})


@role_required(*access.NATIONAL)
def category_create(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_for(pk)
    form = AwardCategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            category = services.add_category(
                actor=request.user,
                cycle=cycle,
                name=data["name"],
                nominee_kind=data["nominee_kind"],
                dimension=data["dimension"],
                criteria=data["formula"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Kategori %(name)s ditambahkan.") % {"name": category.name})
            return redirect("awards:cycle_detail", cycle.pk)
    return render(request, "awards/category_form.html", {"form": form, "cycle": cycle})


def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_for(pk)
    scope = scope_for(request.user)
    can_nominate = cycle.status == AwardCycle.Status.NOMINATING and (scope.is_national or scope.is_regional)
    form = (
        NominationForm(request.POST if "nominate" in request.POST else None, cycle=cycle, user=request.user)
        if can_nominate
        else None
    )
    # Only officers act on a cycle; anyone else's POST is answered with the page itself.
    if request.method == "POST" and (scope.is_national or scope.is_regional):
        try:
            if "nominate" in request.POST and form is not None and form.is_valid():
                data = form.cleaned_data
                services.nominate(
                    actor=request.user,
                    category=data["category"],
                    region=data["region"],
                    nominee_name=data["nominee_name"],
                    nominee_position=data["nominee_position"],
                    evidence=data["evidence"],
                    evidence_url=data["evidence_url"],
                )
                messages.success(request, _("Calon didaftarkan."))
                return redirect("awards:cycle_detail", cycle.pk)
            if "close" in request.POST:
                services.close_nominations(actor=request.user, cycle=cycle)
                return redirect("awards:cycle_detail", cycle.pk)
            if "rank" in request.POST:
                services.rank_cycle(actor=request.user, cycle=cycle)
                return redirect("awards:cycle_detail", cycle.pk)
            if "publish" in request.POST:
                issuer = getattr(request.user, "organization", None)
                if issuer is None:
                    raise ValidationError(_("Akun Anda tidak terhubung ke organisasi penerbit piagam."))
                services.publish_cycle(actor=request.user, cycle=cycle, issuer=issuer)
                messages.success(request, _("Penghargaan diumumkan; pemenang menerima piagam elektronik."))
                return redirect("awards:cycle_detail", cycle.pk)
        except ValidationError as exc:
            if "nominate" in request.POST and form is not None and hasattr(exc, "error_dict"):
                add_service_errors(form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
    nominations = list(selectors.nominations_visible_to(request.user, cycle))
    show_ranking = cycle.status == AwardCycle.Status.PUBLISHED or (
        cycle.status == AwardCycle.Status.RANKED and scope.is_national
    )
    juror = selectors.is_juror(request.user, cycle)
    scored = selectors.nominations_scored_by(request.user, cycle) if juror else set()
    categories = []
    for category in cycle.categories.all():
        criteria = [
            (item["key"], services.criterion_label(item["key"]), Decimal(str(item["weight"])))
            for item in category.criteria
        ]
        rows = [n for n in nominations if n.category_id == category.pk]
        if show_ranking:
            rows.sort(key=lambda n: (n.rank is None, n.rank or 0))
        categories.append(
            {
                "category": category,
                "criteria": criteria,
                "rows": [
                    (n, [(label, weight, n.breakdown.get(key, {})) for key, label, weight in criteria])
                    for n in rows
                ],
            }
        )
    return render(
        request,
        "awards/cycle_detail.html",
        {
            "cycle": cycle,
            "categories": categories,
            "form": form,
            "show_ranking": show_ranking,
            "is_national": scope.is_national,
            "juror": juror,
            "scored": scored,
        },
    )


@login_required
def jury_score(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = selectors.nomination_for_juror(request.user, pk)
    existing = selectors.own_jury_score(request.user, nomination)
    initial = (
        {"has_conflict": existing.has_conflict, "score": existing.score, "note": existing.note}
        if existing
        else {}
    )
    form = JuryScoreForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.score_nomination(
                actor=request.user,
                nomination=nomination,
                has_conflict=form.cleaned_data["has_conflict"],
                score=form.cleaned_data["score"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Penilaian juri tersimpan."))
            return redirect("awards:cycle_detail", nomination.category.cycle_id)
    return render(request, "awards/jury_score.html", {"nomination": nomination, "form": form})
