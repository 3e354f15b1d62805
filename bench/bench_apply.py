"""Benchmark of the apply endpoint under load (issue 5), against a bare one-row insert in the same run.

    .venv/bin/python bench/bench_apply.py                  # 10 s per phase, 16 connections
    .venv/bin/python bench/bench_apply.py --seconds 5 --connections 8 --workers 2

Setup: migrates the PostgreSQL database named by DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/bench_apply), creates an open batch with three classes and
--users participants with signed-in sessions, then starts gunicorn on 127.0.0.1 serving
bench/apply_baseline.py (the site plus the baseline view, which the installed package does not
have). A second process generates the load:
threads with keep-alive http.client connections, each owning its own participants, first fetching
every participant's apply page once for the CSRF token, then timing:

    baseline  POST /bench/sisip-satu-baris/             login + CSRF + INSERT of one row
    apply     POST /pelatihan/gelombang/<id>/daftar/kirim/  the real endpoint: window, eligibility,
              get_or_create + row lock, replace the ranked choices (each request a different order)

Both go through the same middleware (session, CSRF, auth). Prints throughput, p50 and p99 latency of
each and the throughput ratio apply / baseline (target >= 0.5). Afterwards it checks that every
participant has exactly one application holding the ranking of one of their requests.
Timings are wall-clock on a shared machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bench_apply"
TARGET_RATIO = 0.5
BENCH_TABLE = "bench_apply_baseline"


def server_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="False",  # no query log, no debug pages: the production code path
        SECURE_SSL_REDIRECT="False",  # plain HTTP on 127.0.0.1
        CONN_MAX_AGE="60",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="sinergi.settings",
    )
    env.pop("REDIS_URL", None)
    return env


def ensure_database(database_url: str) -> None:
    import psycopg

    parts = urlparse(database_url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


# --- setup (this process, with Django) --------------------------------------------------------------


def prepare(users: int) -> dict:
    """An open batch, three classes, `users` consenting participants with live sessions."""
    import django

    django.setup()
    from datetime import date, timedelta

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.utils import timezone

    from sinergi.accounts.models import Organization, User
    from sinergi.programs.models import Academy, Batch, Program, TrainingClass
    from sinergi.regions.models import Region
    from sinergi.registration.models import Application, Participant
    from sinergi.registration.nik import compose_nik

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {BENCH_TABLE} "
            "(id bigserial PRIMARY KEY, user_id bigint NOT NULL, created_at timestamptz NOT NULL)"
        )
        cursor.execute(f"TRUNCATE {BENCH_TABLE}")
    palembang = Region.objects.get(code="16.71")
    organizer, _ = Organization.objects.get_or_create(
        name="Diskominfo Kota Palembang (bench)", region=palembang, defaults={"kind": "opd"}
    )
    academy, _ = Academy.objects.get_or_create(code="BENCH", defaults={"name": "Akademi Bench"})
    now = timezone.now()
    batch, _ = Batch.objects.update_or_create(
        name="Gelombang bench apply",
        defaults={
            "region": palembang,
            "organizer": organizer,
            "registration_opens": now - timedelta(days=1),
            "registration_closes": now + timedelta(days=30),
            "status": Batch.Status.OPEN,
            "max_choices": 3,
        },
    )
    program, _ = Program.objects.get_or_create(
        batch=batch, academy=academy, name="Literasi Digital (bench)", defaults={"level": "dasar"}
    )
    classes = []
    for i in range(3):
        training_class, _ = TrainingClass.objects.get_or_create(
            code=f"BENCH-{i + 1}",
            defaults={
                "program": program,
                "name": f"Kelas bench {i + 1}",
                "provider": organizer,
                "region": palembang,
                "starts_on": date.today() + timedelta(days=40),
                "ends_on": date.today() + timedelta(days=60),
                "capacity": 100_000,
            },
        )
        classes.append(training_class.pk)
    Application.objects.filter(batch=batch).delete()
    sessions = []
    password_hash = make_password(None)  # unusable: these accounts sign in only by the prepared session
    for i in range(users):
        user, _ = User.objects.get_or_create(
            username=f"bench-peserta-{i}",
            defaults={
                "email": f"bench-peserta-{i}@contoh.id",
                "role": "participant",
                "password": password_hash,
            },
        )
        if not Participant.objects.filter(user=user).exists():
            participant = Participant(
                user=user,
                full_name=f"Peserta Bench {i}",
                birth_date=date(1990, 1, 1) + timedelta(days=i % 3000),
                sex="L",
                domicile=palembang,
                email=user.email,
                category="umum",
                education="sma",
                consent_version=settings.PRIVACY_NOTICE_VERSION,
                consented_at=now,
            )
            participant.set_nik(compose_nik("16.71.01", participant.birth_date, "L", 1 + i // 3000))
            participant.save()
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    return {"batch": batch.pk, "classes": classes, "sessions": sessions}


def verify(batch_pk: int, classes: list[int], users: int) -> tuple[str, bool]:
    from sinergi.registration.models import Application

    apps = list(Application.objects.filter(batch_id=batch_pk).prefetch_related("choices"))
    orders = {tuple(o) for o in _orders(classes)}
    whole = sum(1 for a in apps if tuple(c.training_class_id for c in a.choices.all()) in orders)
    distinct = len({a.participant_id for a in apps})
    ok = len(apps) == distinct == users and whole == len(apps)
    return (
        f"  check: {len(apps)} applications for the {users} participants who applied, {whole} holding one "
        "request's whole "
        f"ranking -> {'OK' if ok else 'MISMATCH'}"
    ), ok


def _orders(classes: list[int]) -> list[list[int]]:
    a, b, c = classes
    return [[a, b, c], [b, a, c], [c, b, a], [a, c], [b]]


# --- load generator (second process, no Django) -----------------------------------------------------


def _request(conn, method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    return response.status, response.getheader("Set-Cookie") or "", data


def load(port: int, plan: dict, connections: int, seconds: float) -> dict:
    sessions = plan["sessions"]
    apply_path = f"/pelatihan/gelombang/{plan['batch']}/daftar/kirim/"
    page_path = f"/pelatihan/gelombang/{plan['batch']}/daftar/"
    orders = _orders(plan["classes"])
    # Each connection owns a disjoint slice of the participants, as separate browsers would.
    slices = [sessions[i::connections] for i in range(connections)]
    credentials: list[list[tuple[str, str]]] = [[] for _ in range(connections)]

    def fetch_tokens(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for session in slices[k]:
            status, set_cookie, body = _request(
                conn, "GET", page_path, headers={"Cookie": f"sessionid={session}"}
            )
            token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
            cookie = re.search(r"csrftoken=([^;]+)", set_cookie)
            if status != 200 or not token or not cookie:
                raise RuntimeError(f"apply page answered {status} without a CSRF token")
            credentials[k].append(
                (f"sessionid={session}; csrftoken={cookie.group(1)}", token.group(1).decode())
            )
        conn.close()

    threads = [threading.Thread(target=fetch_tokens, args=(k,)) for k in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    def phase(name: str, path: str, duration: float) -> dict:
        latencies: list[list[float]] = [[] for _ in range(connections)]
        served: list[set[int]] = [set() for _ in range(connections)]
        failures = [0] * connections
        stop = time.perf_counter() + duration

        def worker(k: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            i = k
            while time.perf_counter() < stop:
                cookie, token = credentials[k][i % len(credentials[k])]
                fields = [("csrfmiddlewaretoken", token)]
                if name == "apply":
                    fields += [("kelas", str(pk)) for pk in orders[i % len(orders)]]
                body = urlencode(fields)
                headers = {
                    "Cookie": cookie,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://127.0.0.1:{port}{page_path}",
                }
                started = time.perf_counter()
                try:
                    status, _c, _b = _request(conn, "POST", path, body, headers)
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    failures[k] += 1
                    continue
                latencies[k].append(time.perf_counter() - started)
                if status not in (204, 302):
                    failures[k] += 1
                else:
                    served[k].add(i % len(credentials[k]))
                i += 1
            conn.close()

        began = time.perf_counter()
        workers = [threading.Thread(target=worker, args=(k,)) for k in range(connections)]
        for t in workers:
            t.start()
        for t in workers:
            t.join()
        elapsed = time.perf_counter() - began
        flat = sorted(x for per in latencies for x in per)
        return {
            "served": [sorted(s) for s in served],
            "requests": len(flat),
            "failures": sum(failures),
            "throughput": len(flat) / elapsed,
            "p50_ms": statistics.median(flat) * 1000 if flat else 0.0,
            "p99_ms": flat[min(len(flat) - 1, int(len(flat) * 0.99))] * 1000 if flat else 0.0,
        }

    phase("baseline", "/bench/sisip-satu-baris/", min(2.0, seconds))  # warm-up: connections, caches
    applied = [set(s) for s in phase("apply", apply_path, min(2.0, seconds))["served"]]
    results: dict = {}
    # Interleaved halves so that a noisy neighbour on the shared machine hits both alike.
    for half in range(2):
        for name, path in (("baseline", "/bench/sisip-satu-baris/"), ("apply", apply_path)):
            r = phase(name, path, seconds / 2)
            if name == "apply":
                for k, indexes in enumerate(r["served"]):
                    applied[k].update(indexes)
            if half == 0:
                results[name] = r
            else:
                total = results[name]["requests"] + r["requests"]
                results[name] = {
                    "requests": total,
                    "failures": results[name]["failures"] + r["failures"],
                    "throughput": (results[name]["throughput"] + r["throughput"]) / 2,
                    "p50_ms": max(results[name]["p50_ms"], r["p50_ms"]),
                    "p99_ms": max(results[name]["p99_ms"], r["p99_ms"]),
                }
    results["applied_participants"] = sum(len(s) for s in applied)
    return results


# --- orchestration ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per endpoint")
    parser.add_argument("--connections", type=int, default=16, help="concurrent client connections")
    parser.add_argument("--users", type=int, default=400, help="signed-in participants")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--load", help=argparse.SUPPRESS)  # internal: run as the load generator
    args = parser.parse_args()

    if args.load:
        spec = json.loads(args.load)
        print(json.dumps(load(spec["port"], spec["plan"], args.connections, args.seconds)))
        return

    database_url = os.environ.get("SINERGI_BENCH_DATABASE_URL") or DEFAULT_DB
    env = server_env(database_url)
    os.environ.update(env)
    try:
        ensure_database(database_url)
    except Exception as exc:  # noqa: BLE001 - reported: the benchmark needs PostgreSQL
        print(f"bench_apply: PostgreSQL not reachable at {database_url}: {exc}")
        sys.exit(1)
    subprocess.run([str(BIN / "sinergi"), "migrate", "--noinput", "-v", "0"], env=env, check=True)
    plan = prepare(args.users)

    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "apply_baseline:application",
            "--pythonpath",
            str(ROOT / "bench"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        wait_for(port)
        spec = json.dumps({"port": port, "plan": plan})
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--load",
                spec,
                "--connections",
                str(args.connections),
                "--seconds",
                str(args.seconds),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        results = json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    print(
        f"Apply endpoint under load (python {sys.version.split()[0]}, {os.cpu_count()} CPU; gunicorn "
        f"{args.workers} workers x {args.threads} threads; {args.connections} connections from a second "
        f"process; {args.users} participants; {args.seconds:.0f} s per endpoint; PostgreSQL)"
    )
    print(f"{'endpoint':>9} {'requests':>9} {'failed':>6} {'req/s':>8} {'p50':>8} {'p99':>8}")
    for name in ("baseline", "apply"):
        r = results[name]
        print(
            f"{name:>9} {r['requests']:>9,} {r['failures']:>6} {r['throughput']:>8.1f} "
            f"{r['p50_ms']:>6.1f}ms {r['p99_ms']:>6.1f}ms"
        )
    ratio = results["apply"]["throughput"] / results["baseline"]["throughput"]
    p99_ratio = (
        results["baseline"]["p99_ms"] / results["apply"]["p99_ms"] if results["apply"]["p99_ms"] else 0
    )
    verdict = "OK" if ratio >= TARGET_RATIO else "BELOW TARGET"
    print(f"  ratio apply/baseline throughput: {ratio:.2f}x (target >= {TARGET_RATIO}x) -> {verdict}")
    print(f"  p99 latency baseline/apply: {p99_ratio:.2f}x")
    print(
        "  baseline = signed-in POST through the same middleware that inserts one row"
        " (bench/apply_baseline.py)"
    )
    line, consistent = verify(plan["batch"], plan["classes"], results["applied_participants"])
    print(line)
    failures = results["apply"]["failures"] + results["baseline"]["failures"]
    sys.exit(0 if ratio >= TARGET_RATIO and consistent and not failures else 1)


if __name__ == "__main__":
    main()
