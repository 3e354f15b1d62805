from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.api import selectors, services
from sinergi.api.api import api
from sinergi.api.forms import KeyCreateForm, KeyRevokeForm
from sinergi.core.access import OFFICE, role_required
from sinergi.core.forms import add_service_errors


def documentation(request: HttpRequest) -> HttpResponse:
    """The OpenAPI schema as a readable page, without the CDN-hosted Swagger UI."""
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": operation.get("parameters", []),
                    "auth": bool(operation.get("security")),
                }
            )
    return render(request, "api/documentation.html", {"schema": schema, "operations": operations})


@role_required(*OFFICE)
def key_list(request: HttpRequest) -> HttpResponse:
    """The organisation keys of the admin's scope, and the form that creates one. The new key's secret is
    shown on the answer to the create, once; it is not stored, so it can never be shown again."""
    organizations = selectors.key_organizations_for(request.user)
    form = KeyCreateForm(request.POST or None, organizations=organizations)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_key(
                user=request.user,
                organization=form.cleaned_data["organisasi"],
                name=form.cleaned_data["nama"],
                scopes=form.cleaned_data["cakupan"],
                expires_at=form.expires_at(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = KeyCreateForm(organizations=organizations)
    page = Paginator(selectors.keys_visible_to(request.user), 50).get_page(request.GET.get("page"))
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request, "api/key_list.html", {"form": form, "page": page, "created": created}, status=status
    )


@role_required(*OFFICE)
def key_detail(request: HttpRequest, pk: int) -> HttpResponse:
    key = selectors.key_for(request.user, pk)
    return render(
        request,
        "api/key_detail.html",
        {"key": key, "uses": selectors.recent_uses(key), "form": KeyRevokeForm()},
    )


@role_required(*OFFICE)
@require_POST
def key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    key = selectors.key_for(request.user, pk)
    form = KeyRevokeForm(request.POST)
    if form.is_valid():
        try:
            services.revoke_key(key=key, user=request.user, reason=form.cleaned_data["alasan"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Kunci %(name)s dicabut; kunci ini tidak lagi diterima.") % {"name": key}
            )
            return redirect("api:key_detail", pk=key.pk)
    return render(
        request,
        "api/key_detail.html",
        {"key": key, "uses": selectors.recent_uses(key), "form": form},
        status=400,
    )
