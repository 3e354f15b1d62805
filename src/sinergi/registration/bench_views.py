"""The baseline of bench/bench_apply.py: the cheapest useful write Django can serve, through the
same middleware (session, CSRF, authentication) as the apply endpoint. Mounted only when the
server runs with SINERGI_BENCH=1; the table is created by the benchmark, never by a migration."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

BENCH_TABLE = "bench_apply_baseline"


@login_required
@require_POST
def insert_one_row(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {BENCH_TABLE} (user_id, created_at) VALUES (%s, now())",  # noqa: S608 - constant name
            [request.user.pk],
        )
    return HttpResponse(status=204)
