"""`sinergi rotate-keys`: NIK/KK numbers and issuers' signing keys re-encrypted under the new key,
readable throughout, findable by NIK (the keyed hash does not change), harmless to run twice, and
an interrupted run carries on where it stopped."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from tests.factories import ParticipantFactory, TrainingClassFactory, credential_in

from sinergi.core import pii, rotation
from sinergi.core.models import Job
from sinergi.credentials import services as credentials
from sinergi.credentials.models import Issuer
from sinergi.registration.models import Participant

pytestmark = pytest.mark.django_db
OLD, NEW, NEW_SIGNING = (Fernet.generate_key().decode() for _ in range(3))


@pytest.fixture
def world(settings):
    settings.PII_ENCRYPTION_KEY = OLD
    people = [ParticipantFactory() for _ in range(5)]
    for person in people[:2]:
        person.kk_encrypted = pii.encrypt("1671010101010001")
        person.save()
    credential = credential_in(TrainingClassFactory())  # its issuer's key: under the derived key
    niks = {p.pk: p.nik for p in Participant.objects.all()}
    # The operator's step before the command: the new key first, the old ones still listed.
    settings.PII_ENCRYPTION_KEY = f"{NEW},{OLD}"
    settings.CREDENTIALS_KEY_ENCRYPTION_KEY = f"{NEW_SIGNING},derived"
    return niks, credential


def under_new_key_only() -> bool:
    new = Fernet(NEW.encode())
    rows = Participant.objects.all()
    return all(
        new.decrypt(p.nik_encrypted.encode()) and (not p.kk_encrypted or new.decrypt(p.kk_encrypted.encode()))
        for p in rows
    )


def assert_everything_readable(niks, credential, settings):
    settings.PII_ENCRYPTION_KEY = NEW  # the old key dropped: nothing needs it any more
    settings.CREDENTIALS_KEY_ENCRYPTION_KEY = NEW_SIGNING
    for pk, nik in niks.items():
        assert Participant.objects.get(nik_hash=pii.keyed_hash(nik)).pk == pk  # search by NIK
        assert Participant.objects.get(pk=pk).nik == nik
    assert (
        pii.decrypt(Participant.objects.exclude(kk_encrypted="").first().kk_encrypted) == "1671010101010001"
    )
    issuer = Issuer.objects.get()
    assert Fernet(NEW_SIGNING.encode()).decrypt(issuer.private_key_encrypted.encode())
    assert credentials.private_key_of(issuer)
    assert credentials.check_number(credential.number, credential.check_code).status == credentials.VALID
    again = credential_in(TrainingClassFactory(provider=credential.issuer.organization))  # signs with it
    assert credentials.check_number(again.number, again.check_code).status == credentials.VALID


def test_rotation_re_encrypts_under_the_new_key_and_search_by_nik_keeps_working(world, settings):
    niks, credential = world
    hashes = dict(Participant.objects.values_list("pk", "nik_hash"))
    out = StringIO()
    call_command("rotate-keys", "--batch", "2", stdout=out)
    assert "peserta (NIK, KK): 6 baris dienkripsi ulang" in out.getvalue()
    assert "penerbit (kunci tanda tangan): 1 baris" in out.getvalue()
    assert under_new_key_only()
    assert dict(Participant.objects.values_list("pk", "nik_hash")) == hashes
    assert_everything_readable(niks, credential, settings)


def test_rotating_twice_is_harmless(world, settings):
    niks, credential = world
    call_command("rotate-keys", stdout=StringIO())
    call_command("rotate-keys", stdout=StringIO())
    assert under_new_key_only()
    assert Job.objects.filter(kind=rotation.JOB_KIND, status=Job.Status.DONE).count() == 2
    assert_everything_readable(niks, credential, settings)


def test_an_interrupted_run_resumes_after_the_last_batch_done(world, settings):
    niks, credential = world
    first_batch = []

    def killed(name, last):
        if name.startswith("peserta"):
            first_batch.append(last)
            raise KeyboardInterrupt  # the operator's Ctrl-C, or the process killed, after one batch

    with pytest.raises(KeyboardInterrupt):
        rotation.rotate(batch=2, after_batch=killed)
    job = Job.objects.get(kind=rotation.JOB_KIND)
    assert job.status == Job.Status.RUNNING
    assert job.params["cursor"]["peserta (NIK, KK)"] == first_batch[0]
    new = Fernet(NEW.encode())
    done = Participant.objects.filter(pk__lte=first_batch[0])
    assert all(new.decrypt(p.nik_encrypted.encode()) for p in done)
    # Meanwhile the site reads every row, rotated or not (the old key is still listed).
    assert all(Participant.objects.get(pk=pk).nik == nik for pk, nik in niks.items())

    out = StringIO()
    call_command("rotate-keys", "--batch", "2", stdout=out)
    assert f"4 baris dienkripsi ulang (dilanjutkan setelah id {first_batch[0]})" in out.getvalue()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and Job.objects.filter(kind=rotation.JOB_KIND).count() == 1
    assert under_new_key_only()
    assert_everything_readable(niks, credential, settings)


def test_a_run_towards_another_key_does_not_resume_an_old_one(world, settings):
    with pytest.raises(KeyboardInterrupt):
        rotation.rotate(batch=2, after_batch=lambda name, last: (_ for _ in ()).throw(KeyboardInterrupt))
    settings.PII_ENCRYPTION_KEY = f"{Fernet.generate_key().decode()},{NEW},{OLD}"
    _job, report = rotation.rotate(batch=2)
    assert [(p.resumed_after, p.rows) for p in report] == [(0, 1), (0, 6)]
