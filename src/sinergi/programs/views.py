"""Public pages of programmes: the class catalogue of the batches open for registration."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sinergi.programs.models import Batch, Program, TrainingClass
from sinergi.programs.selectors import batches_visible_to
from sinergi.registration.selectors import class_eligibility, own_participant
from sinergi.registration.services import registration_window_error


def catalogue(request: HttpRequest) -> HttpResponse:
    """Open batches with their programmes and classes; a signed-in participant sees, per class,
    whether they may apply and every reason why not."""
    mode = request.GET.get("moda", "")
    batches = list(
        batches_visible_to(request.user)
        .filter(status=Batch.Status.OPEN)
        .order_by("registration_closes", "pk")
        .prefetch_related(
            Prefetch(
                "programs",
                queryset=Program.objects.select_related("academy").prefetch_related(
                    Prefetch(
                        "classes",
                        queryset=TrainingClass.objects.select_related("region", "provider").filter(
                            **({"mode": mode} if mode in TrainingClass.Mode.values else {})
                        ),
                    )
                ),
            )
        )
    )
    participant = own_participant(request.user)
    classes = []
    for batch in batches:
        batch.window_error = registration_window_error(batch)  # type: ignore[attr-defined]
        for program in batch.programs.all():
            program.batch = batch
            for training_class in program.classes.all():
                training_class.program = program
                classes.append(training_class)
    reasons = class_eligibility(participant, classes)
    for training_class in classes:
        training_class.reasons = reasons.get(training_class.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "programs/catalogue.html",
        {
            "batches": batches,
            "participant": participant,
            "is_participant": request.user.is_authenticated and request.user.role == "participant",
            "mode": mode,
            "modes": TrainingClass.Mode.choices,
        },
    )
