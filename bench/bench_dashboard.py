"""Dashboards at national size (issue 16): the stored funnel against a naive GROUP BY over raw tables.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_reporting \\
        nice -n 10 .venv/bin/python bench/bench_dashboard.py [--runs 5] [--completions 200000]

The database is filled by `sinergi seed_national --participants 500000` (1,000,000 applications,
≈190,000 enrolments of which 60 % completed, 100,000 certificates, 50,000 tracer answers).
`--completions` tops the completed enrolments up to that number first (second-choice enrolments
inserted as completed, once). Then the refresh job (`sinergi refresh_dashboards`) rebuilds the stored
funnel, timed.

Measured through Django's test Client in-process (server time, no network), p50 of `--runs` after a
warm-up: the national admin's funnel (`/dasbor/grafik/corong.csv`), a province admin's breakdown by
category (`/dasbor/grafik/rincian-category.csv`), and for information the whole `/dasbor/` page and
the home page. Baseline, in the same run: the same numbers counted live with GROUP BY / COUNT over
applications, choices, enrolments, attendance, certificates and tracer answers (what a dashboard
without the stored table would do on every view; simpler than the stored one, which also judges
eligibility and takes each graduate's latest tracer round, so the ratio understates the gain).
Budget: 300 ms for the funnel and the regional breakdown; exits 1 if either misses it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
BUDGET_MS = 300

NAIVE_FUNNEL = """
SELECT
  (SELECT count(*) FROM registration_application WHERE status = 'submitted'),
  (SELECT count(*) FROM learning_enrolment),
  (SELECT count(*) FROM learning_enrolment e
     WHERE EXISTS (SELECT 1 FROM learning_attendance a WHERE a.enrolment_id = e.id AND a.present)),
  (SELECT count(*) FROM learning_enrolment WHERE status = 'completed'),
  (SELECT count(DISTINCT enrolment_id) FROM credentials_credential WHERE revoked_at IS NULL),
  (SELECT count(DISTINCT i.enrolment_id) FROM outcomes_tracerresponse r
     JOIN outcomes_tracerinvitation i ON i.id = r.invitation_id),
  (SELECT count(DISTINCT i.enrolment_id) FROM outcomes_tracerresponse r
     JOIN outcomes_tracerinvitation i ON i.id = r.invitation_id
     WHERE r.answers->>'activity' IN ('bekerja_penuh', 'bekerja_paruh', 'wirausaha')),
  (SELECT count(DISTINCT i.enrolment_id) FROM outcomes_tracerresponse r
     JOIN outcomes_tracerinvitation i ON i.id = r.invitation_id
     WHERE r.answers->>'business' IN ('baru', 'naik_kelas'))
