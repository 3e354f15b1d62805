"""Public pages of programmes: the class catalogue of the batches open for registration."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sinergi.programs.models import Academy, Batch, Level, TrainingClass
from sinergi.programs.selectors import batches_visible_to
from sinergi.regions.models import Region
from sinergi.registration.selectors import class_eligibility, own_participant
from sinergi.registration.services import registration_window_error

CLASSES_PER_PAGE = 24


def catalogue(request: HttpRequest) -> HttpResponse:
    """A page of the classes of open batches, filtered by region, academy, level, mode and a search;
    a signed-in participant sees, per class, whether they may apply and every reason why not. The
    number of queries depends on the page, never on how many classes are open."""
    mode = request.GET.get("moda", "")
    level = request.GET.get("tingkat", "")
    academy = request.GET.get("akademi", "")
    region_code = request.GET.get("wilayah", "")
    query = request.GET.get("q", "").strip()[:100]

    open_batches = batches_visible_to(request.user).filter(status=Batch.Status.OPEN)
    open_classes = TrainingClass.objects.filter(program__batch__in=open_batches.values("pk"))
    classes = open_classes
    if mode in TrainingClass.Mode.values:
        classes = classes.filter(mode=mode)
    if level in Level.values:
        classes = classes.filter(program__level=level)
    if academy:
        classes = classes.filter(program__academy__code=academy)
    if region_code:
        # A province includes its kab/kota.
        classes = classes.filter(Q(region__code=region_code) | Q(region__code__startswith=f"{region_code}."))
    if query:
        classes = classes.filter(
            Q(name__icontains=query) | Q(code__icontains=query) | Q(program__name__icontains=query)
        )
    classes = classes.select_related(
        "program__batch__region", "program__academy", "region", "provider"
    ).order_by(
        "program__batch__registration_closes", "program__batch_id", "program__name", "program_id", "code"
    )
    page = Paginator(classes, CLASSES_PER_PAGE).get_page(request.GET.get("page"))

    participant = own_participant(request.user)
    shown = list(page)
    batches: dict[int, Batch] = {}
    for c in shown:
        batch = batches.setdefault(c.program.batch_id, c.program.batch)
        c.program.batch = batch
    for batch in batches.values():
        batch.window_error = registration_window_error(batch)  # type: ignore[attr-defined]
    reasons = class_eligibility(participant, shown)
    for c in shown:
        c.reasons = reasons.get(c.pk)  # type: ignore[attr-defined]

    region_codes = open_classes.exclude(region=None).values("region_id").distinct()
    return render(
        request,
        "programs/catalogue.html",
        {
            "page": page,
            "classes": shown,
            "participant": participant,
            "is_participant": request.user.is_authenticated and request.user.role == "participant",
            "any_open": page.paginator.count > 0 or open_batches.exists(),
            "filters": {
                "moda": mode,
                "tingkat": level,
                "akademi": academy,
                "wilayah": region_code,
                "q": query,
            },
            "modes": TrainingClass.Mode.choices,
            "levels": Level.choices,
            "academies": Academy.objects.filter(programs__batch__in=open_batches.values("pk"))
            .distinct()
            .order_by("name")
            .values_list("code", "name"),
            "regions": Region.objects.filter(code__in=region_codes)
            .order_by("code")
            .values_list("code", "name"),
        },
    )
