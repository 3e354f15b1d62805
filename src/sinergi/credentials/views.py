"""Public verification (no login), machine-readable issuer profiles and status lists, the participant's
own certificates, and the issuing/revoking pages of provider staff and admins."""

from __future__ import annotations

import json
import re
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing as django_signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from sinergi.accounts.scoping import get_visible_or_404
from sinergi.core.access import ISSUERS, AuthenticatedRequest, role_required
from sinergi.core.http import personal_data
from sinergi.core.jobs import enqueue
from sinergi.core.notifications import absolute_url
from sinergi.credentials import page_cache, selectors, services
from sinergi.credentials.certificate import certificate_pdf as render_certificate_pdf
from sinergi.credentials.forms import REISSUE, IssueForm, RevokeForm, VerifyUploadForm
from sinergi.credentials.models import Credential
from sinergi.credentials.urls_converters import CertificateNumberConverter

# The credential file plus the multipart envelope and the CSRF field.
MAX_UPLOAD_BODY = services.MAX_CREDENTIAL_BYTES + 16 * 1024
NUMBER_SHAPE = re.compile(CertificateNumberConverter.regex)
WALLET_LINK_MAX_AGE = 7 * 24 * 3600
VERIFY_RATE = "60/m"  # per address: plenty for an employer, slow for anyone enumerating numbers
JSONLD = "application/ld+json"


def _json(document: dict, *, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type=f"{JSONLD}; charset=utf-8"
    )
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"  # verifiers on other sites must be able to read it
    return response


