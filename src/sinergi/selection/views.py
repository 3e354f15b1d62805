"""Pages of seat allocation: the regional admin's runs (four steps, review, downloads for auditors) and
the participant's result with accept/decline. Thin: reads through selectors, writes through services."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from sinergi.accounts.scoping import scope_for
from sinergi.core.access import OFFICE, PARTICIPANT, AuthenticatedRequest, role_required
from sinergi.core.http import personal_data
from sinergi.core.models import Job
from sinergi.registration.privacy import record_views, shown_fields
from sinergi.selection import selectors, services
from sinergi.selection.engine import FORMAT
from sinergi.selection.forms import DeclineForm, NewRunForm, PublishForm
from sinergi.selection.models import AllocationRun, RunStatus


def _require_admin(request: HttpRequest) -> None:
    scope = scope_for(request.user)
    if not (scope.is_national or scope.is_regional):
        raise Http404


@role_required(*OFFICE)
def batch_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    batches = selectors.batches_with_runs(request.user)
    page = Paginator(batches, 25).get_page(request.GET.get("page"))
    return render(request, "selection/batch_list.html", {"page": page})


@role_required(*OFFICE)
def batch_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    batch = selectors.batch_for_allocation(request.user, pk)
    form = NewRunForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        kind, reason = form.cleaned_data["kind"], form.cleaned_data["reason"]
        try:
            services.check_new_run(request.user, batch, kind=kind, reason=reason)
            job = services.start_step(request.user, batch, step=services.FREEZE, run_kind=kind, reason=reason)
        except services.SelectionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return _after_step(request, job)
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
            "job": selectors.freeze_job(batch),
        },
    )


@role_required(*OFFICE)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    run = selectors.run_detail(request.user, pk)
    return render(request, "selection/run_detail.html", _run_context(request, run))


def _run_context(request: HttpRequest, run: AllocationRun, **extra: object) -> dict[str, object]:
    job = selectors.run_step_job(run)
    context: dict[str, object] = {"run": run, "statuses": RunStatus, "job": job}
    busy = job is not None and not job.is_finished
    context["busy"] = busy
    if run.status in (RunStatus.COMPUTED, RunStatus.PUBLISHED):
        context["stats"] = selectors.run_statistics(run, request.GET.get("page"))
    if run.status == RunStatus.COMPUTED and not busy:
        context["publish_form"] = PublishForm()
    context.update(extra)
    return context


# What each finished step says, from the job's result.
def _done_message(job: Job) -> str:
    if job.kind == services.FREEZE:
        return _("Masukan alokasi #%(n)s dibekukan dan hash-nya diumumkan.") % {"n": job.result.get("number")}
    if job.kind == services.COMPUTE:
        return _("Simulasi alokasi selesai. Tinjau statistiknya sebelum terbit.")
    return _("Alokasi diterbitkan: %(n)s tawaran kursi dikirim ke peserta.") % {
        "n": job.result.get("offers", 0)
    }


def _step_target(job: Job) -> str:
    run = job.result.get("run") or job.params.get("run")
    if run:
        return reverse("selection:run_detail", args=[run])
    return reverse("selection:batch_detail", args=[job.params["batch"]])


def _after_step(request: HttpRequest, job: Job) -> HttpResponse:
    """Where a request that enqueued a step goes: when the job already finished (the embedded
    synchronous mode), straight to its outcome; otherwise to the page that shows its progress."""
    job.refresh_from_db()
    if job.status == Job.Status.DONE:
        messages.success(request, _done_message(job))
    elif job.status == Job.Status.FAILED:
        messages.error(request, job.message)
    return redirect(_step_target(job))


@role_required(*OFFICE)
def step_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled by htmx from the run's (or batch's) page while a step runs; once it is over the page
    reloads to show the outcome."""
    _require_admin(request)
    job = selectors.step_job(request.user, pk)
    if not job.is_finished:
        return render(request, "selection/_step_progress.html", {"job": job})
    if job.status == Job.Status.DONE:
        messages.success(request, _done_message(job))
    target = _step_target(job)
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


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


@role_required(*OFFICE)
@require_POST
def run_draw_seed(request: HttpRequest, pk: int) -> HttpResponse:
    # One row and a random number: the only step quick enough to stay in the request.
    return _step(request, pk, services.draw_seed, _("Angka undian ditarik dan dicatat."))


