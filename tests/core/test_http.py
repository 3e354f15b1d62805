"""The client address behind trusted proxies (rate limits, lockouts, API), the 429 page, and the
no-store header on every page that holds personal data."""

import datetime as dt
import io

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from tests.factories import (
    IMPORT_HEADER,
    PASSWORD,
    ParticipantFactory,
    ProgramFactory,
    TrainingClassFactory,
    UserFactory,
    apply_to,
    import_row,
    regional_admin,
)

from sinergi.accounts.models import User
from sinergi.core.http import client_address
from sinergi.core.models import Job
from sinergi.selection import services as selection

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


def address(forwarded=None, remote="10.0.0.2"):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_client_address_takes_the_entry_written_by_the_outermost_trusted_proxy(settings):
    settings.SINERGI_TRUSTED_PROXIES = 0
    assert address("203.0.113.5") == "10.0.0.2"  # no proxy is trusted: the header is anyone's
    settings.SINERGI_TRUSTED_PROXIES = 1
    assert address("203.0.113.5") == "203.0.113.5"
    assert address("6.6.6.6, 203.0.113.5") == "203.0.113.5"  # the forged left part is ignored
    assert address("") == "10.0.0.2"  # reached the app without passing the proxy
    assert address("bukan-alamat") == "10.0.0.2"
    settings.SINERGI_TRUSTED_PROXIES = 2
    assert address("6.6.6.6, 203.0.113.5, 10.0.0.1") == "203.0.113.5"
    assert address("2001:db8::7, 10.0.0.1") == "2001:db8::7"
    assert address("10.0.0.1") == "10.0.0.2"


def sign_up(client, email, forwarded):
    return client.post(
        reverse("registration:signup"),
        {"full_name": "Orang Uji", "email": email, "password1": PASSWORD, "password2": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_rate_limits_count_the_client_behind_the_proxy_and_forged_entries_do_not_escape(client, settings):
    settings.SINERGI_TRUSTED_PROXIES = 1
    for i in range(10):
        assert sign_up(client, f"orang{i}@contoh.id", f"6.6.6.{i}, 203.0.113.5").status_code == 302
    blocked = sign_up(client, "lagi@contoh.id", "6.6.6.99, 203.0.113.5")
    assert blocked.status_code == 429 and "Terlalu banyak permintaan" in blocked.content.decode()
    # Someone else behind the same proxy has a bucket of their own.
    assert sign_up(Client(), "tetangga@contoh.id", "198.51.100.1").status_code == 302


def test_audit_trail_records_the_client_behind_the_proxy_not_a_forged_entry(client, settings):
    settings.SINERGI_TRUSTED_PROXIES = 1
    sign_up(client, "baru@contoh.id", "6.6.6.6, 203.0.113.5")
    entry = LogEntry.objects.get_for_object(User.objects.get(email="baru@contoh.id")).get()
    assert entry.remote_addr == "203.0.113.5"


def test_without_a_trusted_proxy_the_forwarded_header_changes_nothing(client, settings):
    settings.SINERGI_TRUSTED_PROXIES = 0
    for i in range(10):
        sign_up(client, f"orang{i}@contoh.id", f"198.51.100.{i}")
    assert sign_up(client, "lagi@contoh.id", "198.51.100.200").status_code == 429


def test_login_lockout_counts_the_client_behind_the_proxy(settings):
    """Behind a proxy a lockout of one address must not lock the account for everybody else."""
    settings.SINERGI_TRUSTED_PROXIES = 1
    UserFactory(username="budi")

    def log_in(forwarded, password):
        return Client().post(
            "/akun/masuk/",
            {"username": "budi", "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for i in range(settings.AXES_FAILURE_LIMIT):
        log_in(f"6.6.{i}.6, 203.0.113.9", "tebakan-salah")
    assert log_in("6.6.6.250, 203.0.113.9", PASSWORD).status_code == 429  # forging does not unlock
    assert log_in("198.51.100.20", PASSWORD).status_code == 302  # the owner, elsewhere, still signs in


def test_api_limits_signed_in_accounts_by_account(settings):
    settings.SINERGI_API_ANONYMOUS_RATE = "2/m"
    settings.SINERGI_API_ACCOUNT_RATE = "3/m"
    url = "/api/v1/agreements/"
    anonymous = Client()
    assert [anonymous.get(url).status_code for _ in range(3)] == [200, 200, 429]
    officer = regional_admin("16.71")
    for remote in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):  # moving address does not reset the count
        signed_in = Client(REMOTE_ADDR=remote)
        signed_in.force_login(officer)
        assert signed_in.get(url).status_code == 200
    signed_in = Client(REMOTE_ADDR="192.0.2.4")
    signed_in.force_login(officer)
    limited = signed_in.get(url)
    assert limited.status_code == 429 and limited.json()["detail"].startswith("Terlalu banyak permintaan")
    colleague = Client(REMOTE_ADDR="192.0.2.4")
    colleague.force_login(regional_admin("16.71"))
    assert colleague.get(url).status_code == 200


# --- Cache-Control: no-store on personal data -----------------------------------------------------


def assert_not_stored(response, status=200):
    assert response.status_code == status, response.content[:300]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_participant_pages_are_not_stored(client):
    participant = ParticipantFactory(user=UserFactory())
    client.force_login(participant.user)
    for name in ("registration:profile", "registration:my_data", "registration:my_applications"):
        assert_not_stored(client.get(reverse(name)))
    assert_not_stored(client.get(reverse("registration:my_data") + "?format=json"))
    assert_not_stored(client.get(reverse("selection:my_results")))


def test_import_report_pages_are_not_stored(client, django_capture_on_commit_callbacks):
    workbook = openpyxl.Workbook()
    workbook.active.append(IMPORT_HEADER)
    workbook.active.append([import_row(1)[c] for c in IMPORT_HEADER])
    out = io.BytesIO()
    workbook.save(out)
    client.force_login(regional_admin("16.71"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/impor/peserta/", {"file": SimpleUploadedFile("peserta.xlsx", out.getvalue())})
    job = Job.objects.get(kind="registration.import")
    assert_not_stored(client.get(reverse("registration:import_detail", args=[job.pk])))
    assert_not_stored(client.get(reverse("registration:import_report", args=[job.pk])))


def test_allocation_downloads_are_not_stored(client):
    admin = regional_admin("16.71")
    program = ProgramFactory(batch__registration_closes=timezone.now() - dt.timedelta(hours=1))
    apply_to(ParticipantFactory(user=UserFactory()), [TrainingClassFactory(program=program, capacity=1)])
    run = selection.compute(admin, selection.draw_seed(admin, selection.create_run(admin, program.batch)))
    selection.publish(admin, run)
    client.force_login(admin)
    assert_not_stored(client.get(reverse("selection:run_input_download", args=[run.pk])))
    assert_not_stored(client.get(reverse("selection:run_result_download", args=[run.pk])))
