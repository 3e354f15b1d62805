"""Participant pages: sign-up, e-mail verification, profile, own data, applying; duplicate review;
the officers' bulk import of participants; invitations of imported people.

Bulk import: upload → background check with progress → per-row report → the admin chooses to import
the valid rows only, or nothing. Only national admins and regional admins (a BKPSDM is a regional
admin of an OPD) may import; a regional admin's rows must be domiciled in their region. Uploads are
kept under a private storage prefix that is never served; the report is generated from the stored
file on request.
"""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import get_usage
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from sinergi.accounts.scoping import get_visible_or_404, scope_for
from sinergi.core.access import OFFICE, PARTICIPANT, role_required
from sinergi.core.http import client_address, personal_data
from sinergi.core.jobs import enqueue
from sinergi.core.models import Job
from sinergi.core.selectors import jobs_visible_to
from sinergi.programs.models import Batch, Level, TrainingClass
from sinergi.programs.selectors import (
    batches_visible_to,
    catalogue_academies,
    catalogue_classes,
    catalogue_regions,
    open_batches,
)
from sinergi.registration import imports, invitations, privacy, services
from sinergi.registration.forms import (
    ClaimForm,
    DuplicateDecisionForm,
    ProfileForm,
    ResendForm,
    SignupForm,
    kabkota_choices,
)
from sinergi.registration.models import Application, DuplicateFlag, ErasureRequest, PersonalDataView
from sinergi.registration.selectors import (
    class_eligibility,
    data_views_of,
    duplicate_flags_visible_to,
    erasure_requests_of,
    erasure_requests_visible_to,
    own_application,
    own_applications,
    own_participant,
    published_batch_for_applying,
)

DATA_VIEWS_PER_PAGE = 50


