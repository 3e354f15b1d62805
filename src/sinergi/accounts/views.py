from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit

from sinergi.accounts.forms import LoginForm, PasswordResetForm, SetPasswordForm
from sinergi.accounts.models import Organization
from sinergi.accounts.selectors import organization_detail as select_organization
from sinergi.accounts.selectors import organizations_visible_to


@method_decorator(ratelimit(key="ip", rate="30/m", method="POST", block=True), name="post")
class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True
    authentication_form = LoginForm


@method_decorator(ratelimit(key="ip", rate="10/h", method="POST", block=True), name="post")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    search, kind = request.GET.get("q", "").strip(), request.GET.get("jenis", "")
    qs = organizations_visible_to(request.user, search=search, kind=kind)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/organization_list.html",
        {"page": page, "q": search, "kind": kind, "kinds": Organization.Kind.choices},
    )


@login_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = select_organization(request.user, pk)
    return render(request, "accounts/organization_detail.html", {"organization": organization})
