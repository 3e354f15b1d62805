"""Dashboards (signed-in offices) and open data (everyone, no login)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from sinergi.core.access import OFFICE, role_required
from sinergi.regions.models import Region
from sinergi.reporting import charts, opendata, selectors
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
