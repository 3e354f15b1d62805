from auditlog.middleware import AuditlogMiddleware

from sinergi.core.http import client_address


class IndonesianByDefaultMiddleware:
    """Bahasa Indonesia is the default for everyone, whatever the browser's Accept-Language says;
    English is shown only after the person chooses it with the language switch (a cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class ClientAddressAuditlogMiddleware(AuditlogMiddleware):
    """Audit entries record the same client address the rate limits count: auditlog's own choice is the
    left-most X-Forwarded-For entry, which any client can write."""

    @staticmethod
    def _get_remote_addr(request):
        return client_address(request) or None
