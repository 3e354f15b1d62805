from urllib.parse import urlencode

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django_htmx.http import HttpResponseClientRedirect

from sinergi.core import two_factor
from sinergi.core.http import client_address


class IndonesianByDefaultMiddleware:
    """Bahasa Indonesia is the default for everyone, whatever the browser's Accept-Language says;
    English is shown only after the person chooses it with the language switch (a cookie). The JSON
    API is the exception: an integration has no language switch, so it asks with Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class ClientAddressAuditlogMiddleware(AuditlogMiddleware):
    """Audit entries record the same client address the rate limits count: auditlog's own choice is the
    left-most X-Forwarded-For entry, which any client can write."""

    @staticmethod
    def _get_remote_addr(request):
        return client_address(request) or None


class TwoFactorMiddleware:
    """Until a staff session has done the second step it owes (core/two_factor.py), every page sends it
    to that step: the code page for an account with two-factor on, the setup page for a national admin
    without it. Signing out, the language switch and static files stay reachable. The JSON API answers
    401 instead of a redirect. Runs after django-otp's OTPMiddleware, which marks verified sessions."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = two_factor.owed_step(request.user)
        if step is None or self._reachable(request.path_info, step):
            return self.get_response(request)
        target = reverse("two_factor_verify" if step == two_factor.VERIFY else "two_factor")
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": gettext("Selesaikan verifikasi dua langkah di %(url)s.") % {"url": target},
                    "errors": [],
                },
                status=401,
            )
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):
            return HttpResponseClientRedirect(target)
        return redirect(target)

    @staticmethod
    def _reachable(path: str, step: str) -> bool:
        if path.startswith(settings.STATIC_URL):
            return True
        names = ["logout", "set_language", "javascript-catalog", "healthz"]
        names.append("two_factor_verify" if step == two_factor.VERIFY else "two_factor")
        return path in {reverse(name) for name in names}
