from sinergi.api import services
from sinergi.core.http import client_address


class ApiKeyUseMiddleware:
    """Logs every request that presented a known organisation key (refused ones too: expired, revoked or
    out of scope), with the endpoint, the time and the status it was answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "api_key", None)
        if key is not None:
            services.record_use(
                key=key,
                method=request.method or "",
                path=request.path,
                status=response.status_code,
                address=client_address(request) or None,
            )
        return response