"""
NAIVE_REGIONAL = """
SELECT p.category, count(*)
FROM registration_application a
JOIN programs_batch b ON b.id = a.batch_id
JOIN registration_participant p ON p.id = a.participant_id
WHERE a.status = 'submitted' AND (b.region_id = %s OR b.region_id LIKE %s)
GROUP BY p.category
UNION ALL
SELECT p.category, count(*)
FROM learning_enrolment e
JOIN programs_trainingclass c ON c.id = e.training_class_id
JOIN programs_program g ON g.id = c.program_id
JOIN programs_batch b ON b.id = g.batch_id
JOIN registration_participant p ON p.id = e.participant_id
WHERE e.status = 'completed' AND (b.region_id = %s OR b.region_id LIKE %s)
GROUP BY p.category
"""


def top_up_completions(target: int) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM learning_enrolment WHERE status = 'completed'")
        have = cursor.fetchone()[0]
        if have >= target:
            return have
        cursor.execute(
            """
            INSERT INTO learning_enrolment
              (participant_id, training_class_id, status, assignments_passed, decision_reason,
               completed_at, created_at)
            SELECT a.participant_id, c.training_class_id, 'completed', 0, '', now(), now()
            FROM registration_applicationchoice c
            JOIN registration_application a ON a.id = c.application_id
            WHERE c.rank = 2
              AND NOT EXISTS (SELECT 1 FROM learning_enrolment e
                              WHERE e.participant_id = a.participant_id
                                AND e.training_class_id = c.training_class_id)
            LIMIT %s
            ON CONFLICT DO NOTHING
            """,
            [target - have],
        )
        print(f"completions topped up: {cursor.rowcount:,} second-choice enrolments inserted as completed")
        cursor.execute("ANALYZE learning_enrolment")
        cursor.execute("SELECT count(*) FROM learning_enrolment WHERE status = 'completed'")
        return cursor.fetchone()[0]


def timed(fn, runs: int) -> float:
    fn()  # warm-up: plans, caches, templates
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--completions", type=int, default=200_000)
    parser.add_argument("--no-refresh", action="store_true", help="reuse the stored funnel")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from sinergi.accounts.models import Role, User
    from sinergi.learning.models import Enrolment
    from sinergi.outcomes.models import TracerResponse
    from sinergi.registration.models import Application
    from sinergi.reporting.funnel import refresh_funnel
    from sinergi.reporting.models import FunnelCount

    if connection.vendor != "postgresql":
        sys.exit("bench_dashboard needs PostgreSQL (DATABASE_URL=postgres://…).")
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.RATELIMIT_ENABLE = False
    settings.AXES_ENABLED = False

    completed = top_up_completions(args.completions)
    applications = Application.objects.count()
    enrolments = Enrolment.objects.count()
    print(f"data: {applications:,} applications, {enrolments:,} enrolments, {completed:,} completed")
    print(f"tracer answers: {TracerResponse.objects.count():,}")
    if not args.no_refresh:
        started = time.perf_counter()
        rows = refresh_funnel()
        print(
            f"refresh job (sinergi refresh_dashboards): {time.perf_counter() - started:.1f} s, "
            f"{rows:,} stored rows"
        )
    print(f"stored funnel table: {FunnelCount.objects.count():,} rows")

    def account(username: str, role: str, region: str | None):
        found, _ = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@bench.contoh.go.id", "role": role, "region_id": region},
        )
        return found

    national = Client()
    national_admin = account("bench-national", Role.NATIONAL_ADMIN, None)
    national.force_login(national_admin)
    # A national admin's pages need the second sign-in step; a device made for the bench stands for it.
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(
        user=national_admin, name="bench", defaults={"confirmed": True}
    )
    session = national.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    province = Client()
    province.force_login(account("bench-province", Role.REGIONAL_ADMIN, "16"))

    def get(client, url):
        def run():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return run

    def naive(sql, params=()):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()

        return run

    rows = [
        ("national funnel", get(national, "/dasbor/grafik/corong.csv"), naive(NAIVE_FUNNEL), True),
        (
            "regional breakdown (prov. 16, category)",
            get(province, "/dasbor/grafik/rincian-category.csv"),
            naive(NAIVE_REGIONAL, ["16", "16.%", "16", "16.%"]),
            True,
        ),
        ("/dasbor/ page, national (4 charts)", get(national, "/dasbor/"), naive(NAIVE_FUNNEL), False),
        (
            "home page, province admin",
            get(province, "/"),
            naive(NAIVE_REGIONAL, ["16", "16.%", "16", "16.%"]),
            False,
        ),
    ]
    print(f"{'view':42} {'stored ms':>10} {'naive GROUP BY ms':>18} {'ratio':>7}  result")
    failed = False
    for label, stored_fn, naive_fn, budgeted in rows:
        stored_ms = timed(stored_fn, args.runs)
        naive_ms = timed(naive_fn, max(1, args.runs // 2))
        ok = stored_ms <= BUDGET_MS
        failed |= budgeted and not ok
        verdict = ("PASS" if ok else "FAIL") if budgeted else "(info)"
        print(f"{label:42} {stored_ms:10.1f} {naive_ms:18.1f} {naive_ms / stored_ms:6.1f}x  {verdict}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
