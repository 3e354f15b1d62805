"""Benchmark of the agreement list, its progress sort, XLSX export and re-import (issue 4).

    .venv/bin/python bench/bench_partnership_lists.py              # 1,000 agreements
    .venv/bin/python bench/bench_partnership_lists.py --agreements 300

Runs on a throwaway SQLite database (migrated, regions loaded). N signed agreements with two
parties and two manual commitments each (one measured). Figures, all in the same run:

  list     = GET /kerja-sama/?urut=end_date: the database orders and pages, 20 rows measured
             (the baseline every other figure is divided by)
  progress = GET /kerja-sama/?urut=-progress: every filtered agreement is measured, then sorted
  export   = XLSX of all N with parties and commitments
  reimport = the same XLSX imported back (every row unchanged: nothing written)

Progress is computed, never stored, so the progress sort grows with N while the plain list does not;
the ratio says how much. Timings are wall-clock on a shared machine (median of 3 for the pages).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agreements", type=int, default=1000)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-partnerships-")
    os.environ["SINERGI_VAR_DIR"] = tmp
    os.environ["DATABASE_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.RATELIMIT_ENABLE = False
    call_command("migrate", verbosity=0)

    from sinergi.accounts.models import Organization, Role, User
    from sinergi.partnerships import exports, imports
    from sinergi.partnerships.models import (
        Agreement,
        AgreementParty,
        Commitment,
        ManualMeasurement,
        Status,
    )
    from sinergi.partnerships.selectors import (
        agreement_rows,
        agreements_visible_to,
        with_parties_and_commitments,
    )

    n = args.agreements
    city = Organization.objects.create(name="Pemerintah Kota Samarinda", kind="city_gov", region_id="64.72")
    ministry = Organization.objects.create(name="Kementerian Bench", kind="ministry")
    admin = User.objects.create(username="bench", email="bench@contoh.go.id", role=Role.NATIONAL_ADMIN)
    start = date(2023, 1, 1)
    agreements = Agreement.objects.bulk_create(
        Agreement(
            type="mou",
            title=f"Kerja sama uji {i:05d}",
            number=f"NO/{i:05d}",
            topics=["digital_talent"],
            start_date=start,
            end_date=start + timedelta(days=400 + i % 1500),
            signed_date=start,
            status=Status.BERLAKU,
            region_id="64.72",
        )
        for i in range(n)
    )
    AgreementParty.objects.bulk_create(
        AgreementParty(agreement=a, organization=o, role=r)
        for a in agreements
        for o, r in ((city, "pihak_pertama"), (ministry, "pihak_kedua"))
    )
    commitments = Commitment.objects.bulk_create(
        Commitment(agreement=a, title=f"Komitmen {k}", target_value=1000, unit="orang", deadline=a.end_date)
        for a in agreements
        for k in (1, 2)
    )
    ManualMeasurement.objects.bulk_create(
        ManualMeasurement(commitment=c, value=Decimal(i % 1000)) for i, c in enumerate(commitments[::2])
    )

    client = Client()

    def page(params: dict) -> float:
        times = []
        for _ in range(3):
            t = time.perf_counter()
            response = client.get("/kerja-sama/", params)
            times.append(time.perf_counter() - t)
            assert response.status_code == 200
        return statistics.median(times)

    base = page({"urut": "end_date"})
    progress = page({"urut": "-progress"})
    t = time.perf_counter()
    qs = with_parties_and_commitments(agreements_visible_to(admin))
    data = exports.export_xlsx(agreement_rows(qs, date.today()))
    export = time.perf_counter() - t
    t = time.perf_counter()
    result = imports.import_xlsx(io.BytesIO(data), user=admin)
    reimport = time.perf_counter() - t
    assert (result.created, result.updated, result.unchanged) == (0, 0, n)

    print(f"{n} agreements, {2 * n} commitments (SQLite, {tmp})")
    print(f"list (baseline)   {base * 1000:8.0f} ms   1.0x")
    for name, value in (("progress sort", progress), ("XLSX export", export), ("XLSX reimport", reimport)):
        print(f"{name:<17} {value * 1000:8.0f} ms  {value / base:5.1f}x")
    print(f"XLSX size {len(data) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
