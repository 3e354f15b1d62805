"""Benchmark of an allocation run in the application at national size (issue 14): freeze, dry run, publish.

    .venv/bin/python bench/bench_publish.py                       # 200,000 applicants (≈ 5-10 min here)
    .venv/bin/python bench/bench_publish.py --applicants 20000    # quicker
    --database-url URL   default postgres://postgres@127.0.0.1:5432/bench_publish (dropped, recreated)

One batch with applicants/50 classes (20-60 seats, one in five reserving seats for ASN) and the given
number of participants, each with an account and e-mail address, a valid NIK (encrypted, keyed hash) and
an application ranking three classes, all written with bulk inserts. Then each step runs in a fresh
process, exactly as its background job does (`services.create_run`, `draw_seed`, `compute`, `publish`,
then the e-mail job `send_result_emails` with Django's dummy mail backend), and prints its wall-clock
time, the peak RSS of that process and the number of SQL statements.

Baseline, in the same run: PostgreSQL COPY of as many offer-shaped and notification-shaped rows as the
publish wrote into plain tables (no constraints, no indexes): the floor of writing that much data.

Targets: publish of 200,000 applicants < 30 s and < 1 GB; its query count printed (it must not grow per
person: writes are batched).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_publish"
TARGET_SECONDS = 30.0
TARGET_MB = 1024.0


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")
    os.environ["EMAIL_URL"] = "dummymail://"
    import django

    django.setup()


def recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def generate(n: int, seed: int = 2026) -> dict:
    """The batch, its classes and n applicants, by bulk inserts; returns the ids the steps need."""
    from django.core.management import call_command
    from django.utils import timezone

    from sinergi.accounts.models import Organization, Role, User
    from sinergi.programs.models import Academy, Batch, Program, TrainingClass
    from sinergi.regions.models import Region
    from sinergi.registration.models import Application, ApplicationChoice, Participant
    from sinergi.registration.nik import compose_nik

    call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    region = Region.objects.get(code="16.71")
    kecamatan = list(
        Region.objects.filter(level=Region.Level.DISTRICT, code__startswith="16.71.").values_list(
            "code", flat=True
        )
    )
    org = Organization.objects.create(
        name="Pemkot Palembang (bench)", kind=Organization.Kind.CITY_GOV, region=region
    )
    admin = User.objects.create(
        username="admin-bench", email="admin@bench.invalid", role=Role.REGIONAL_ADMIN, organization=org
    )
    provider = Organization.objects.create(
        name="BLK Palembang (bench)", kind=Organization.Kind.PROVIDER, region=region
    )
    academy = Academy.objects.first() or Academy.objects.create(code="VSGA", name="VSGA")
    now = timezone.now()
    batch = Batch.objects.create(
        name="Gelombang nasional (bench)",
        region=region,
        organizer=org,
        registration_opens=now - timedelta(days=30),
        registration_closes=now - timedelta(hours=1),
        status=Batch.Status.CLOSED,
    )
    program = Program.objects.create(batch=batch, academy=academy, name="Talenta digital", level="dasar")
    m = max(10, n // 50)
    classes = []
    for j in range(m):
        cap = rng.randint(20, 60)
        classes.append(
            TrainingClass(
                program=program,
                code=f"K{j:05d}",
                name=f"Kelas {j}",
                capacity=cap,
                region=region,
                provider=provider,
                starts_on=date(2027, 1, 11),
                ends_on=date(2027, 2, 26),
                reserved_seats={"asn": cap // 5} if j % 5 == 0 else {},
            )
        )
    TrainingClass.objects.bulk_create(classes, batch_size=2000)
    class_pks = list(
        TrainingClass.objects.filter(program=program).order_by("code").values_list("pk", flat=True)
    )

    users = [User(username=f"peserta{i}", email=f"peserta{i}@contoh.id", password="!") for i in range(n)]
    User.objects.bulk_create(users, batch_size=5000)
    user_pks = list(
        User.objects.filter(username__startswith="peserta").order_by("pk").values_list("pk", flat=True)
    )
    people = []
    k = len(kecamatan)
    for i, uid in enumerate(user_pks):
        # (kecamatan, birth date, serial) differs for every i, so every NIK is distinct.
        born = date(1970, 1, 1) + timedelta(days=(i // (k * 10000)) * 97 + rng.randint(0, 96))
        sex = "P" if i % 2 else "L"
        p = Participant(
            user_id=uid,
            full_name=f"Peserta {i}",
            birth_date=born,
            sex=sex,
            domicile=region,
            email=f"peserta{i}@contoh.id",
            category="asn" if i % 10 == 0 else "umum",
        )
        p.set_nik(compose_nik(kecamatan[i % k], born, sex, (i // k) % 10000))
        people.append(p)
    Participant.objects.bulk_create(people, batch_size=5000)
    person_pks = list(Participant.objects.order_by("pk").values_list("pk", flat=True))
    apps = [
        Application(participant_id=pk, batch=batch, score=round(min(100, max(0, rng.gauss(70, 12))), 1))
        for pk in person_pks
    ]
    Application.objects.bulk_create(apps, batch_size=5000)
    app_pks = list(Application.objects.filter(batch=batch).order_by("pk").values_list("pk", flat=True))
    choices = []
    rand = rng.random
    for app_pk in app_pks:
        picks: list[int] = []
        while len(picks) < 3:
            pk = class_pks[int(m * rand() * rand())]
            if pk not in picks:
                picks.append(pk)
        choices.extend(
            ApplicationChoice(application_id=app_pk, training_class_id=pk, rank=r)
            for r, pk in enumerate(picks, 1)
        )
    ApplicationChoice.objects.bulk_create(choices, batch_size=10000)
    return {"batch": batch.pk, "admin": admin.pk, "classes": m}


def _counting():
    from django.db import connection

    box: dict = {"queries": 0, "slowest": (0.0, "")}

    def count(execute, sql, params, many, context):
        box["queries"] += 1
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - t0
            if took > box["slowest"][0]:
                box["slowest"] = (took, sql[:70])

    return box, connection.execute_wrapper(count)


def step(name: str, batch_pk: int, admin_pk: int) -> dict:
    from sinergi.accounts.models import User
    from sinergi.programs.models import Batch
    from sinergi.selection import services
    from sinergi.selection.models import AllocationRun, Offer, ResultEmail

    admin = User.objects.get(pk=admin_pk)
    batch = Batch.objects.get(pk=batch_pk)
    run = AllocationRun.objects.filter(batch=batch).order_by("-number").first()
    box, wrapper = _counting()
    extra: dict = {}
    t0 = time.perf_counter()
    with wrapper:
        if name == "freeze":
            run = services.create_run(admin, batch)
            services.draw_seed(admin, run)
        elif name == "compute":
            run = services.compute(admin, run)
            extra["assigned"] = run.summary["assigned"]
        elif name == "publish":
            summary = services.publish(admin, run)
            extra["offers"] = summary.offers
        elif name == "emails":
            extra["sent"] = services.send_result_emails(run.pk)
    seconds = time.perf_counter() - t0
    if name == "publish":
        from sinergi.core.models import Notification

        extra["notifications"] = Notification.objects.count()
        extra["emails_queued"] = ResultEmail.objects.count()
        extra["offers_stored"] = Offer.objects.count()
    return {
        "step": name,
        "seconds": seconds,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "queries": box["queries"],
        "slowest query": f"{box['slowest'][0]:.1f} s {box['slowest'][1]}",
        **extra,
    }


def copy_baseline(url: str, offers: int, notifications: int) -> float:
    """COPY of as many offer- and notification-shaped rows into plain tables (created and dropped here)."""
    import psycopg

    with psycopg.connect(url) as conn:
        conn.execute(
            "CREATE TEMP TABLE base_offer (batch_id int, run_id int, entry_id int, participant_id int, "
            "training_class_id int, seat_kind text, categories jsonb, region_code text, status text, "
            "deadline timestamptz, created_at timestamptz)"
        )
        conn.execute(
            "CREATE TEMP TABLE base_note (user_id int, title text, body text, url text, dedupe_key text, "
            "created_at timestamptz)"
        )
        t0 = time.perf_counter()
        with conn.cursor() as cur:
            with cur.copy("COPY base_offer FROM STDIN") as copy:
                for i in range(offers):
                    copy.write_row(
                        (
                            1,
                            1,
                            i,
                            i,
                            i % 4000,
                            "open",
                            '["umum"]',
                            "16.71",
                            "offered",
                            "2026-12-10 10:00+07",
                            "2026-12-03 10:00+07",
                        )
                    )
            with cur.copy("COPY base_note FROM STDIN") as copy:
                for i in range(notifications):
                    copy.write_row(
                        (
                            i,
                            "Anda mendapat kursi pelatihan",
                            "Anda mendapat kursi di kelas K00012 Kelas 12. Terima atau tolak sebelum "
                            "10-12-2026 10:00.",
                            "/hasil-seleksi/",
                            f"selection:offer:{i}",
                            "2026-12-03 10:00+07",
                        )
                    )
        conn.commit()
        return time.perf_counter() - t0


def _spawn(*argv: str) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, *argv], capture_output=True, text=True, check=False, cwd=ROOT
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"benchmark child {argv} failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=200_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument(
        "--child", choices=["generate", "freeze", "compute", "publish", "emails"], help=argparse.SUPPRESS
    )
    parser.add_argument("--batch", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--admin", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _setup_django(args.database_url)
        if args.child == "generate":
            print(json.dumps(generate(args.applicants)))
        else:
            print(json.dumps(step(args.child, args.batch, args.admin)))
        return

    recreate_database(args.database_url)
    t0 = time.perf_counter()
    ids = _spawn(
        "--child", "generate", "--applicants", str(args.applicants), "--database-url", args.database_url
    )
    print(
        f"Allocation run in the app, PostgreSQL: {args.applicants:,} applicants, {ids['classes']:,} classes "
        f"(generated and migrated in {time.perf_counter() - t0:.0f} s)"
    )
    print(f"{'step':>8} {'time':>8} {'peak RSS':>9} {'queries':>8}  notes")
    results = {}
    for name in ("freeze", "compute", "publish", "emails"):
        r = _spawn(
            "--child",
            name,
            "--batch",
            str(ids["batch"]),
            "--admin",
            str(ids["admin"]),
            "--database-url",
            args.database_url,
        )
        results[name] = r
        notes = ", ".join(
            f"{k} {v:,}" if isinstance(v, int) else f"{k}: {v}"
            for k, v in r.items()
            if k not in ("step", "seconds", "rss_mb", "queries")
        )
        print(f"{name:>8} {r['seconds']:>7.1f}s {r['rss_mb']:>6.0f} MB {r['queries']:>8,}  {notes}")
    pub = results["publish"]
    base = copy_baseline(args.database_url, pub["offers_stored"], pub["notifications"])
    print(
        f"baseline: COPY of {pub['offers_stored']:,} offer rows + {pub['notifications']:,} notification rows "
        f"into plain tables: {base:.1f} s -> publish = {pub['seconds'] / base:.1f}x COPY"
    )
    ok = pub["seconds"] < TARGET_SECONDS and pub["rss_mb"] < TARGET_MB
    print(
        f"target: publish < {TARGET_SECONDS:.0f} s and < {TARGET_MB:.0f} MB -> {'OK' if ok else 'MISSED'} "
        f"({pub['queries']:,} queries for {args.applicants:,} applicants)"
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
