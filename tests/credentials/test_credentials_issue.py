"""Issuing, numbering, idempotency, bulk jobs, revocation and verification against the database."""

import copy
import json

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.factories import EnrolmentFactory, TrainingClassFactory

from sinergi.core.jobs import enqueue
from sinergi.core.models import Job
from sinergi.credentials import services, signing
from sinergi.credentials.models import Credential, Issuer
from sinergi.learning.models import CompetencyResult, CompetencyUnit, Enrolment

pytestmark = pytest.mark.django_db


def completed(training_class=None, **kwargs):
    extra = {"training_class": training_class} if training_class else {}
    return EnrolmentFactory(status=Enrolment.Status.COMPLETED, completed_at=timezone.now(), **extra, **kwargs)


def test_completion_certificate_is_signed_numbered_and_verifiable():
    enrolment = completed()
    credential = services.issue_credential(enrolment)
    year = timezone.localdate().year
    # the factory's provider is in Samarinda; the default pattern carries the issuer's number
    assert credential.number == f"SRT/{year}/SMD/{credential.issuer_id}/000001"
    document = credential.signed
    assert document["credentialSubject"]["name"] == enrolment.participant.full_name
    assert document["credentialSubject"]["achievement"]["name"] == enrolment.training_class.program.name
    assert services.check_number(credential.number, credential.check_code).status == services.VALID
    assert services.check_document(document).status == services.VALID


def test_issuing_twice_returns_the_same_credential():
    enrolment = completed()
    assert services.issue_credential(enrolment).pk == services.issue_credential(enrolment).pk
    assert Credential.objects.count() == 1


def test_not_completed_enrolment_is_refused_with_a_reason():
    enrolment = EnrolmentFactory(status=Enrolment.Status.ACTIVE)
    with pytest.raises(services.IssuingError, match="belum dinyatakan lulus"):
        services.issue_credential(enrolment)
    assert not Credential.objects.exists()


def test_numbers_follow_the_issuer_pattern_and_are_never_reused_after_revocation():
    first = completed()
    issuer = services.ensure_issuer(first.training_class.provider)
    services.configure_issuer(
        issuer,
        number_pattern="DTS/{year}/{region}/{seq:06d}",
        region_code="PLG",
        signer_name="A",
        signer_title="B",
    )
    one = services.issue_credential(first)
    services.revoke(one, user=None, reason="Data tidak benar")
    two = services.issue_credential(completed(training_class=first.training_class))
    year = timezone.localdate().year
    assert (one.number, two.number) == (f"DTS/{year}/PLG/000001", f"DTS/{year}/PLG/000002")
    assert one.status_index != two.status_index


def test_bad_number_pattern_is_rejected_in_indonesian():
    issuer = services.ensure_issuer(completed().training_class.provider)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="wajib memuat"):
        services.configure_issuer(
            issuer, number_pattern="DTS/{year}", region_code="X", signer_name="", signer_title=""
        )
    with pytest.raises(ValidationError, match="tidak dikenal"):
        services.configure_issuer(
            issuer, number_pattern="{seq}/{kota}", region_code="X", signer_name="", signer_title=""
        )


def test_private_key_is_encrypted_at_rest():
    issuer = services.ensure_issuer(completed().training_class.provider)
    private = services.private_key_of(issuer)
    assert len(private) == 32
    assert private.hex() not in issuer.private_key_encrypted
    assert (
        signing.public_key_multibase(
            __import__("cryptography.hazmat.primitives.asymmetric.ed25519", fromlist=["x"])
            .Ed25519PrivateKey.from_private_bytes(private)
            .public_key()
            .public_bytes_raw()
        )
        == issuer.public_key_multibase
    )