@role_required(*OFFICE)
@require_POST
def run_compute(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    run = selectors.run_detail(request.user, pk)
    if run.status != RunStatus.SEEDED:
        messages.error(
            request,
            _("Langkah ini tidak dapat dilakukan pada tahap “%(status)s”.")
            % {"status": run.get_status_display()},
        )
        return redirect("selection:run_detail", run.pk)
    try:
        job = services.start_step(request.user, run.batch, step=services.COMPUTE, run=run.pk)
    except services.SelectionError as exc:
        messages.error(request, exc.message)
        return redirect("selection:run_detail", run.pk)
    return _after_step(request, job)


@role_required(*OFFICE)
@require_POST
def run_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.cancel_run, _("Alokasi dibatalkan."))


@role_required(*OFFICE)
@require_POST
def run_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    run = selectors.run_detail(request.user, pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        if run.status != RunStatus.COMPUTED:
            form.add_error(
                None,
                _("Langkah ini tidak dapat dilakukan pada tahap “%(status)s”.")
                % {"status": run.get_status_display()},
            )
        else:
            try:
                job = services.start_step(
                    request.user,
                    run.batch,
                    step=services.PUBLISH,
                    run=run.pk,
                    response_days=form.cleaned_data["response_days"],
                )
            except services.SelectionError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return _after_step(request, job)
    return render(
        request, "selection/run_detail.html", _run_context(request, run, publish_form=form), status=400
    )


def _download(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _file_stem(run: AllocationRun) -> str:
    return f"alokasi-{run.batch_id}-{run.number}"


@role_required(*OFFICE)
@personal_data
def run_input_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The anonymised engine input (pseudonyms only) with the seed once drawn: `sinergi allocate` takes
    this file as it is. Available from step 1 so anyone can check it against the published hash."""
    _require_admin(request)
    run = selectors.run_detail(request.user, pk)
    text = json.dumps(services.engine_document(run), ensure_ascii=False, indent=1)
    return _download(text + "\n", f"{_file_stem(run)}-masukan.json")


@role_required(*OFFICE)
@personal_data
def run_result_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The published result, byte for byte what `sinergi allocate` prints for the input file."""
    _require_admin(request)
    run = selectors.run_detail(request.user, pk)
    if not run.is_published:
        raise Http404
    return _download(run.result + "\n", f"{_file_stem(run)}-hasil.json")  # the one read of the result


def batch_transparency(request: HttpRequest, pk: int) -> HttpResponse:
    batch, runs = selectors.public_runs(request.user, pk)
    return render(request, "selection/transparency.html", {"batch": batch, "runs": runs})


@role_required(*PARTICIPANT)
@personal_data
def my_results(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "selection/my_results.html",
        {"results": selectors.participant_results(request.user), "format": FORMAT},
    )


@role_required(*PARTICIPANT)
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
            _("Anda menerima kursi di kelas %(code)s “%(name)s”, mulai %(start)s. Sampai jumpa di kelas!")
            % {
                "code": offer.training_class.code,
                "name": offer.training_class.name,
                "start": date_format(offer.training_class.starts_on, "j F Y"),
            },
        )
    return redirect("selection:my_results")


@role_required(*PARTICIPANT)
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


# --- officers: offers waiting for an answer --------------------------------------------------------


@role_required(*OFFICE)
def unanswered_offers(request: HttpRequest) -> HttpResponse:
    from sinergi.selection import reminders

    _require_admin(request)
    if request.method == "POST":
        wanted = request.POST.getlist("offer")
        if request.POST.get("all"):
            wanted = [
                str(pk) for pk in reminders.unanswered_offers(request.user).values_list("pk", flat=True)
            ]
        pks = [int(pk) for pk in wanted if pk.isdigit()]
        if not pks:
            messages.error(request, _("Pilih sedikitnya satu tawaran untuk diingatkan."))
        else:
            sent = reminders.remind_offers(request.user, pks)
            messages.success(
                request,
                _(
                    "%(sent)s pengingat terkirim; yang sudah diingatkan hari ini atau belum punya akun "
                    "dilewati."
                )
                % {"sent": sent},
            )
        return redirect("selection:unanswered_offers")
    offers = reminders.unanswered_offers(request.user)
    page = Paginator(offers, 50).get_page(request.GET.get("page"))
    # People without an account are listed with their phone number, so the office can call them.
    record_views(
        request.user,
        [
            (o.participant, [] if o.participant.user_id else shown_fields(o.participant, ["phone"]))
            for o in page
        ],
        page=request.get_full_path(),
        page_title=gettext_noop("Tawaran kursi belum dijawab"),
    )
    return render(
        request,
        "selection/unanswered_offers.html",
        {"page": page, "groups": reminders.unanswered_by_class(request.user)},
    )