def _first_message(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


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

    classes = catalogue_classes(
        request.user, mode=mode, level=level, academy=academy, region_code=region_code, query=query
    )
    page = Paginator(classes, CLASSES_PER_PAGE).get_page(request.GET.get("page"))

    participant = own_participant(request.user)
    shown = list(page)
    batches: dict[int, Batch] = {}
    for c in shown:
        batch = batches.setdefault(c.program.batch_id, c.program.batch)
        c.program.batch = batch
    for batch in batches.values():
        batch.window_error = services.registration_window_error(batch)  # type: ignore[attr-defined]
    reasons = class_eligibility(participant, shown)
    for c in shown:
        c.reasons = reasons.get(c.pk)  # type: ignore[attr-defined]

    return render(
        request,
        "registration/catalogue.html",
        {
            "page": page,
            "classes": shown,
            "participant": participant,
            "is_participant": request.user.is_authenticated and request.user.role == "participant",
            "any_open": page.paginator.count > 0 or open_batches(request.user).exists(),
            "filters": {
                "moda": mode,
                "tingkat": level,
                "akademi": academy,
                "wilayah": region_code,
                "q": query,
            },
            "modes": TrainingClass.Mode.choices,
            "levels": Level.choices,
            "academies": catalogue_academies(request.user),
            "regions": catalogue_regions(request.user),
        },
    )


def participant_only(view):
    """Signed-in people with the participant role; staff accounts have no participant profile (403)."""
    return role_required(*PARTICIPANT)(view)


def admins_only(view):
    return role_required(*OFFICE)(view)


# --- sign-up ----------------------------------------------------------------------------------------


@ratelimit(key="ip", rate="10/h", method="POST", block=True)
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("registration:profile")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The same page follows whether or not the address already has an account (its owner is told
        # by e-mail), so the form cannot be used to find out who is registered.
        services.start_signup(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            full_name=form.cleaned_data["full_name"],
        )
        request.session["signup_email"] = form.cleaned_data["email"]
        return redirect("registration:signup_sent")
    return render(request, "registration/signup.html", {"form": form})


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registration/signup_sent.html",
        {"email": request.session.get("signup_email", ""), "form": ResendForm()},
    )


@require_POST
@ratelimit(key="ip", rate="5/h", method="POST", block=True)
def resend_verification(request: HttpRequest) -> HttpResponse:
    form = ResendForm(request.POST)
    if form.is_valid():
        services.resend_confirmation(email=form.cleaned_data["email"])
    # The same answer whether or not the address exists, so the form cannot probe for accounts.
    messages.info(request, _("Bila alamat itu terdaftar dan belum dikonfirmasi, tautan baru sudah dikirim."))
    return redirect("registration:signup_sent")


def verify_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        services.confirm_email(uidb64=uidb64, token=token)
    except ValidationError as exc:
        return render(
            request,
            "registration/verify_failed.html",
            {"errors": _first_message(exc), "form": ResendForm()},
            status=400,
        )
    # No sign-in by link: whoever uses the account must know its password, so an account whose
    # password someone else chose at sign-up is useless to them until its owner resets it.
    messages.success(
        request,
        _(
            "Alamat e-mail terkonfirmasi. Masuk dengan kata sandi Anda, lalu lengkapi profil untuk "
            "mendaftar pelatihan."
        ),
    )
    return redirect(reverse("login") + "?next=" + reverse("registration:profile"))


def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/privacy.html", {"version": settings.PRIVACY_NOTICE_VERSION})


# --- profile and own data ---------------------------------------------------------------------------


NIK_CONFLICT_GROUP = "registration:nik-conflict"


def _nik_conflict_limits() -> tuple[tuple[str, str], ...]:
    return (
        ("user", settings.SINERGI_NIK_CONFLICT_RATE_ACCOUNT),
        ("ip", settings.SINERGI_NIK_CONFLICT_RATE_ADDRESS),
    )


def _nik_conflicts_exhausted(request: HttpRequest) -> bool:
    """Whether this account or client address has used up its "NIK already registered" answers. Checked
    before the register is asked, so that a blocked asker learns nothing from the next attempt."""
    for key, rate in _nik_conflict_limits():
        usage = get_usage(request, group=NIK_CONFLICT_GROUP, key=key, rate=rate)
        if usage is not None and usage["count"] >= usage["limit"]:
            return True
    return False


def _count_nik_conflict(request: HttpRequest) -> None:
    for key, rate in _nik_conflict_limits():
        get_usage(request, group=NIK_CONFLICT_GROUP, key=key, rate=rate, increment=True)


@participant_only
@personal_data
def profile(request: HttpRequest) -> HttpResponse:
    participant = own_participant(request.user)
    if request.headers.get("HX-Request") and request.method == "GET" and "domisili_cari" in request.GET:
        choices = kabkota_choices(request.GET["domisili_cari"][:60])
        single = len(choices) == 2 and len(choices[1][1]) == 1
        return render(request, "registration/_domicile_options.html", {"choices": choices, "single": single})
    # Only a profile without a NIK yet asks the register about one (a saved NIK cannot change here).
    if request.method == "POST" and participant is None and _nik_conflicts_exhausted(request):
        raise Ratelimited
    # Without JavaScript the search box submits a GET form: the list below comes back narrowed.
    form = ProfileForm(
        request.POST or None, participant=participant, domicile_term=request.GET.get("domisili_cari", "")[:60]
    )
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.save_profile(
                request.user, form.profile_data(), consent=form.cleaned_data["consent"]
            )
        except ValidationError as exc:
            if isinstance(exc, services.NikTakenError):
                _count_nik_conflict(request)
                services.record_nik_conflict(
                    user=request.user, holder_id=exc.holder_id, address=client_address(request)
                )
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Profil tersimpan."))
            if participant.duplicate_status == participant.DuplicateStatus.FLAGGED:
                messages.warning(
                    request,
                    _(
                        "Data Anda mirip dengan peserta lain yang lahir pada tanggal yang sama. Admin akan "
                        "memeriksanya; Anda tetap dapat mendaftar kelas."
                    ),
                )
            next_url = request.GET.get("lanjut", "")
            if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                return redirect(next_url)
            return redirect("registration:catalogue")
    return render(request, "registration/profile.html", {"form": form, "participant": participant})


@participant_only
@personal_data
def my_data(request: HttpRequest) -> HttpResponse:
    participant = own_participant(request.user)
    if participant is None:
        return redirect("registration:profile")
    if request.GET.get("format") == "json":
        body = json.dumps(services.participant_export(participant), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="data-saya-sinergi.json"'
        return response
    views = Paginator(data_views_of(participant), DATA_VIEWS_PER_PAGE).get_page(request.GET.get("page"))
    erasures = erasure_requests_of(participant).order_by("-requested_at")[:5]
    return render(
        request,
        "registration/my_data.html",
        {"participant": participant, "views": views, "erasures": erasures},
    )


@participant_only
@personal_data
def my_applications(request: HttpRequest) -> HttpResponse:
    participant = own_participant(request.user)
    applications = own_applications(participant)
    return render(
        request,
        "registration/my_applications.html",
        {"participant": participant, "applications": applications},
    )


# --- applying -----------------------------------------------------------------------------------------


def _draft_key(batch: Batch) -> str:
    return f"apply-draft-{batch.pk}"


def _current_draft(request: HttpRequest, batch: Batch, application: Application | None) -> list[int]:
    draft = request.session.get(_draft_key(batch))
    if draft is not None:
        return [int(pk) for pk in draft]
    if application is not None and application.status == Application.Status.SUBMITTED:
        return [c.training_class_id for c in application.choices.all()]
    return []


def _apply_context(request: HttpRequest, batch_pk: int):
    batch = get_visible_or_404(batches_visible_to(request.user), pk=batch_pk)
    participant = own_participant(request.user)
    application = None
    if participant is not None:
        application = own_application(participant, batch)
    return batch, participant, application


@participant_only
def apply(request: HttpRequest, batch_pk: int) -> HttpResponse:
    batch, participant, application = _apply_context(request, batch_pk)
    if participant is None:
        messages.info(request, _("Lengkapi profil Anda dulu untuk mendaftar kelas."))
        return redirect(reverse("registration:profile") + "?lanjut=" + request.path)
    classes = list(
        batch.programs.all()
        .prefetch_related("classes__region", "classes__provider")
        .select_related("academy", "batch")
    )
    all_classes = [c for program in classes for c in program.classes.all()]
    for c in all_classes:
        c.program = next(p for p in classes if p.pk == c.program_id)
    eligibility = class_eligibility(participant, all_classes)
    by_id = {c.pk: c for c in all_classes}
    draft = [pk for pk in _current_draft(request, batch, application) if pk in by_id]
    submitted = (
        [c.training_class_id for c in application.choices.all()]
        if application and application.status == Application.Status.SUBMITTED
        else []
    )
    return render(
        request,
        "registration/apply.html",
        {
            "batch": batch,
            "participant": participant,
            "application": application,
            "draft": [by_id[pk] for pk in draft],
            "draft_ids": draft,
            "unsaved": draft != submitted,
            "eligible": [c for c in all_classes if not eligibility.get(c.pk) and c.pk not in draft],
            "ineligible": [(c, eligibility[c.pk]) for c in all_classes if eligibility.get(c.pk)],
            "full": len(draft) >= batch.max_choices,
            "window_error": services.registration_window_error(batch),
        },
    )


@participant_only
@require_POST
def apply_edit(request: HttpRequest, batch_pk: int) -> HttpResponse:
    """Move, add or remove one class in the draft ranking (kept in the session until submitted)."""
    batch, participant, application = _apply_context(request, batch_pk)
    draft = _current_draft(request, batch, application)
    action, _sep, raw_id = request.POST.get("aksi", "").partition(":")
    try:
        class_id = int(raw_id)
    except ValueError:
        return redirect("registration:apply", batch_pk=batch.pk)
    if action == "tambah" and class_id not in draft:
        if len(draft) >= batch.max_choices:
            messages.error(
                request,
                _("Paling banyak %(n)d pilihan kelas; hapus satu pilihan dulu.") % {"n": batch.max_choices},
            )
        elif batch.programs.filter(classes__pk=class_id).exists():
            draft.append(class_id)
    elif class_id in draft:
        i = draft.index(class_id)
        if action == "naik" and i > 0:
            draft[i - 1], draft[i] = draft[i], draft[i - 1]
        elif action == "turun" and i < len(draft) - 1:
            draft[i + 1], draft[i] = draft[i], draft[i + 1]
        elif action == "hapus":
            draft.pop(i)
    request.session[_draft_key(batch)] = draft
    return redirect(reverse("registration:apply", args=[batch.pk]) + "#pilihan")


@participant_only
@require_POST
def apply_submit(request: HttpRequest, batch_pk: int) -> HttpResponse:
    batch = published_batch_for_applying(batch_pk)
    participant = own_participant(request.user)
    if participant is None:
        return redirect("registration:profile")
    try:
        class_ids = [int(pk) for pk in request.POST.getlist("kelas")]
    except ValueError:
        class_ids = []
    try:
        services.submit_application(participant, batch, class_ids=class_ids)
    except ValidationError as exc:
        for message in _first_message(exc):
            messages.error(request, message)
        return redirect("registration:apply", batch_pk=batch.pk)
    request.session.pop(_draft_key(batch), None)
    messages.success(request, _("Pendaftaran terkirim dengan %(n)d pilihan kelas.") % {"n": len(class_ids)})
    return redirect("registration:apply", batch_pk=batch.pk)


@participant_only
@require_POST
def apply_withdraw(request: HttpRequest, batch_pk: int) -> HttpResponse:
    batch, participant, _application = _apply_context(request, batch_pk)
    if participant is None:
        return redirect("registration:profile")
    try:
        services.withdraw_application(participant, batch)
    except ValidationError as exc:
        for message in _first_message(exc):
            messages.error(request, message)
    else:
        request.session.pop(_draft_key(batch), None)
        messages.success(
            request, _("Pendaftaran ditarik. Anda dapat mendaftar lagi selama pendaftaran dibuka.")
        )
    return redirect("registration:apply", batch_pk=batch.pk)


# --- duplicate review ---------------------------------------------------------------------------------


@admins_only
def duplicate_list(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("semua") == "1"
    flags = duplicate_flags_visible_to(request.user, pending_only=not show_all).order_by(
        "decision", "-created_at"
    )
    page = Paginator(flags, 30).get_page(request.GET.get("page"))
    privacy.record_views(
        request.user,
        [(flag.participant, [PersonalDataView.Field.BIRTH_DATE]) for flag in page],
        page=request.get_full_path(),
        page_title=gettext_noop("Daftar dugaan data ganda"),
    )
    return render(request, "registration/duplicate_list.html", {"page": page, "show_all": show_all})


@admins_only
def duplicate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_visible_or_404(duplicate_flags_visible_to(request.user), pk=pk)
    form = DuplicateDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_duplicate(
                flag,
                decided_by=request.user,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Keputusan tersimpan."))
            return redirect("registration:duplicate_list")
    pair = [flag.participant, flag.similar_to if flag.pair_in_scope else None]
    privacy.record_views(
        request.user,
        [(p, [PersonalDataView.Field.BIRTH_DATE]) for p in pair if p is not None],
        page=request.path,
        page_title=gettext_noop("Tinjauan dugaan data ganda"),
    )
    return render(
        request,
        "registration/duplicate_detail.html",
        {"flag": flag, "pair": pair, "form": form, "Decision": DuplicateFlag.Decision},
    )


# --- bulk import of participants ------------------------------------------------------------------

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
            "boleh ditambah kegiatan_sebelum_pelatihan, gelombang, kelas_1, kelas_2, kelas_3. "
            "Maksimum 20 MB."
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
        stored = imports.save_upload(uploaded, request.user)
        job = enqueue(
            JOB_KIND,
            user=request.user,
            path=stored,
            filename=uploaded.name,
            user_id=request.user.pk,
            write=False,
        )
        return redirect("registration:import_detail", pk=job.pk)
    imports.purge_undecided_uploads()
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
    response = HttpResponse(imports.template_xlsx(), content_type=XLSX_TYPE)
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
            "screen_limit": imports.SCREEN_ERRORS,
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
        with default_storage.open(imports.report_path(job.params["path"]), "rb") as stream:
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
            transaction.on_commit(lambda: imports.discard_upload(path))
            messages.success(request, _("Impor dibatalkan; tidak ada data yang disimpan."))
            return redirect("registration:import_start")
    messages.error(request, _("Pilih salah satu: impor baris yang valid saja, atau batalkan."))
    return redirect("registration:import_detail", pk=pk)


# --- invitations of imported participants: the claim page, the officers' list of people without an account


@never_cache
def claim(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitations.invitation_from_token(token)
    except ValidationError as exc:
        return render(request, "registration/claim_invalid.html", {"message": exc.messages[0]}, status=400)
    participant = invitation.participant
    missing = invitations.missing_fields(participant)
    form = ClaimForm(request.POST or None, participant=participant, missing=missing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = invitations.claim(
                token,
                password=data["password1"],
                phone=data.get("phone") or "",
                education=data.get("education") or "",
                consent=bool(data.get("consent")),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                form.add_error(None, exc.messages[0])
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Akun Anda aktif. Data dari kantor sudah tersambung ke akun ini."))
            return redirect("registration:my_applications")
    # Whoever holds the link sees the birth date and phone: the person learns of every opening.
    privacy.record_views(
        request.user,
        [(participant, privacy.shown_fields(participant, ["birth_date", "phone"]))],
        page=reverse("registration:claim", args=["…"]),
        page_title=gettext_noop("Aktivasi akun dari undangan"),
    )
    return render(
        request,
        "registration/claim.html",
        {"form": form, "participant": participant, "invitation": invitation},
    )


def _require_officer(request: HttpRequest) -> None:
    scope = scope_for(request.user)
    if not request.user.is_authenticated or not (scope.is_national or scope.is_regional):
        raise Http404


@role_required(*OFFICE)
@personal_data
def without_account(request: HttpRequest) -> HttpResponse:
    _require_officer(request)
    if request.method == "POST":
        pks = [int(pk) for pk in request.POST.getlist("participant") if pk.isdigit()]
        if not pks:
            messages.error(request, _("Pilih sedikitnya satu peserta untuk dikirimi undangan."))
        else:
            sent = invitations.invite_visible(request.user, pks)
            messages.success(
                request, _("%(n)s undangan dikirim; undangan sebelumnya tidak berlaku lagi.") % {"n": sent}
            )
        return redirect("registration:invitations")
    people = invitations.imported_without_account(request.user)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    latest = invitations.latest_invitations(page.object_list)
    rows = [(person, latest.get(person.pk)) for person in page.object_list]
    # The list shows a phone number only for people without an e-mail address.
    privacy.record_views(
        request.user,
        [(person, [] if person.email else privacy.shown_fields(person, ["phone"])) for person, _i in rows],
        page=request.get_full_path(),
        page_title=gettext_noop("Peserta tanpa akun"),
    )
    return render(
        request, "registration/invitations.html", {"page": page, "rows": rows, "now": timezone.now()}
    )


# --- erasure of personal data -------------------------------------------------------------------


@participant_only
@personal_data
def erasure_request(request: HttpRequest) -> HttpResponse:
    """The participant asks for their data to be erased: a page that says what happens, then a POST
    with the confirmation ticked."""
    participant = own_participant(request.user)
    if participant is None:
        return redirect("registration:profile")
    pending = erasure_requests_of(participant).filter(status=ErasureRequest.Status.PENDING).first()
    error = ""
    if request.method == "POST" and pending is None:
        if request.POST.get("konfirmasi") != "ya":
            error = _(
                "Konfirmasi: centang pernyataan bahwa Anda memahami penghapusan tidak dapat dibatalkan."
            )
        else:
            try:
                privacy.request_erasure(participant)
            except ValidationError as exc:
                error = exc.messages[0]
            else:
                messages.success(request, _("Permintaan penghapusan data terkirim."))
                return redirect("registration:my_data")
    return render(
        request,
        "registration/erasure_request.html",
        {"participant": participant, "pending": pending, "error": error},
        status=400 if error else 200,
    )


@admins_only
@require_GET
def erasure_list(request: HttpRequest) -> HttpResponse:
    requests = erasure_requests_visible_to(request.user)
    pending = requests.filter(status=ErasureRequest.Status.PENDING)
    decided = requests.exclude(status=ErasureRequest.Status.PENDING).order_by("-decided_at")
    return render(
        request,
        "registration/erasure_list.html",
        {
            "pending": pending,
            "decided": Paginator(decided, 30).get_page(request.GET.get("page")),
            "now": timezone.now(),
        },
    )


@admins_only
def erasure_decide(request: HttpRequest, pk: int) -> HttpResponse:
    erasure = get_visible_or_404(erasure_requests_visible_to(request.user), pk=pk)
    error = ""
    if request.method == "POST":
        choice = request.POST.get("keputusan")
        if choice not in ("setujui", "tolak"):
            error = _("Keputusan: pilih setujui atau tolak.")
        else:
            try:
                privacy.decide_erasure(
                    erasure.pk,
                    officer=request.user,
                    approve=choice == "setujui",
                    reason=request.POST.get("alasan", "")[:2000],
                )
            except ValidationError as exc:
                error = exc.messages[0]
            else:
                messages.success(request, _("Keputusan tersimpan."))
                return redirect("registration:erasure_list")
    return render(
        request,
        "registration/erasure_decide.html",
        {"erasure": erasure, "error": error, "now": timezone.now()},
        status=400 if error else 200,
    )
