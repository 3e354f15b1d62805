"""The invited participant's claim page and the officer's list of imported people without an account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from sinergi.accounts.scoping import scope_for
from sinergi.core.access import OFFICE, role_required
from sinergi.core.http import personal_data
from sinergi.registration import invitations
from sinergi.registration.forms import ClaimForm


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
    return render(
        request, "registration/invitations.html", {"page": page, "rows": rows, "now": timezone.now()}
    )


urlpatterns = [
    path("daftar/undangan/<str:token>/", claim, name="claim"),
    path("peserta/tanpa-akun/", without_account, name="invitations"),
]