def _limited(rate: str):
    """Rate limit per client address; over the limit the visitor gets the 429 page, not a bare 403."""

    def wrap(view):
        @wraps(view)
        def inner(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if getattr(request, "limited", False):
                return render(request, "core/rate_limited.html", status=429)
            return view(request, *args, **kwargs)

        return ratelimit(key="ip", rate=rate, block=False)(inner)

    return wrap


def _file_stem(credential: Credential) -> str:
    """sertifikat-DTS-2026-PLG-000123: the number with every character a file name or a header could
    trip over (slashes, quotes, spaces, anything outside ASCII) turned into a hyphen."""
    safe = re.sub(r"[^A-Za-z0-9._]+", "-", credential.number).strip("-.") or str(credential.pk)
    return f"sertifikat-{safe}"


# --- public verification ----------------------------------------------------------------------------


@csrf_exempt  # only so that an oversized body is refused before CSRF parses it; _verify checks CSRF
@_limited(VERIFY_RATE)
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if request.method == "POST" and (not declared.isdigit() or int(declared) > MAX_UPLOAD_BODY):
        form = VerifyUploadForm.refused(services.too_large_message())
        return render(request, "credentials/verify.html", {"form": form}, status=413)
    return _verify(request)


@csrf_protect
def _verify(request: HttpRequest) -> HttpResponse:
    result = None
    posted = request.method == "POST"
    form = VerifyUploadForm(request.POST if posted else None, request.FILES if posted else None)
    number = request.GET.get("nomor", "").strip()
    code = request.GET.get("kode", "").strip()
    if number and NUMBER_SHAPE.fullmatch(number):
        target = reverse("credentials:verify_number", args=[number])
        return redirect(f"{target}?{urlencode({'kode': code})}" if code else target)
    if number:
        result = services.Verification(
            services.UNKNOWN,
            _("Nomor sertifikat dan kode cek tidak cocok dengan sertifikat mana pun."),
            number=number,
        )
        return render(
            request, "credentials/verify.html", {"form": form, "result": result, "number": number}, status=404
        )
    if posted and form.is_valid():
        upload = form.cleaned_data["berkas"]
        try:
            document = services.parse_uploaded(upload.read(services.MAX_CREDENTIAL_BYTES + 1))
        except ValidationError as exc:
            form.add_error("berkas", exc)
        else:
            result = services.check_document(document)
    return render(request, "credentials/verify.html", {"form": form, "result": result})


@_limited(VERIFY_RATE)
def verify_number(request: HttpRequest, number: str) -> HttpResponse:
    """Numbers are sequential, so the number alone shows nothing: not even whether it exists. The QR
    link carries the check code; someone typing the number is asked for the code printed beside it."""
    code = request.GET.get("kode", "").strip()
    context = {"form": VerifyUploadForm(), "number": number, "code": code}
    if not code:
        return render(request, "credentials/verify.html", {**context, "ask_code": True})
    result = services.check_number(number, code)
    if result.status == services.UNKNOWN:
        return render(request, "credentials/verify.html", {**context, "result": result}, status=404)
    kept = page_cache.offer(request, status=200, valid_from=result.valid_from, valid_until=result.valid_until)
    return render(request, "credentials/verify.html", {**context, "result": result, **kept})


@cache_control(public=True, max_age=300)
def issuer_profile(request: HttpRequest, pk: int) -> HttpResponse:
    return _json(services.issuer_profile(selectors.issuer_public(pk)))


@cache_control(public=True, max_age=60)
def status_list(request: HttpRequest, pk: int) -> HttpResponse:
    return _json(services.status_list_document(selectors.issuer_public(pk)))


# --- the participant's own certificates -------------------------------------------------------------


@login_required
def my_certificates(request: HttpRequest) -> HttpResponse:
    rows = []
    for credential in selectors.my_credentials(request.user):
        token = django_signing.dumps({"c": credential.pk, "u": request.user.pk}, salt="credentials.wallet")
        wallet = absolute_url(reverse("credentials:wallet_json", args=[token]))
        rows.append((credential, wallet))
    return render(request, "credentials/mine.html", {"rows": rows})


@personal_data
@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    credential = selectors.credential_for(request.user, pk)
    response = HttpResponse(render_certificate_pdf(credential), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_stem(credential)}.pdf"'
    return response


@personal_data
@login_required
def certificate_json(request: HttpRequest, pk: int) -> HttpResponse:
    credential = selectors.credential_for(request.user, pk)
    return _json(credential.signed, filename=f"{_file_stem(credential)}.json")


@personal_data
@_limited(VERIFY_RATE)
def wallet_json(request: HttpRequest, token: str) -> HttpResponse:
    """A time-limited link a wallet app can import the credential from without the holder's session."""
    try:
        payload = django_signing.loads(token, salt="credentials.wallet", max_age=WALLET_LINK_MAX_AGE)
    except django_signing.BadSignature:
        raise Http404 from None
    credential = selectors.wallet_credential(payload.get("c"), payload.get("u"))
    return _json(credential.signed)


# --- issuing and revoking ---------------------------------------------------------------------------


@role_required(*ISSUERS)
def manage(request: HttpRequest) -> HttpResponse:
    classes = selectors.issuable_classes(request.user).order_by("-ends_on", "code")
    query = request.GET.get("q", "").strip()
    credentials = selectors.credential_list(request.user, query)
    return render(
        request,
        "credentials/manage.html",
        {
            "classes": Paginator(classes, 20).get_page(request.GET.get("kelas")),
            "page": Paginator(credentials, 25).get_page(request.GET.get("page")),
            "q": query,
        },
    )


@role_required(*ISSUERS)
@require_http_methods(["GET", "POST"])
def class_certificates(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    training_class = get_visible_or_404(selectors.issuable_classes(request.user), pk=pk)
    form = IssueForm(request.POST or None)
    job = None
    single = request.POST.get("enrolment", "")
    if request.method == "POST" and single and form.is_valid():
        enrolment = get_visible_or_404(
            training_class.enrolments.all(), pk=int(single) if single.isdigit() else 0
        )
        try:
            credential = services.issue_credential(
                enrolment, kind=form.cleaned_data["jenis"], user=request.user
            )
        except services.IssuingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Sertifikat %(number)s diterbitkan.") % {"number": credential.number})
        return redirect("credentials:class", pk=training_class.pk)
    if request.method == "POST" and form.is_valid():
        job = enqueue(
            "credentials.issue_class",
            user=request.user,
            class_id=training_class.pk,
            credential_kind=form.cleaned_data["jenis"],
            user_id=request.user.pk,
        )
        messages.info(request, _("Penerbitan sertifikat dimulai di latar belakang."))
    eligible, skipped, _already = services.eligible_enrolments(
        training_class, form["jenis"].value() or "completion"
    )
    credentials = selectors.credentials_visible_to(request.user).filter(
        enrolment__training_class=training_class
    )
    return render(
        request,
        "credentials/class.html",
        {
            "training_class": training_class,
            "form": form,
            "job": job,
            "eligible": eligible,
            "skipped": skipped,
            "credentials": credentials,
        },
    )


def _detail_context(request: HttpRequest, credential: Credential, form: RevokeForm | None = None) -> dict:
    successor = Credential.objects.filter(replaces=credential).only("pk", "number").first()
    return {
        "credential": credential,
        "form": form or RevokeForm(revoked=credential.is_revoked),
        "can_manage": selectors.can_manage(request.user, credential),
        "can_reissue": credential.enrolment_id is not None and successor is None,
        "successor": successor,
        "verify_url": services.verify_url(credential),
    }


@role_required(*ISSUERS)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    credential = selectors.credential_for(request.user, pk)
    return render(request, "credentials/detail.html", _detail_context(request, credential))


@role_required(*ISSUERS)
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke (or revoke and re-issue) in two steps: the first POST shows what will happen and asks to
    confirm; only the confirmed POST changes anything."""
    credential = selectors.credential_for(request.user, pk)
    if not selectors.can_manage(request.user, credential):
        raise Http404
    form = RevokeForm(request.POST, revoked=credential.is_revoked)
    if form.is_valid():
        action, reason = form.cleaned_data["tindakan"], form.cleaned_data["alasan"]
        if request.POST.get("konfirmasi") != "ya":
            return render(
                request,
                "credentials/revoke_confirm.html",
                {"credential": credential, "form": form, "reissue": action == REISSUE},
            )
        try:
            if action == REISSUE:
                new = services.reissue(credential, user=request.user, reason=reason)
            else:
                services.revoke(credential, user=request.user, reason=reason)
        except services.IssuingError as exc:
            form.add_error("alasan", str(exc))
        else:
            if action == REISSUE:
                messages.success(
                    request,
                    _("Sertifikat %(old)s dicabut dan diterbitkan ulang dengan nomor %(new)s.")
                    % {"old": credential.number, "new": new.number},
                )
                return redirect("credentials:detail", pk=new.pk)
            messages.success(
                request, _("Sertifikat %(number)s telah dicabut.") % {"number": credential.number}
            )
            return redirect("credentials:detail", pk=credential.pk)
    return render(request, "credentials/detail.html", _detail_context(request, credential, form), status=400)
