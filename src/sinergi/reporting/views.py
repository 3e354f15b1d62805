"""Dashboards (signed-in offices) and open data (everyone, no login)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sinergi.core.access import OFFICE, role_required
from sinergi.core.forms import add_service_errors
from sinergi.regions.models import Region
from sinergi.reporting import charts, opendata, selectors, services
from sinergi.reporting.forms import RegionalTargetForm
from sinergi.reporting.funnel import last_refresh


def _office(request: HttpRequest) -> None:
    if not selectors.can_see_dashboards(request.user):
        raise Http404


@role_required(*OFFICE)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _office(request)
    filters = selectors.parse_filters(request.user, request.GET)
    by = request.GET.get("by", "category")
    if by not in selectors.BREAKDOWNS:
        by = "category"
    batches = selectors.dashboard_batches(request.user).order_by("-registration_closes")
    programs = selectors.dashboard_programs(request.user, filters)
    region_choices = selectors.dashboard_region_choices(request.user)
    tables = [
        charts.funnel_table(request.user, filters),
        charts.breakdown_table(request.user, filters, by),
        charts.time_table(request.user, filters),
        charts.regions_table(request.user, filters),
    ]
    return render(
        request,
        "reporting/dashboard.html",
        {
            "filters": filters,
            "query": filters.query(),
            "by": by,
            "breakdowns": selectors.breakdown_labels().items(),
            "batches": batches,
            "programs": programs[:200],
            "region_choices": region_choices,
            "tables": tables,
            "refreshed": last_refresh(),
        },
    )


@role_required(*OFFICE)
@require_GET
def chart_csv(request: HttpRequest, name: str) -> HttpResponse:
    _office(request)
    filters = selectors.parse_filters(request.user, request.GET)
    table = charts.chart_by_name(request.user, filters, name)
    if table is None:
        raise Http404
    response = HttpResponse(table.csv_text(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


# --- Regional KPI targets ------------------------------------------------------------------------------


@role_required(*OFFICE)
@require_GET
def target_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(
        selectors.targets_visible_to(request.user).order_by("-year", "region", "title"), 25
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/target_list.html",
        {"page": page, "rows": selectors.target_progress(page.object_list)},
    )


def _target_form(request: HttpRequest, target=None) -> HttpResponse:
    form = RegionalTargetForm(request.POST or None, instance=target, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.save_target(
                actor=request.user,
                target=target,
                region=data["region"],
                year=data["year"],
                title=data["title"],
                metric=data["metric"],
                target_percent=data["target_percent"],
                denominator=data["denominator"],
                denominator_label=data["denominator_label"],
                denominator_source=data["denominator_source"],
                denominator_year=data["denominator_year"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Target %(title)s disimpan.") % {"title": saved.title})
            return redirect("reporting:target_list")
    return render(request, "reporting/target_form.html", {"form": form, "target": target})


@role_required(*OFFICE)
def target_create(request: HttpRequest) -> HttpResponse:
    return _target_form(request)


@role_required(*OFFICE)
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _target_form(request, selectors.manageable_target(request.user, pk))


@role_required(*OFFICE)
@require_POST
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.manageable_target(request.user, pk)
    services.delete_target(actor=request.user, target=target)
    messages.success(request, _("Target %(title)s dihapus.") % {"title": target.title})
    return redirect("reporting:target_list")


@require_GET
def public_target_page(request: HttpRequest, code: str) -> HttpResponse:
    region = get_object_or_404(Region.objects.filter(level__in=services.TARGET_LEVELS), code=code)
    return render(
        request,
        "reporting/target_public.html",
        {"region": region, "rows": selectors.target_progress(selectors.public_targets(region)[:50])},
    )


# --- Open data ---------------------------------------------------------------------------------------


def _dataset_path(slug: str, region_part: str, year: int, fmt: str | None) -> str:
    if fmt is None:
        return reverse("reporting:dataset", args=[slug, region_part, year])
    return reverse("reporting:dataset_download", args=[slug, region_part, year, fmt])


@require_GET
def data_index(request: HttpRequest) -> HttpResponse:
    years = opendata.available_years()
    try:
        year = (
            int(request.GET.get("tahun", "")) if request.GET.get("tahun") else (years[0] if years else None)
        )
    except ValueError:
        year = years[0] if years else None
    if year not in years:
        year = years[0] if years else None
    places = opendata.regions_with_data(year) if year else []
    return render(
        request,
        "reporting/data_index.html",
        {
            "years": years,
            "year": year,
            "places": places,
            "kinds": opendata.KINDS.values(),
            "national": opendata.NATIONAL,
        },
    )


def _dataset(slug: str, region_part: str, year: int):
    kind = opendata.KINDS.get(slug)
    if kind is None or year not in opendata.available_years():
        raise Http404
    try:
        region = opendata.region_for(region_part)
    except Region.DoesNotExist as exc:
        raise Http404 from exc
    return kind, region


@require_GET
def dataset(request: HttpRequest, slug: str, region_part: str, year: int) -> HttpResponse:
    kind, region = _dataset(slug, region_part, year)
    header, rows = kind.build(region, year)
    return render(
        request,
        "reporting/dataset.html",
        {
            "kind": kind,
            "region": region,
            "region_part": region_part,
            "year": year,
            "header": header,
            "rows": rows,
            "dictionary": opendata.dictionary(kind, region, year),
            "formats": opendata.FORMATS,
        },
    )


@require_GET
def dataset_download(request: HttpRequest, slug: str, region_part: str, year: int, fmt: str) -> HttpResponse:
    if fmt not in opendata.FORMATS:
        raise Http404
    kind, region = _dataset(slug, region_part, year)
    content_type = opendata.FORMATS[fmt] + ("; charset=utf-8" if fmt != "xlsx" else "")
    response = HttpResponse(opendata.render(kind, region, year, fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{opendata.file_name(kind, region, year, fmt)}"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: harvesters and notebooks may fetch it
    return response


@require_GET
def catalog(request: HttpRequest) -> HttpResponse:
    base = request.build_absolute_uri("/").rstrip("/")
    document = opendata.catalog(base, _dataset_path)
    response = JsonResponse(
        document, content_type="application/ld+json", json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
