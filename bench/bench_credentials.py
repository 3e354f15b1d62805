"""Benchmark of certificate issuing and public verification (issue 7).

    .venv/bin/python bench/bench_credentials.py            # 10,000 credentials, 8 s of load per URL
    .venv/bin/python bench/bench_credentials.py --quick    # 2,000 credentials, 3 s of load per URL

1. Bulk issuing: 10,000 completed enrolments of one class certified by `issue_for_class()` — the code the
   background job runs: numbers and status-list bits allocated under a row lock, each OpenBadgeCredential
   built, canonicalised (RDFC-1.0) and signed (eddsa-rdfc-2022), then stored with bulk INSERTs in chunks
   of 500. Baseline: 10,000 bare Ed25519 signatures of 64 bytes (what the proofs cost without JSON-LD and
   storage). Target: ≤ 20 s.
2. Verification throughput: gunicorn (2 sync workers) on 127.0.0.1 serving the QR links
   `/verify/<number>?kode=<check code>` (database lookup, signature check over the canonical form,
   status list, HTML page), loaded by a second process with 16 threads, one connection per request.
   Baseline: a static file (whitenoise) from the same gunicorn. The per-address rate limit is switched
   off for the measurement (all load comes from one address); DEBUG is off. Each of the 200 sampled links
   is first visited once (the cold path: full RDFC-1.0 check, whose result the cache keeps; latency
   printed), then the load runs. With --cache-url the cache is Redis, shared by both workers as in
   production; without it each worker has its own memory cache. /healthz, the smallest Django view, is
   measured too: the floor that any page rendered by Django stands on.

Database: PostgreSQL `bench_credentials` (dropped and recreated each run) unless --database-url says
otherwise; falls back to a throwaway SQLite file when PostgreSQL is not reachable. Wall-clock timings on
a shared machine: expect run-to-run variation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

PG_URL = "postgres://postgres@127.0.0.1:5432/bench_credentials"
TARGET_SECONDS = 20.0
SETTINGS_MODULE = "bench_credentials_settings"


# --- load generator (runs as its own process) -----------------------------------------------------


def load(host: str, port: int, paths: list[str], seconds: float, threads: int) -> dict:
    stop = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        local: list[float] = []
        bad = 0
        while time.perf_counter() < stop:
            start = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(host, port, timeout=30)
                conn.request("GET", rng.choice(paths))
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status != 200:
                    bad += 1
            except OSError:
                bad += 1
            local.append(time.perf_counter() - start)
        with lock:
            latencies.extend(local)
            errors[0] += bad

    began = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * latencies[len(latencies) // 2] if latencies else 0,
        "p95_ms": 1000 * latencies[int(len(latencies) * 0.95)] if latencies else 0,
    }


# --- database --------------------------------------------------------------------------------------


def prepare_database(url: str | None) -> str:
    if url is None:
        try:
            import psycopg

            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS bench_credentials WITH (FORCE)")
                conn.execute("CREATE DATABASE bench_credentials")
            return PG_URL
        except Exception as exc:  # no PostgreSQL here: the embedded default still gives figures
            print(f"(PostgreSQL tidak tersedia: {exc.__class__.__name__}; memakai SQLite sementara)")
            path = Path(tempfile.gettempdir()) / "bench_credentials.sqlite3"
            path.unlink(missing_ok=True)
            return f"sqlite:///{path}"
    return url


def setup_django(url: str, settings_dir: Path, cache_url: str | None) -> None:
    cache = (
        f"CACHES = {{'default': {{'BACKEND': 'django.core.cache.backends.redis.RedisCache', "
        f"'LOCATION': {cache_url!r}}}}}\n"
        if cache_url
        else ""
    )  # shared by both workers, as in production; without it each worker has its own memory cache
    (settings_dir / f"{SETTINGS_MODULE}.py").write_text(
        "from sinergi.settings import *  # noqa: F403\n"
        "RATELIMIT_ENABLE = False  # all load comes from one address; see the module docstring\n" + cache
    )
    sys.path.insert(0, str(settings_dir))
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        SITE_URL="http://127.0.0.1:8000",
        MEDIA_ROOT=str(settings_dir / "media"),
        JOBS_SYNCHRONOUS="true",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def make_class(n: int):
    from django.utils import timezone

    from sinergi.accounts.models import Organization
    from sinergi.learning.models import Enrolment
    from sinergi.programs.models import Academy, Batch, Program, TrainingClass
    from sinergi.regions.models import Region
    from sinergi.registration.models import Participant

    palembang = Region.objects.get(code="16.71")
    provider = Organization.objects.create(
        name="Dinas Komunikasi dan Informatika Kota Palembang (uji beban)", kind="opd", region=palembang
    )
    academy, _ = Academy.objects.get_or_create(
        code="GTA", defaults={"name": "Government Transformation Academy"}
    )
    now = timezone.now()
    batch = Batch.objects.create(
        name="Gelombang uji beban", region=palembang, organizer=provider,
        registration_opens=now - timezone.timedelta(days=14), registration_closes=now,
        status=Batch.Status.ALLOCATED,
    )  # fmt: skip
    program = Program.objects.create(
        batch=batch, academy=academy, name="Analisis Data untuk ASN", level="dasar", region=palembang
    )
    today = timezone.localdate()
    tclass = TrainingClass.objects.create(
        program=program, code="BENCH-01", name="Kelas uji beban", provider=provider, region=palembang,
        starts_on=today - dt.timedelta(days=40), ends_on=today - dt.timedelta(days=2), hours=40, capacity=n,
    )  # fmt: skip
    rng = random.Random(7)
    first = ["Siti", "Budi", "Ahmad", "Dewi", "Rina", "Agus", "Putri", "Yusuf", "Nur", "Hendra"]
    last = ["Rahmawati", "Santoso", "Saputra", "Lestari", "Hidayat", "Wijaya", "Pratama", "Kurniawan"]
    people = []
    for i in range(n):
        person = Participant(
            full_name=f"{rng.choice(first)} {rng.choice(last)} {i}",
            birth_date=dt.date(1995, 1, 1) + dt.timedelta(i % 3000),
            sex="P" if i % 2 else "L", domicile=palembang, category="asn",
        )  # fmt: skip
        person.set_nik(f"167101{i:010d}")
        people.append(person)
    Participant.objects.bulk_create(people, batch_size=1000)
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                participant=p, training_class=tclass, status=Enrolment.Status.COMPLETED, completed_at=now
            )
            for p in Participant.objects.filter(domicile=palembang).order_by("pk")
        ],
        batch_size=1000,
    )
    return tclass


def signing_only(n: int) -> float:
    """The pure engine on the same credentials: build, canonicalise, sign; no database."""
    from sinergi.credentials import signing

    keys = signing.generate_keypair()
    signer = signing.Signer(
        keys.private_raw, "https://sinergi.example/credentials/issuers/1/#key-1", "2026-12-20T00:00:00Z"
    )
    site = "https://sinergi.example"
    base = {
        "kind": "completion",
        "issuer_id": f"{site}/credentials/issuers/1/",
        "issuer_name": "Diskominfo",
        "issuer_url": site,
        "achievement_id": f"{site}/credentials/achievements/1/completion",
        "programme": "Analisis Data untuk ASN",
        "level": "Dasar",
        "hours": 40,
        "academy": "Government Transformation Academy",
        "narrative": "Menyelesaikan pelatihan.",
        "valid_from": "2026-12-20T00:00:00Z",
        "status_list_url": f"{site}/credentials/status/1/",
    }
    start = time.perf_counter()
    for i in range(n):
        data = signing.CredentialData(
            credential_id=f"urn:uuid:00000000-0000-4000-8000-{i:012d}", number=f"DTS/2026/PLG/{i:06d}",
            holder_name=f"Peserta {i}", holder_salt=signing.new_salt(), status_index=i, **base,
        )  # fmt: skip
        json.dumps(signer.sign(signing.build_credential(data)))
    return time.perf_counter() - start


def bare_signatures(n: int) -> float:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    messages = [os.urandom(64) for _ in range(n)]
    start = time.perf_counter()
    for message in messages:
        key.sign(message)
    return time.perf_counter() - start


# --- gunicorn --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(settings_dir: Path, port: int) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(settings_dir), str(ROOT / "src")]))
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "sinergi.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", "2", "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn tidak siap dalam 60 detik")


def first_visits(port: int, paths: list[str]) -> dict:
    """Each QR link once, one after the other: the cold path (full canonicalisation, then cached)."""
    latencies = []
    for path in paths:
        start = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        conn.close()
        assert response.status == 200, (path, response.status)
        latencies.append(time.perf_counter() - start)
    latencies.sort()
    return {
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p95_ms": 1000 * latencies[int(len(latencies) * 0.95)],
    }


def run_load(port: int, paths: list[str], seconds: float, threads: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--load", str(port), str(seconds), str(threads)],
        input=json.dumps(paths), capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="2,000 credentials and 3 s of load per URL")
    parser.add_argument("-n", type=int, default=None, help="number of credentials (default 10,000)")
    parser.add_argument("--database-url", default=None, help=f"default {PG_URL} (recreated)")
    parser.add_argument("--seconds", type=float, default=None, help="load duration per URL")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument(
        "--cache-url", default=None, help="Redis for the shared cache, e.g. redis://127.0.0.1:6379/1"
    )
    parser.add_argument("--load", nargs=3, metavar=("PORT", "SECONDS", "THREADS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        paths = json.loads(sys.stdin.read())
        print(json.dumps(load("127.0.0.1", int(args.load[0]), paths, float(args.load[1]), int(args.load[2]))))
        return 0

    n = args.n or (2_000 if args.quick else 10_000)
    seconds = args.seconds or (3.0 if args.quick else 8.0)
    settings_dir = Path(tempfile.mkdtemp(prefix="bench-credentials-"))
    url = prepare_database(args.database_url)
    print(f"Basis data: {url.split('@')[-1]}")
    setup_django(url, settings_dir, args.cache_url)
    from sinergi.credentials import services
    from sinergi.credentials.models import Credential

    tclass = make_class(n)
    baseline = bare_signatures(n)
    engine = signing_only(n)
    start = time.perf_counter()
    result = services.issue_for_class(tclass)
    issuing = time.perf_counter() - start
    assert result.issued == n == Credential.objects.count(), result
    print()
    print(f"Penerbitan massal {n:,} sertifikat (tanda tangan + simpan): {issuing:7.2f} s "
          f"({1000 * issuing / n:.2f} ms/sertifikat)")  # fmt: skip
    print(f"  di antaranya mesin tanda tangan saja (tanpa basis data): {engine:7.2f} s")
    print(f"Baseline: {n:,} tanda tangan Ed25519 polos:               {baseline:7.3f} s")
    print(f"Rasio penerbitan / tanda tangan polos:                  {issuing / baseline:7.0f}×")
    scaled = issuing * 10_000 / n
    ok = scaled <= TARGET_SECONDS
    print(
        f"Target 10.000 ≤ {TARGET_SECONDS:.0f} s: {'TERCAPAI' if ok else 'TIDAK TERCAPAI'} "
        f"({scaled:.1f} s untuk 10.000)"
    )

    sample = list(Credential.objects.order_by("?")[:200])
    services.revoke(sample[0], user=None, reason="Uji beban: pencabutan contoh")
    verify_paths = [services.verify_path(credential) for credential in sample]  # what the QR codes hold
    port = free_port()
    from django.db import connections

    connections.close_all()
    server = serve(settings_dir, port)
    try:
        first = first_visits(port, verify_paths)
        verify = run_load(port, verify_paths, seconds, args.threads)
        static = run_load(port, ["/static/sinergi/logo.svg"], seconds, args.threads)
        floor = run_load(port, ["/healthz"], seconds, args.threads)  # the least a Django view costs here
    finally:
        server.terminate()
        server.wait(timeout=30)
    print()
    print(f"Gunicorn 2 worker, {args.threads} thread beban dari proses lain, {seconds:.0f} s per URL:")
    rows = (("/verify/<nomor>", verify), ("berkas statis (baseline)", static), ("/healthz (Django)", floor))
    for label, figures in rows:
        print(f"  {label:<26} {figures['rps']:8.1f} permintaan/s  p50 {figures['p50_ms']:6.1f} ms  "
              f"p95 {figures['p95_ms']:6.1f} ms  galat {figures['errors']}")  # fmt: skip
    print(f"  Kunjungan pertama tiap nomor (RDFC-1.0 penuh, berurutan): p50 {first['p50_ms']:.1f} ms, "
          f"p95 {first['p95_ms']:.1f} ms; sesudahnya hasil tanda tangan dari cache")  # fmt: skip
    print(f"  Rasio verifikasi / statis: {verify['rps'] / static['rps']:.3f} "
          f"(statis {static['rps'] / max(verify['rps'], 1e-9):.1f}× lebih cepat)")  # fmt: skip
    print(f"  Rasio verifikasi / /healthz: {verify['rps'] / floor['rps']:.3f}")
    return 0 if ok and verify["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