def test_bulk_job_issues_the_whole_class_with_progress_and_skips_the_rest(django_capture_on_commit_callbacks):
    training_class = TrainingClassFactory()
    for _ in range(5):
        completed(training_class=training_class)
    EnrolmentFactory(training_class=training_class, status=Enrolment.Status.NOT_COMPLETED)
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue("credentials.issue_class", class_id=training_class.pk, credential_kind="completion")
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.result["issued"] == 5
    assert len(job.result["skipped"]) == 1
    assert (job.progress, job.total) == (5, 5)
    again = services.issue_for_class(training_class)
    assert (again.issued, again.already) == (0, 5)
    numbers = list(Credential.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 5
    for credential in Credential.objects.select_related("enrolment__participant"):
        document = credential.signed
        assert document["credentialSubject"]["name"] == credential.enrolment.participant.full_name
        assert document["credentialSubject"]["achievement"]["humanCode"] == credential.number
        assert services.check_document(document).status == services.VALID


def test_revocation_is_audited_and_published_in_the_status_list():
    credential = services.issue_credential(completed())
    services.revoke(credential, user=None, reason="Sertifikat diterbitkan ganda")
    credential.refresh_from_db()
    assert credential.revoked_at and credential.revocation_reason == "Sertifikat diterbitkan ganda"
    status_list = services.status_list_document(credential.issuer)
    assert signing.status_bit(status_list["credentialSubject"]["encodedList"], credential.status_index)
    issuer_key = signing.public_key_from_multibase(credential.issuer.public_key_multibase)
    assert signing.verify_proof(status_list, issuer_key).ok
    result = services.check_document(credential.signed)
    assert result.status == services.REVOKED
    assert result.revocation_reason == "Sertifikat diterbitkan ganda"
    with pytest.raises(services.IssuingError, match="sudah dicabut"):
        services.revoke(credential, user=None, reason="lagi dan lagi")


def test_revocation_needs_a_reason():
    credential = services.issue_credential(completed())
    with pytest.raises(services.IssuingError, match="Alasan"):
        services.revoke(credential, user=None, reason="  ")


def test_tampered_unknown_and_expired():
    credential = services.issue_credential(completed())
    document = credential.signed
    document["credentialSubject"]["name"] = "Orang Lain"
    assert services.check_document(document).status == services.TAMPERED
    assert services.check_number("DTS/2026/XXX/999999", "ABCD-EFGH").status == services.UNKNOWN
    later = timezone.now() + timezone.timedelta(days=5000)
    assert (
        services.check_number(credential.number, credential.check_code, now=later).status == services.VALID
    )  # completion: no expiry


def competent(enrolment, units, outcome=CompetencyResult.Outcome.KOMPETEN, lsp=None):
    for unit in units:
        CompetencyResult.objects.create(
            enrolment=enrolment, unit=unit, outcome=outcome, assessed_at=timezone.now(), lsp=lsp
        )


def test_competency_certificate_lists_units_expires_after_three_years_and_is_issued_by_the_lsp():
    from tests.factories import OrganizationFactory

    enrolment = completed()
    program = enrolment.training_class.program
    units = [
        CompetencyUnit.objects.create(code="J.620100.004.02", title="Menggunakan Struktur Data"),
        CompetencyUnit.objects.create(code="J.620100.009.01", title="Melakukan Instalasi Software Tools"),
    ]
    for unit in units:
        unit.programs.add(program)
    lsp = OrganizationFactory(kind="lsp", name="LSP Informatika Uji")
    competent(enrolment, units[:1], lsp=lsp)
    competent(enrolment, units[1:], outcome=CompetencyResult.Outcome.BELUM_KOMPETEN, lsp=lsp)
    with pytest.raises(services.IssuingError, match="Kompeten"):
        services.issue_credential(enrolment, kind=Credential.Kind.COMPETENCY)
    CompetencyResult.objects.filter(unit=units[1]).update(outcome=CompetencyResult.Outcome.KOMPETEN)
    credential = services.issue_credential(enrolment, kind=Credential.Kind.COMPETENCY)
    assert credential.issuer.organization == lsp
    codes = [a["targetCode"] for a in credential.signed["credentialSubject"]["achievement"]["alignment"]]
    assert codes == ["J.620100.004.02", "J.620100.009.01"]
    assert (credential.valid_until - credential.issued_at).days == 3 * 365
    later = timezone.now() + timezone.timedelta(days=3 * 365 + 1)
    assert (
        services.check_number(credential.number, credential.check_code, now=later).status == services.EXPIRED
    )
    # a completion certificate for the same enrolment is a different kind: both may exist
    assert services.issue_credential(enrolment).kind == Credential.Kind.COMPLETION


def test_issuer_profile_publishes_the_multikey():
    credential = services.issue_credential(completed())
    profile = services.issuer_profile(credential.issuer)
    method = profile["verificationMethod"][0]
    assert method["type"] == "Multikey"
    assert method["publicKeyMultibase"] == credential.issuer.public_key_multibase
    assert credential.signed["proof"]["verificationMethod"] == method["id"]
    assert json.dumps(profile)
    assert Issuer.objects.count() == 1


def test_two_issuers_cannot_share_a_pattern_and_region_code():
    from django.core.exceptions import ValidationError

    first = services.ensure_issuer(completed().training_class.provider)
    second = services.ensure_issuer(completed().training_class.provider)
    pattern = "DTS/{year}/{region}/{seq:06d}"
    services.configure_issuer(
        first, number_pattern=pattern, region_code="PLG", signer_name="", signer_title=""
    )
    with pytest.raises(ValidationError, match="sudah dipakai"):
        services.configure_issuer(
            second, number_pattern=pattern, region_code="PLG", signer_name="", signer_title=""
        )
    services.configure_issuer(
        second, number_pattern=pattern, region_code="PLG2", signer_name="", signer_title=""
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


def test_verifying_any_json_in_any_place_of_a_credential_gives_a_verdict_not_an_error():
    """An uploaded credential may hold anything anywhere; verification answers, it never crashes."""
    document = services.issue_credential(completed()).signed
    paths = [
        (), ("@context",), ("proof",), ("proof", "verificationMethod"), ("proof", "proofValue"),
        ("credentialSubject",), ("credentialSubject", "achievement"), ("issuer",), ("validFrom",),
        ("credentialStatus",), ("credentialStatus", "statusListIndex"), ("type",),
    ]  # fmt: skip

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(path=st.sampled_from(paths), value=json_values)
    def check(path, value):
        changed = copy.deepcopy(document)
        if path:
            target = changed
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
        else:
            changed = value
        verdict = services.check_document(changed)
        assert verdict.status in {services.VALID, services.TAMPERED, services.UNKNOWN, services.INVALID}

    check()


def test_verification_by_number_checks_the_signature_once_and_revocation_every_time(monkeypatch):
    credential = services.issue_credential(completed())
    calls = []
    real = signing.verify_proof
    monkeypatch.setattr(signing, "verify_proof", lambda *a: calls.append(1) or real(*a))
    for _ in range(3):
        assert services.check_number(credential.number, credential.check_code).status == services.VALID
    assert len(calls) == 1
    services.revoke(credential, user=None, reason="Data kehadiran tidak benar")
    assert services.check_number(credential.number, credential.check_code).status == services.REVOKED


def test_a_stored_credential_altered_after_a_valid_verdict_is_reported_tampered():
    credential = services.issue_credential(completed())
    assert services.check_number(credential.number, credential.check_code).status == services.VALID
    document = credential.signed
    document["credentialSubject"]["name"] = "Nama Lain"
    Credential.objects.filter(pk=credential.pk).update(document=json.dumps(document))
    assert services.check_number(credential.number, credential.check_code).status == services.TAMPERED


@pytest.mark.parametrize(
    ("holder", "shown", "is_region"),
    [
        ("Kota Palembang", "Kota Palembang", True),  # a region is public: named whole
        ("Budi Santoso", None, False),  # a regional head or an ASN is a person: masked
    ],
)
def test_verify_names_an_awarded_region_whole_and_masks_a_person(holder, shown, is_region):
    from tests.factories import OrganizationFactory

    from sinergi.core import pii

    award = services.issue_award(
        organization=OrganizationFactory(kind="ministry", region=None),
        holder_name=holder,
        title="Daerah Smart Society",
        cycle_name="Anugerah Uji 2026",
        category="Pemerintah daerah" if is_region else "Kepala daerah",
        narrative="Peringkat pertama.",
        achievement_path="/penghargaan/1/",
    )
    result = services.check_number(award.number, award.check_code)
    assert result.status == services.VALID
    assert result.holder_is_region is is_region
    assert result.holder_masked == (shown or pii.mask_name(holder))
    assert (result.holder_masked == holder) is is_region


def test_a_certificate_holder_is_masked_even_when_named_like_a_region():
    credential = services.issue_credential(completed(participant__full_name="Kota Palembang"))
    result = services.check_number(credential.number, credential.check_code)
    assert not result.holder_is_region and result.holder_masked != "Kota Palembang"
