"""Agreement lists (public and for officers), the public page per region, export and import.

The lists are GET forms, so they work without JavaScript; with htmx the form swaps only the results
(`agreement_list_results.html`) and pushes the URL, so a filtered list can be bookmarked and shared."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from sinergi.accounts.scoping import scope_for
from sinergi.core import tables
from sinergi.core.jobs import enqueue
from sinergi.core.selectors import job_visible_to
from sinergi.partnerships import exports, imports
from sinergi.partnerships.metrics import rollup
from sinergi.partnerships.models import PUBLIC_STATUSES, Agreement, AgreementType, Status, Topic
from sinergi.partnerships.selectors import (
    EXPIRING_WITHIN_DAYS,
    SORTS,
    AgreementFilters,
    agreement_rows,
    agreements_visible_to,
    filter_agreements,
    parse_agreement_filters,
    partner_choices,
    public_agreements,
    region_choices,
    region_for_page,
    sort_rows_by_progress,
    with_parties_and_commitments,
)

PAGE_SIZE = 20
# The list's URL parameters speak Indonesian; the API (api/) uses the English field names.
PARAMS = ("q", "wilayah", "mitra", "jenis", "status", "topik", "segera_berakhir", "urut")
OFFICER_ROLES = ("national_admin", "regional_admin", "provider_staff", "assessor")
IMPORT_ROLES = ("national_admin", "regional_admin")


def filters_from_request(request: HttpRequest) -> AgreementFilters:
    get = request.GET.get
    return parse_agreement_filters(
        q=get("q", ""),
        region=get("wilayah", ""),
        partner=get("mitra", ""),
        type=get("jenis", ""),
        status=get("status", ""),
        topic=get("topik", ""),
        expiring_soon=get("segera_berakhir", ""),
        sort=get("urut", ""),
    )


def _page_of_rows(request: HttpRequest, qs: QuerySet[Agreement], filters: AgreementFilters) -> Page:
    today = timezone.localdate()
    filtered = filter_agreements(qs, filters, today)
    page: Page
    if filters.sort in ("progress", "-progress"):
        # Progress is computed per agreement, so the whole filtered set is measured before paging.
        rows = sort_rows_by_progress(
            agreement_rows(with_parties_and_commitments(filtered), today), filters.sort
        )
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        page = Paginator(filtered, PAGE_SIZE).get_page(request.GET.get("page"))
        ids = [a.pk for a in page.object_list]
        by_id = {a.pk: a for a in with_parties_and_commitments(Agreement.objects.filter(pk__in=ids))}
        page.object_list = agreement_rows([by_id[i] for i in ids], today)  # type: ignore[assignment]
    return page


def _region_options(qs: QuerySet[Agreement], chosen) -> list[tuple[str, str]]:
    """Provinces with their kab/kota indented beneath, limited to regions that have agreements."""
    regions = region_choices(qs)
    if chosen is not None and chosen not in regions:
        regions.append(chosen)
    children = defaultdict(list)
    provinces = []
    for region in regions:
        if region.level == region.Level.PROVINCE:
            provinces.append(region)
        else:
            children[region.code.split(".")[0]].append(region)
    options = []
    for province in sorted(provinces, key=lambda r: r.code):
        options.append((province.code, province.name))
        options += [
            (r.code, f"— {r.name}") for r in sorted(children.pop(province.code, []), key=lambda r: r.name)
        ]
    for orphans in children.values():
        options += [(r.code, r.name) for r in orphans]
    return options


def _render_list(request: HttpRequest, qs: QuerySet[Agreement], *, officer: bool) -> HttpResponse:
    filters = filters_from_request(request)
    page = _page_of_rows(request, qs, filters)
    query = {p: request.GET[p] for p in PARAMS if request.GET.get(p)}
    statuses = Status.choices if officer else [(s.value, s.label) for s in PUBLIC_STATUSES]
    context = {
        "page": page,
        "filters": filters,
        "officer": officer,
        "query": urlencode(query),
        "list_url": request.path,
        "export_url_name": "partnerships:agreement_manage_export"
        if officer
        else "partnerships:agreement_export",
        "statuses": statuses,
        "types": AgreementType.choices,
        "topics": Topic.choices,
        "sorts": list(SORTS.items()),
        "region_options": _region_options(qs, filters.region),
        "partners": partner_choices(qs),
        "expiring_days": EXPIRING_WITHIN_DAYS,
        "can_import": officer and scope_for(request.user).role in IMPORT_ROLES,
        "today": timezone.localdate(),
    }
    if request.headers.get("HX-Request"):
        return render(request, "partnerships/agreement_list_results.html", context)
    return render(request, "partnerships/agreement_list.html", context)


def agreement_list(request: HttpRequest) -> HttpResponse:
    """Public (no login): signed agreements only, for everyone, so the page is the same for a
    journalist and for a signed-in officer. Officers manage drafts in the officer list."""
    return _render_list(request, public_agreements(), officer=False)


def _require_officer(request: HttpRequest) -> None:
    if scope_for(request.user).role not in OFFICER_ROLES:
        raise PermissionDenied(_("Daftar ini hanya untuk petugas."))


@login_required
def agreement_manage_list(request: HttpRequest) -> HttpResponse:
    _require_officer(request)
    return _render_list(request, agreements_visible_to(request.user), officer=True)


def _export(request: HttpRequest, qs: QuerySet[Agreement], fmt: str) -> HttpResponse:
    filters = filters_from_request(request)
    today = timezone.localdate()
    filtered = filter_agreements(qs, filters, today)
    rows = sort_rows_by_progress(agreement_rows(with_parties_and_commitments(filtered), today), filters.sort)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        response = HttpResponse(exports.export_xlsx(rows), content_type=exports.XLSX_CONTENT_TYPE)
    elif fmt == "csv":
        response = HttpResponse(exports.export_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="kerja-sama-{stamp}.{fmt}"'
    return response


@ratelimit(key="ip", rate="30/m", block=True)
def agreement_export(request: HttpRequest, fmt: str) -> HttpResponse:
    return _export(request, public_agreements(), fmt)


@login_required
def agreement_manage_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _require_officer(request)
    return _export(request, agreements_visible_to(request.user), fmt)


@ratelimit(key="ip", rate="120/m", block=True)
def region_page(request: HttpRequest, code: str) -> HttpResponse:
    """Public "hasil kerja sama" page of a province or kab/kota: its signed agreements (a province's
    include its kab/kota), each commitment's progress and the region's roll-up."""
    region = region_for_page(code)
    today = timezone.localdate()
    filters = AgreementFilters(region=region, sort="end_date")
    agreements = with_parties_and_commitments(filter_agreements(public_agreements(), filters, today))
    rows = agreement_rows(agreements, today)
    overall = rollup([(c.weight, p) for row in rows for c, p in row.commitments])
    return render(
        request,
        "partnerships/agreement_list_region.html",
        {
            "region": region,
            "rows": rows,
            "overall": overall,
            "commitment_count": sum(len(row.commitments) for row in rows),
            "in_force": sum(
                1 for row in rows if row.agreement.status in (Status.BERLAKU, Status.DIPERPANJANG)
            ),
            "today": today,
        },
    )


def _require_importer(request: HttpRequest) -> None:
    if scope_for(request.user).role not in IMPORT_ROLES:
        raise PermissionDenied(_("Impor hanya untuk admin daerah dan admin nasional."))


@login_required
@require_http_methods(["GET", "POST"])
def agreement_import(request: HttpRequest) -> HttpResponse:
    """Upload an XLSX in the export's format. The request only stores the file; a job reads it, and
    nothing is saved unless every row is valid."""
    _require_importer(request)
    context: dict = {"max_mb": imports.MAX_IMPORT_BYTES // (1024 * 1024)}
    if request.method == "POST":
        upload = request.FILES.get("berkas")
        if upload is None:
            context["errors"] = [imports.ImportProblem("", 0, _("Berkas"), _("Pilih berkas XLSX."))]
        elif upload.size and upload.size > imports.MAX_IMPORT_BYTES:
            context["errors"] = [
                imports.ImportProblem(
                    "", 0, _("Berkas"), _("Berkas melebihi %(mb)s MB.") % {"mb": context["max_mb"]}
                )
            ]
        else:
            job = enqueue(
                imports.IMPORT_JOB,
                user=request.user,
                path=tables.store_upload(upload, request.user, "agreements"),
                filename=upload.name,
                user_id=request.user.pk,
                dry_run=bool(request.POST.get("uji_coba")),
            )
            return redirect("partnerships:agreement_import_result", job.pk)
    return render(request, "partnerships/agreement_list_import.html", context)


@login_required
def agreement_import_result(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress, then the summary or every problem; htmx reloads the page when it ends."""
    _require_importer(request)
    job = job_visible_to(request.user, pk)
    if job.kind != imports.IMPORT_JOB:
        raise Http404
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        if job.is_finished:
            response["HX-Refresh"] = "true"
        return response
    result = job.result if job.status == job.Status.DONE else {}
    context = {
        "max_mb": imports.MAX_IMPORT_BYTES // (1024 * 1024),
        "job": job,
        "result": result if result.get("ok") else None,
        "errors": [imports.ImportProblem(**p) for p in result.get("problems", [])],
        "error_count": result.get("problem_count", 0),
    }
    return render(request, "partnerships/agreement_list_import.html", context)
