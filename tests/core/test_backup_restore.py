"""Backup and restore as docs/deployment.md tells it: pg_dump -Fc, pg_restore into a fresh database.
Every table comes back with every row, and a certificate issued before the backup still verifies
against the restored database (its issuer's keys came back with it)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import psycopg
import pytest
from django.db import connection
from django.utils import timezone
from tests.factories import EnrolmentFactory
from tests.services import database_url, service_env

from sinergi.credentials import services
from sinergi.learning.models import Enrolment

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

CHECK = """
import json, django
django.setup()
from sinergi.credentials import services
from sinergi.credentials.models import Credential
from sinergi.registration.models import Participant
credential = Credential.objects.get(number=NUMBER)
print(json.dumps({
    "document": services.check_document(credential.signed).status,
    "number": services.check_number(credential.number, credential.check_code).status,
    "nik": Participant.objects.get(pk=PARTICIPANT).nik,
}))
"""


def _row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def test_a_dump_restored_into_a_fresh_database_has_every_record_and_credentials_still_verify(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass of `make test`")
    if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        pytest.skip("pg_dump/pg_restore are not installed")
    enrolment = EnrolmentFactory(status=Enrolment.Status.COMPLETED, completed_at=timezone.now())
    credential = services.issue_credential(enrolment)
    source = database_url(connection.settings_dict)
    restored_name = f"{connection.settings_dict['NAME']}_restored"
    restored = source.rsplit("/", 1)[0] + f"/{restored_name}"
    admin = source.rsplit("/", 1)[0] + "/postgres"
    dump = tmp_path / "sinergi.dump"

    # The commands of docs/deployment.md, "Backups".
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source], check=True)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{restored_name}"')
        conn.execute(f'CREATE DATABASE "{restored_name}"')
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "--jobs=2", f"--dbname={restored}", str(dump)],
            check=True,
        )
        assert _row_counts(restored) == _row_counts(source)
        script = CHECK.replace("NUMBER", repr(credential.number)).replace(
            "PARTICIPANT", str(enrolment.participant_id)
        )
        out = subprocess.run(
            [sys.executable, "-c", script],
            env=service_env(DATABASE_URL=restored),
            capture_output=True,
            text=True,
            check=True,
        )
        checks = json.loads(out.stdout.strip().splitlines()[-1])
        assert checks == {
            "document": services.VALID,
            "number": services.VALID,
            "nik": enrolment.participant.nik,  # decrypted with the same key: the NIK is readable again
        }
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')
