"""`sinergi credential verify|export|list` and their exit codes."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from tests.factories import EnrolmentFactory

from sinergi.credentials import services, signing
from sinergi.learning.models import Enrolment

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("credential", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def credential():
    enrolment = EnrolmentFactory(status=Enrolment.Status.COMPLETED, completed_at=timezone.now())
    return services.issue_credential(enrolment)


def test_export_prints_the_signed_json_and_verify_accepts_it(credential, tmp_path):
    code, out, _ = run("export", credential.number)
    assert code == 0
    path = tmp_path / "sertifikat.json"
    path.write_text(out)
    code, out, err = run("verify", str(path))
    assert code == 0, err
    assert out.startswith("SAH") and credential.number in out


def test_verify_with_the_published_key_file(credential, tmp_path):
    (tmp_path / "c.json").write_text(credential.document)
    (tmp_path / "issuer.json").write_text(json.dumps(services.issuer_profile(credential.issuer)))
    code, out, err = run("verify", str(tmp_path / "c.json"), "--key", str(tmp_path / "issuer.json"))
    assert code == 0, err
    (tmp_path / "other.txt").write_text(signing.generate_keypair().public_multibase)
    code, _, err = run("verify", str(tmp_path / "c.json"), "--key", str(tmp_path / "other.txt"))
    assert code == 1 and "dimodifikasi" in err


def test_tampered_and_revoked_exit_1_with_the_reason(credential, tmp_path):
    document = credential.signed
    document["credentialSubject"]["name"] = "Nama Palsu"
    (tmp_path / "t.json").write_text(json.dumps(document))
    code, _, err = run("verify", str(tmp_path / "t.json"))
    assert code == 1 and "TIDAK SAH" in err

    services.revoke(credential, user=None, reason="Diterbitkan karena kesalahan data")
    (tmp_path / "r.json").write_text(credential.document)
    code, _, err = run("verify", str(tmp_path / "r.json"))
    assert code == 1 and "DICABUT" in err and "kesalahan data" in err


def test_missing_file_exits_2(tmp_path):
    code, _, err = run("verify", str(tmp_path / "tidak-ada.json"))
    assert code == 2 and "tidak ditemukan" in err


def test_list_prints_numbers_one_per_line(credential):
    second = services.issue_credential(
        EnrolmentFactory(status=Enrolment.Status.COMPLETED, completed_at=timezone.now())
    )
    code, out, _ = run("list")
    assert code == 0 and set(out.split()) == {credential.number, second.number}
    code, out, _ = run("list", "--limit", "1")
    assert len(out.splitlines()) == 1
    assert run("list", "--limit", "0")[0] == 2
    assert run("export", "TIDAK/ADA")[0] == 1


@pytest.mark.parametrize(
    "content, message",
    [
        ("{bukan json", "harus berupa JSON"),
        ("[" * 100_000 + "]" * 100_000, "bertingkat terlalu dalam"),
        ('{"n": ' + "9" * 5000 + "}", "angka terlalu panjang"),
        (" " * (300 * 1024), "terlalu besar"),
    ],
    ids=["garbage", "nested", "5000-digits", "oversized"],
)
def test_unreadable_json_exits_2_with_the_reason(tmp_path, content, message):
    (tmp_path / "c.json").write_text(content)
    code, _, err = run("verify", str(tmp_path / "c.json"))
    assert code == 2 and message in err
