"""Pages of seat allocation: the regional admin's runs (four steps, review, downloads for auditors) and
the participant's result with accept/decline. Thin: reads through selectors, writes through services."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.accounts.scoping import scope_for
from sinergi.core.http import personal_data
from sinergi.selection import selectors, services
from sinergi.selection.engine import FORMAT
from sinergi.selection.forms import DeclineForm, NewRunForm, PublishForm
from sinergi.selection.models import AllocationRun, RunStatus


def _require_admin(request: HttpRequest) -> None:
    scope = scope_for(request.user)
    if not (scope.is_national or scope.is_regional):
        raise Http404


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    batches = selectors.batches_for_allocation(request.user).prefetch_related("allocation_runs")
    page = Paginator(batches, 25).get_page(request.GET.get("page"))
    return render(request, "selection/batch_list.html", {"page": page})


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    batch = selectors.batch_for_allocation(request.user, pk)
    form = NewRunForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.create_run(
                request.user, batch, kind=form.cleaned_data["kind"], reason=form.cleaned_data["reason"]
            )
        except services.SelectionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                _("Masukan alokasi #%(n)s dibekukan dan hash-nya diumumkan.") % {"n": run.number},
            )
            return redirect("selection:run_detail", run.pk)
    runs = selectors.runs_visible_to(request.user).filter(batch=batch)
    return render(
        request,
        "selection/batch_detail.html",
        {
            "batch": batch,
            "runs": runs,
            "form": form,
            "offer_counts": selectors.offer_counts(batch),
            "has_published": any(r.is_published for r in runs),
        },
    )


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    run = selectors.run_detail(request.user, pk)
    context: dict[str, object] = {"run": run, "statuses": RunStatus}
    if run.status in (RunStatus.COMPUTED, RunStatus.PUBLISHED):
        context["stats"] = selectors.run_statistics(run)
    if run.status == RunStatus.COMPUTED:
        context["publish_form"] = PublishForm()
    return render(request, "selection/run_detail.html", context)


def _step(request: HttpRequest, pk: int, action, done_message: str) -> HttpResponse:
    _require_admin(request)
    run = selectors.run_detail(request.user, pk)
    try:
        action(request.user, run)
    except services.SelectionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done_message)
    return redirect("selection:run_detail", run.pk)


@login_required
@require_POST
def run_draw_seed(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.draw_seed, _("Angka undian ditarik dan dicatat."))


@login_required
@require_POST
def run_compute(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request, pk, services.compute, _("Simulasi alokasi selesai. Tinjau statistiknya sebelum terbit.")
    )


@login_required
@require_POST
def run_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.cancel_run, _("Alokasi dibatalkan."))


@login_required
@require_POST
def run_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    run = selectors.run_detail(request.user, pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            summary = services.publish(request.user, run, response_days=form.cleaned_data["response_days"])
        except services.SelectionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                _("Alokasi diterbitkan: %(n)s tawaran kursi dikirim ke peserta.") % {"n": summary.offers},
            )
            return redirect("selection:run_detail", run.pk)
    stats = selectors.run_statistics(run) if run.status == RunStatus.COMPUTED else None
    return render(
        request,
        "selection/run_detail.html",
        {"run": run, "statuses": RunStatus, "stats": stats, "publish_form": form},
        status=400,
    )


def _download(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _file_stem(run: AllocationRun) -> str:
    return f"alokasi-{run.batch_id}-{run.number}"


@login_required
@personal_data
def run_input_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The anonymised engine input (pseudonyms only) with the seed once drawn: `sinergi allocate` takes
    this file as it is. Available from step 1 so anyone can check it against the published hash."""
    _require_admin(request)
    run = selectors.run_detail(request.user, pk)
    text = json.dumps(services.engine_document(run), ensure_ascii=False, indent=1)
    return _download(text + "\n", f"{_file_stem(run)}-masukan.json")


@login_required
@personal_data
def run_result_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The published result, byte for byte what `sinergi allocate` prints for the input file."""
    _require_admin(request)
    run = selectors.run_detail(request.user, pk)
    if not run.is_published:
        raise Http404
    return _download(run.result + "\n", f"{_file_stem(run)}-hasil.json")


def batch_transparency(request: HttpRequest, pk: int) -> HttpResponse:
    batch, runs = selectors.public_runs(request.user, pk)
    return render(request, "selection/transparency.html", {"batch": batch, "runs": runs})


@login_required
@personal_data
def my_results(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "selection/my_results.html",
        {"results": selectors.participant_results(request.user), "format": FORMAT},
    )


@login_required
@require_POST
def offer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.own_offer(request.user, pk)
    try:
        services.accept_offer(request.user, offer.pk)
    except services.SelectionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Kursi di kelas %(cls)s Anda terima. Sampai jumpa di kelas!") % {"cls": offer.training_class},
        )
    return redirect("selection:my_results")


@login_required
def offer_decline(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.own_offer(request.user, pk)
    form = DeclineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decline_offer(request.user, offer.pk)
        except services.SelectionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Tawaran kursi di kelas %(cls)s Anda tolak.") % {"cls": offer.training_class}
            )
        return redirect("selection:my_results")
    return render(request, "selection/offer_decline.html", {"offer": offer, "form": form})
