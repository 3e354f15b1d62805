import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.test import override_settings
from tests.factories import OrganizationFactory, UserFactory, national_admin, region

from sinergi.accounts.models import Organization
from sinergi.core import jobs
from sinergi.core.models import Job

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_jobs(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert data["database"]["ok"] is True
    assert data["jobs"] == {"mode": "in-process", "ok": True, "pending": 0}


def test_every_change_to_an_organisation_is_audited_with_actor(client):
    admin = national_admin()
    client.force_login(admin)
    from auditlog.context import set_actor

    with set_actor(admin):
        org = OrganizationFactory(name="Diskominfo Samarinda", kind="opd")
        org.name = "Dinas Kominfo Samarinda"
        org.save()
    entries = LogEntry.objects.get_for_object(org).order_by("timestamp")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert entries[1].actor == admin
    assert entries[1].changes_dict["name"] == ["Diskominfo Samarinda", "Dinas Kominfo Samarinda"]
    html = client.get("/audit/", {"model": "organization"}).content.decode()
    assert "Dinas Kominfo Samarinda" in html


def test_in_process_job_records_progress_and_result(django_capture_on_commit_callbacks):
    @jobs.job_handler("uji.hitung")
    def count(job, upto):
        for i in range(upto):
            jobs.report_progress(job, i + 1, upto)
        return {"sum": sum(range(upto))}

    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue("uji.hitung", upto=5)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result == {"sum": 10} and job.percent == 100


def test_failed_job_tells_why():
    @jobs.job_handler("uji.gagal")
    def fail(job):
        raise ValueError("berkas rusak")

    job = jobs.run_job_now(Job.objects.create(kind="uji.gagal").pk)
    assert job.status == Job.Status.FAILED and "berkas rusak" in job.message


def test_job_page_is_private_to_its_owner(client):
    owner, other = UserFactory(), UserFactory()
    job = Job.objects.create(kind="uji", created_by=owner)
    client.force_login(other)
    assert client.get(f"/pekerjaan/{job.pk}/").status_code == 404
    client.force_login(owner)
    assert client.get(f"/pekerjaan/{job.pk}/").status_code == 200


def _settings_in_subprocess(env_extra, shown="settings.SESSION_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS"):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "SINERGI_ENV")}
    env.update(env_extra)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='sinergi.settings'; "
            f"from django.conf import settings; print({shown})",
        ],
        env=env,
        capture_output=True,
        text=True,
    )


def test_production_refuses_the_default_secret_key():
    result = _settings_in_subprocess({"SINERGI_ENV": "production"})
    assert result.returncode != 0
    assert "SECRET_KEY wajib diisi" in result.stderr


def test_production_with_a_real_key_uses_secure_cookies_and_hsts():
    result = _settings_in_subprocess({"SINERGI_ENV": "production", "SECRET_KEY": "x" * 50})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "31536000"]


def test_debug_is_off_unless_asked_for():
    assert _settings_in_subprocess({}, "settings.DEBUG").stdout.split() == ["False"]
    assert _settings_in_subprocess({"DEBUG": "1"}, "settings.DEBUG").stdout.split() == ["True"]
    # Plain HTTP keeps working on a development machine with DEBUG off (no forced HTTPS or secure cookies).
    development = _settings_in_subprocess({}, "settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE")
    assert development.stdout.split() == ["False", "False"]


def test_demo_asks_for_debug_explicitly():
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    demo = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "DEBUG=1 $(BIN)/sinergi runserver" in demo


@pytest.mark.skipif(shutil.which("make") is None, reason="make tidak terpasang")
def test_demo_sets_the_public_address_to_the_one_it_serves():
    root = Path(__file__).resolve().parents[2]
    dry = subprocess.run(
        ["make", "-n", "demo", "HOST=0.0.0.0:8135"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    lines = [line for line in dry.splitlines() if "sinergi seed_demo" in line or "sinergi runserver" in line]
    assert len(lines) == 2 and all("SITE_URL=http://0.0.0.0:8135 " in line for line in lines), dry
    behind_a_name = subprocess.run(
        ["make", "-n", "demo", "HOST=0.0.0.0:8135", "DEMO_SITE_URL=http://laptop.local:8135"],
        cwd=root, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "SITE_URL=http://laptop.local:8135 " in behind_a_name


def test_without_debug_static_files_are_served_by_the_app(client):
    response = client.get("/static/sinergi/sinergi.css")
    assert response.status_code == 200 and b"".join(response.streaming_content)


def test_server_error_page_renders_without_a_request_context():
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Terjadi kesalahan pada server" in html and "/static/" in html


def test_security_headers_are_sent(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_indonesian_by_default_with_an_english_switch(client):
    assert "Kerja sama daerah yang terukur hasilnya" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert 'lang="en"' in html
    assert "Regional cooperation with measurable results" in html


def test_pages_load_assets_only_from_the_app(client):
    html = client.get("/").content.decode()
    assert "https://" not in html.replace("https://www.w3.org", "")
    assert "/static/django_htmx/htmx-2.min.js" in html or "htmx" in html


def test_admin_is_available_in_indonesian(client):
    client.force_login(national_admin(is_staff=True, is_superuser=True))
    html = client.get("/admin/").content.decode()
    assert "Administrasi Sinergi" in html and "Organisasi" in html


def test_seed_demo_builds_the_seed_organisations_and_one_user_per_role():
    from django.core.management import call_command

    call_command("seed_demo", "--quiet-accounts")
    out = io.StringIO()
    with override_settings(SITE_URL="http://127.0.0.1:8135"):
        call_command("seed_demo", stdout=out)  # idempotent
    assert "Buka http://127.0.0.1:8135/ lalu masuk" in out.getvalue()
    kotim = Organization.objects.get(short_name="Diskominfo Kotim")
    assert kotim.parent.short_name == "Pemkab Kotim" and kotim.region == region("62.02")
    from sinergi.accounts.models import User

    assert set(User.objects.values_list("role", flat=True)) == {
        "national_admin",
        "regional_admin",
        "provider_staff",
        "assessor",
        "participant",
    }


def test_browser_language_does_not_override_the_indonesian_default(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="id"' in html and "Kerja sama daerah yang terukur hasilnya" in html


def test_audit_trail_shows_old_and_new_values(client):
    from auditlog.context import set_actor

    admin = national_admin()
    with set_actor(admin):
        org = OrganizationFactory(name="BLK Lama", kind="provider")
        org.name = "BLK Baru"
        org.save()
    client.force_login(admin)
    html = client.get("/audit/", {"model": "organization"}).content.decode()
    assert "BLK Lama → BLK Baru" in html
