from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sinergi.api.api import api


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
