"""Pages at demo size and at national size, side by side (issue 14).

    DEMO_URL=postgres://postgres@127.0.0.1:5432/demo \\
    NATIONAL_URL=postgres://postgres@127.0.0.1:5432/national \\
        .venv/bin/python bench/bench_national.py [--runs 3] [--only SUBSTRING]

Both databases are PostgreSQL: the demo one filled by `sinergi seed_demo`, the national one by
`sinergi seed_national` (500,000 participants, 1,000,000 applications, 20,000 classes, 100,000
credentials, ~2,000 agreements) and then `sinergi refresh_metrics` (stored progress). Each database is
measured in its own process (Django connects to one default database), through Django's test Client
in-process: server time, no network, no gunicorn. For every page: the p50 of `--runs` requests after
one warm-up request, and the number of SQL queries of one request (CaptureQueriesContext).

Budgets: 150 ms for the public agreement pages (list, progress sort, national MoU, region pages) and
the API list; 300 ms for every other page. PASS/FAIL is judged at national size; the process exits 1
when a page fails. The demo figure is the baseline the national one is divided by.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

PUBLIC_BUDGET_MS = 150
BUDGET_MS = 300


def _pages(national_admin, regional_admin, province_admin) -> list[tuple[str, object, str, int]]:
    """(label, user or None, url, budget) — resolved against the database of this process."""
    from sinergi.partnerships.models import Agreement, AgreementType, Status
    from sinergi.programs.models import Batch
    from sinergi.selection.models import AllocationRun

    mou = (
        Agreement.objects.filter(type=AgreementType.MOU, status=Status.BERLAKU, parent=None)
        .order_by("-children__pk", "pk")  # the MoU with PKS children: the national one
        .first()
    )
    region_code = (regional_admin.region_id or "16.71") if regional_admin else "16.71"
    province_code = region_code.split(".")[0]
    pages: list[tuple[str, object, str, int]] = [
        ("/kerja-sama/ (public list)", None, "/kerja-sama/", PUBLIC_BUDGET_MS),
        ("/kerja-sama/?urut=-progress", None, "/kerja-sama/?urut=-progress", PUBLIC_BUDGET_MS),
        ("/kerja-sama/kelola/ (national admin)", national_admin, "/kerja-sama/kelola/", BUDGET_MS),
        ("/kerja-sama/kelola/?urut=progress", national_admin, "/kerja-sama/kelola/?urut=progress", BUDGET_MS),
        ("/api/v1/agreements/", None, "/api/v1/agreements/", PUBLIC_BUDGET_MS),
        ("/api/v1/agreements/?sort=progress", None, "/api/v1/agreements/?sort=progress", PUBLIC_BUDGET_MS),
        ("/kerja-sama/ekspor.xlsx (public)", None, "/kerja-sama/ekspor.xlsx", BUDGET_MS),
        ("/kerja-sama/kelola/ekspor.xlsx", national_admin, "/kerja-sama/kelola/ekspor.xlsx", BUDGET_MS),
        (
            f"/kerja-sama/wilayah/{province_code}/ (province)",
            None,
            f"/kerja-sama/wilayah/{province_code}/",
            PUBLIC_BUDGET_MS,
        ),
        (
            f"/kerja-sama/wilayah/{region_code}/ (kab/kota)",
            None,
            f"/kerja-sama/wilayah/{region_code}/",
            PUBLIC_BUDGET_MS,
        ),
        ("/pelatihan/ (catalogue)", None, "/pelatihan/", BUDGET_MS),
        ("/sertifikat/ (national admin)", national_admin, "/sertifikat/", BUDGET_MS),
        ("/data-ganda/ (regional admin)", province_admin or regional_admin, "/data-ganda/", BUDGET_MS),
        ("/alokasi/ (national admin)", national_admin, "/alokasi/", BUDGET_MS),
    ]
    if mou is not None:
        pages.insert(8, ("a MoU's public page", None, f"/kerja-sama/{mou.pk}/", PUBLIC_BUDGET_MS))
    batch = Batch.objects.order_by("-pk").first()
    if batch is not None:
        pages.append(
            ("/alokasi/gelombang/<id>/", national_admin, f"/alokasi/gelombang/{batch.pk}/", BUDGET_MS)
        )
    run = AllocationRun.objects.order_by("-pk").only("pk").first()
    if run is not None:
        pages.append(("/alokasi/<run>/ (a run's page)", national_admin, f"/alokasi/{run.pk}/", BUDGET_MS))
    return pages


def _bench_users():
    """One account per role the pages need; created on first use (bench-only addresses)."""
    from sinergi.accounts.models import Role, User

    def user(username: str, role: str, region: str | None):
        found, _ = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@bench.contoh.go.id", "role": role, "region_id": region},
        )
        return found

    national = user("bench-national", Role.NATIONAL_ADMIN, None)
    regional = user("bench-regional", Role.REGIONAL_ADMIN, "16.71")
    province = user("bench-province", Role.REGIONAL_ADMIN, "16")
    return national, regional, province


def measure(runs: int, only: str) -> dict[str, dict]:
    """In this process's database: {label: {"ms", "queries", "status", "budget"}}."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.RATELIMIT_ENABLE = False
    settings.AXES_ENABLED = False
    results: dict[str, dict] = {}
    for label, user, url, budget in _pages(*_bench_users()):
        if only and not any(part in label for part in only.split(",")):
            continue
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get(url)  # warm-up: caches, prepared plans, templates
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        results[label] = {
            "ms": statistics.median(times),
            "queries": len(queries),
            "status": response.status_code,
            "budget": budget,
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="", help="only pages whose label contains one of these (a,b,…)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.runs, args.only)))
        return
    figures = {}
    for size, variable in (("demo", "DEMO_URL"), ("national", "NATIONAL_URL")):
        url = os.environ.get(variable)
        if not url:
            sys.exit(f"{variable} is not set (see the docstring).")
        out = subprocess.run(
            [sys.executable, __file__, "--child", "--runs", str(args.runs), "--only", args.only],
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode:
            sys.exit(f"{size}: {out.stderr[-3000:]}")
        figures[size] = json.loads(out.stdout.strip().splitlines()[-1])
    failed = False
    print(
        f"{'page':46} {'demo ms':>8} {'q':>4} {'national ms':>12} {'q':>4} {'ratio':>6} {'budget':>7}  result"
    )
    for label, national in figures["national"].items():
        demo = figures["demo"].get(label, {"ms": float("nan"), "queries": 0})
        ok = national["ms"] <= national["budget"] and national["status"] == 200
        failed |= not ok
        ratio = national["ms"] / demo["ms"] if demo["ms"] else float("nan")
        verdict = "PASS" if ok else "FAIL"
        if national["status"] != 200:
            verdict += f" (HTTP {national['status']})"
        print(
            f"{label:46} {demo['ms']:8.0f} {demo['queries']:4d} {national['ms']:12.0f} "
            f"{national['queries']:4d} {ratio:5.1f}x {national['budget']:5d} ms  {verdict}"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
