"""The baseline of bench_apply.py: the cheapest useful write Django can serve, through the same
middleware (session, CSRF, authentication) as the apply endpoint. It lives here, outside the installed
package, so no deployment can mount it: gunicorn serves `apply_baseline:application` (with
`--pythonpath bench`), the whole site plus this one URL. The table is created by the benchmark, never
by a migration."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from django.conf import settings  # noqa: E402
from django.contrib.auth.decorators import login_required  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.http import require_POST  # noqa: E402

from sinergi.urls import handler403, handler404  # noqa: E402, F401 - the site's error pages
from sinergi.urls import urlpatterns as site_urlpatterns  # noqa: E402

BENCH_TABLE = "bench_apply_baseline"
BASELINE_PATH = "bench/sisip-satu-baris/"


@login_required
@require_POST
def insert_one_row(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {BENCH_TABLE} (user_id, created_at) VALUES (%s, now())",  # noqa: S608 - constant name
            [request.user.pk],
        )
    return HttpResponse(status=204)


urlpatterns = [path(BASELINE_PATH, insert_one_row, name="bench_insert"), *site_urlpatterns]
settings.ROOT_URLCONF = __name__
