"""Who may use a page: one rule for every app, applied by `role_required`.

- Anonymous on a page that needs an account: redirected to the login page (the API answers 401).
- Signed in, but with a role that may never use the page: 403, the app's own page (403.html). The
  role is checked before the HTTP method, so a POST-only action answers a wrong role 403 as well.
- Signed in with a role that may use the page, but the wrong HTTP method: 405.
- A record outside the user's scope (another region, organisation or person): 404 from the scoping
  selector, never 403, so a record's existence is not revealed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from sinergi.accounts.models import User
from sinergi.accounts.scoping import scope_for

NATIONAL = ("national_admin",)
OFFICE = ("national_admin", "regional_admin")
PROVIDER = ("provider_staff",)
ASSESSING = ("provider_staff", "assessor")
# Who answers for classes (their completion rule) and issues and revokes certificates.
DELIVERY = ("provider_staff", "regional_admin", "national_admin")
ISSUERS = DELIVERY
# Who follows the delivery of classes (an assessor the classes of their own organisation).
CLASS_READERS = ("provider_staff", "assessor", "regional_admin", "national_admin")
STAFF = ("national_admin", "regional_admin", "provider_staff", "assessor")
PARTICIPANT = ("participant",)


def has_role(user, roles: tuple[str, ...]) -> bool:
    """Whether a signed-in user's role is one of `roles`. A superuser counts as a national admin, and a
    regional admin without a work region has no region to administer."""
    scope = scope_for(user)
    if scope.role not in roles:
        return False
    return scope.role != "regional_admin" or scope.is_regional


class AuthenticatedRequest(HttpRequest):
    """The request a `role_required` view receives: the decorator has turned anonymous visitors away,
    so its user is an account, which the typed service functions take as the actor."""

    user: User


def role_required(*roles: str) -> Callable:
    """Decorate a view: login first (a redirect), then the role (403), before anything else runs."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
