"""Web import of participants: upload → background check with progress → per-row report → the admin
chooses to import the valid rows only, or nothing.

Only national admins and regional admins (a BKPSDM is a regional admin of an OPD) may import; a
regional admin's rows must be domiciled in their region. Uploads are kept under a private storage
prefix that is never served; the report is generated from the stored file on request.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sinergi.accounts.scoping import scope_for
from sinergi.core.access import OFFICE, role_required
from sinergi.core.http import personal_data
from sinergi.core.jobs import enqueue
from sinergi.core.models import Job
from sinergi.core.selectors import jobs_visible_to
from sinergi.registration import importing

JOB_KIND = "registration.import"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_importer(request: HttpRequest) -> None:
    scope = scope_for(request.user)
    if not (scope.is_national or scope.is_regional):
        raise Http404


def _import_job(request: HttpRequest, pk: int, *, for_update: bool = False) -> Job:
    _require_importer(request)
    qs = jobs_visible_to(request.user).filter(kind=JOB_KIND)
    if for_update:
        qs = qs.select_for_update()
    job = qs.filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas peserta (XLSX atau CSV)"),
        help_text=gettext_lazy(
            "Kolom: nik, nama, tanggal_lahir, jenis_kelamin, email, telepon, kode_wilayah, kategori, nip; "
            "boleh ditambah gelombang, kelas_1, kelas_2, kelas_3. Maksimum 20 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv," + XLSX_TYPE + ",text/csv"}),
    )

    def clean_file(self):
        # Only what costs nothing here: the file is read (and checked against the limits) by the job.
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Hanya berkas .xlsx atau .csv yang dapat diimpor."))
        if uploaded.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Berkas lebih dari 20 MB; bagi menjadi beberapa berkas."))
        return uploaded


@role_required(*OFFICE)
def import_start(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        stored = importing.save_upload(uploaded, request.user)
        job = enqueue(
            JOB_KIND,
            user=request.user,
            path=stored,
            filename=uploaded.name,
            user_id=request.user.pk,
            write=False,
        )
        return redirect("registration:import_detail", pk=job.pk)
    importing.purge_undecided_uploads()
    scope = scope_for(request.user)
    recent = jobs_visible_to(request.user).filter(kind=JOB_KIND, created_by=request.user.pk)[:10]
    return render(
        request,
        "registration/import_start.html",
        {"form": form, "recent": recent, "region_limited": not scope.is_national},
    )


@role_required(*OFFICE)
def import_template(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    response = HttpResponse(importing.template_xlsx(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="templat-impor-peserta.xlsx"'
    return response


@role_required(*OFFICE)
@personal_data
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _import_job(request, pk)
    result = job.result or {}
    errors = [
        (row["row"], error["field"], error["message"])
        for row in result.get("errors", [])
        for error in row["errors"]
    ]
    return render(
        request,
        "registration/import_detail.html",
        {
            "job": job,
            "result": result,
            "errors": errors,
            "shown_rows": len(result.get("errors", [])),
            "is_check": not job.params.get("write"),
            "decision": job.params.get("decision", ""),
            "import_job_id": job.params.get("import_job"),
            "screen_limit": importing.SCREEN_ERRORS,
        },
    )


@role_required(*OFFICE)
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled while the job runs; once it is finished, htmx reloads the page to show the report."""
    job = _import_job(request, pk)
    response = HttpResponse(status=204)
    if job.is_finished:
        response["HX-Refresh"] = "true"
    return response


@role_required(*OFFICE)
@personal_data
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    job = _import_job(request, pk)
    if job.params.get("write") or job.status != Job.Status.DONE or job.params.get("decision"):
        raise Http404
    from django.core.files.storage import default_storage

    try:
        with default_storage.open(importing.report_path(job.params["path"]), "rb") as stream:
            content = stream.read()  # written by the check job
    except FileNotFoundError:
        raise Http404 from None  # purged with its undecided upload
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="laporan-impor-{job.pk}.xlsx"'
    return response


@role_required(*OFFICE)
@require_POST
def import_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Impor baris yang valid saja" or "Batalkan"; a second click (or a second tab) finds it decided."""
    choice = request.POST.get("keputusan")
    with transaction.atomic():
        job = _import_job(request, pk, for_update=True)
        if job.params.get("write") or job.status != Job.Status.DONE:
            raise Http404
        if job.params.get("decision"):
            messages.warning(request, _("Impor ini sudah diputuskan sebelumnya."))
            return redirect("registration:import_detail", pk=job.pk)
        if choice == "impor":
            if not job.result.get("valid"):
                messages.error(request, _("Tidak ada baris valid yang dapat diimpor."))
                return redirect("registration:import_detail", pk=job.pk)
            follow = enqueue(
                JOB_KIND,
                user=request.user,
                path=job.params["path"],
                filename=job.params["filename"],
                user_id=request.user.pk,
                write=True,
            )
            job.params = {**job.params, "decision": "imported", "import_job": follow.pk}
            job.save(update_fields=["params"])
            return redirect("registration:import_detail", pk=follow.pk)
        if choice == "batal":
            job.params = {**job.params, "decision": "cancelled"}
            job.save(update_fields=["params"])
            path = job.params["path"]
            transaction.on_commit(lambda: importing.discard_upload(path))
            messages.success(request, _("Impor dibatalkan; tidak ada data yang disimpan."))
            return redirect("registration:import_start")
    messages.error(request, _("Pilih salah satu: impor baris yang valid saja, atau batalkan."))
    return redirect("registration:import_detail", pk=pk)


urlpatterns = [
    path("impor/peserta/", import_start, name="import_start"),
    path("impor/peserta/templat.xlsx", import_template, name="import_template"),
    path("impor/peserta/<int:pk>/", import_detail, name="import_detail"),
    path("impor/peserta/<int:pk>/kemajuan/", import_progress, name="import_progress"),
    path("impor/peserta/<int:pk>/laporan.xlsx", import_report, name="import_report"),
    path("impor/peserta/<int:pk>/keputusan/", import_decide, name="import_decide"),
]
