"""The graduate's answer page (personal signed link, no login) and the officer's tracer pages per
programme (rounds, response rates, answer distribution, before → after, CSV)."""

from __future__ import annotations

import csv
import io

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sinergi.core.access import OFFICE, role_required
from sinergi.core.forms import add_service_errors
from sinergi.core.http import personal_data
from sinergi.core.tables import csv_field
from sinergi.outcomes import answers as answer_rules
from sinergi.outcomes import selectors, services


class RoundForm(forms.Form):
    offset_months = forms.IntegerField(
        label=gettext_lazy("Bulan setelah lulus"),
        min_value=1,
        max_value=60,
        help_text=gettext_lazy("Misalnya 3 atau 12."),
    )
    window_days = forms.IntegerField(
        label=gettext_lazy("Masa pengiriman (hari)"), min_value=7, max_value=365, initial=60
    )


def _raw_answers(request: HttpRequest, questions: list[dict]) -> dict:
    raw: dict = {}
    for q in questions:
        if q["type"] == "multiple":
            raw[q["code"]] = request.POST.getlist(q["code"])
        else:
            raw[q["code"]] = request.POST.get(q["code"], "")
    return raw


def _display_value(q: dict, value) -> object:
    """A stored answer as the form shows it again (dates as the date input wants them)."""
    if value is None:
        return [] if q["type"] == "multiple" else ""
    if q["type"] == "multiple":
        return [str(v) for v in value]
    return str(value)


@never_cache
def answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_from_token(token)
        version = services.version_for(invitation)
    except ValidationError as exc:
        return render(request, "outcomes/answer_invalid.html", {"message": exc.messages[0]}, status=400)
    questions = version.questions
    stored = getattr(invitation, "response", None)
    values = {
        q["code"]: _display_value(q, (stored.answers if stored else {}).get(q["code"])) for q in questions
    }
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        raw = _raw_answers(request, questions)
        try:
            _response, created = services.submit_response(invitation=invitation, raw=raw)
        except ValidationError as exc:
            errors = exc.message_dict
            values = {q["code"]: raw[q["code"]] for q in questions}
            status = 400
        else:
            messages.success(
                request,
                _("Terima kasih, jawaban Anda tersimpan.")
                if created
                else _("Perubahan jawaban Anda tersimpan. Jawaban sebelumnya sudah diganti."),
            )
            return redirect("outcomes:answer", token=token)
    shown_now, _problems = answer_rules.validate(questions, values)
    items = []
    for n, q in enumerate(questions, 1):
        condition = q.get("show_if")
        hint = ""
        if condition:
            parent = next((p for p in questions if p["code"] == condition["question"]), None)
            if parent is not None:
                hint = _("Isi bila Anda menjawab “%(answer)s” pada pertanyaan “%(question)s”.") % {
                    "answer": " / ".join(answer_rules.option_label(parent, v) for v in condition["in"]),
                    "question": parent["label"],
                }
        items.append(
            {
                "n": n,
                "q": q,
                "value": values.get(q["code"]),
                "errors": errors.get(q["code"], []),
                "hint": hint,
                "hidden": bool(condition) and not answer_rules.is_shown(q, shown_now),
                "show_if_question": condition["question"] if condition else "",
                "show_if_values": "|".join(condition["in"]) if condition else "",
            }
        )
    return render(
        request,
        "outcomes/answer.html",
        {
            "invitation": invitation,
            "survey": invitation.round.survey,
            "items": items,
            "answered": stored is not None,
            "error_count": sum(len(e) for e in errors.values()),
            "scale": answer_rules.SCALE,
        },
        status=status,
    )


@role_required(*OFFICE)
def program_list(request: HttpRequest) -> HttpResponse:
    programs = selectors.tracer_programs_visible_to(request.user).order_by(
        "-batch__registration_closes", "name"
    )
    return render(request, "outcomes/program_list.html", {"programs": programs})


@role_required(*OFFICE)
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    program = selectors.tracer_program(request.user, pk)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_round(
                actor=request.user,
                program=program,
                offset_months=form.cleaned_data["offset_months"],
                window_days=form.cleaned_data["window_days"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Putaran tracer ditambahkan; undangan dikirim saat jatuh tempo."))
            return redirect("outcomes:program", pk=program.pk)
    offset = request.GET.get("putaran", "")
    offset_months = int(offset) if offset.isdigit() else None
    stats = selectors.round_stats(program)
    if offset_months is not None and offset_months not in {s.round.offset_months for s in stats}:
        offset_months = None
    return render(
        request,
        "outcomes/program_detail.html",
        {
            "program": program,
            "stats": stats,
            "form": form,
            "offset_months": offset_months,
            "summaries": selectors.distribution(program, offset_months),
            "before_after": selectors.before_after(program, offset_months),
            "activity_labels": selectors.activity_labels(),
        },
        status=400 if form.errors else 200,
    )


@role_required(*OFFICE)
@require_GET
@personal_data
def program_csv(request: HttpRequest, pk: int) -> HttpResponse:
    program = selectors.tracer_program(request.user, pk)
    header, rows = selectors.export_rows(program)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_field(h) for h in header])
    for row in rows:
        writer.writerow([csv_field(v) for v in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tracer-program-{program.pk}.csv"'
    return response
