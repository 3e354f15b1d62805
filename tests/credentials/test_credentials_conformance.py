"""Credentials checked the way an outside verifier checks them, with a verifier written here from the
specification (W3C Data Integrity EdDSA Cryptosuites, `eddsa-rdfc-2022`) and never through Sinergi's own
signing module:

    proofConfig = the proof without proofValue, with the credential's @context
    hashData    = SHA-256(RDFC-1.0 N-Quads of proofConfig) ‖ SHA-256(RDFC-1.0 N-Quads of the credential)
    proofValue  = "z" + base58btc(Ed25519 signature of hashData), verified with the issuer's Multikey

RDFC-1.0 is pyld's full URDNA2015 with the JSON-LD contexts Sinergi ships (read here from the files).
The repeated-value shapes (a `tag` list with the same value twice, an achievement `creator` equal to the
issuer) are the ones a template shortcut once signed wrongly."""

import copy
import hashlib
import json
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from django.utils import timezone
from pyld import jsonld
from tests.factories import (
    AcademyFactory,
    EnrolmentFactory,
    ParticipantFactory,
    TrainingClassFactory,
    UserFactory,
)

# Sinergi's modules only issue the credentials (and accept third-party ones); spec_verifies uses neither.
from sinergi.credentials import services, signing
from sinergi.learning.models import Enrolment

CONTEXT_DIR = Path(__file__).resolve().parents[2] / "src" / "sinergi" / "credentials" / "data"
CONTEXT_FILES = {
    "https://www.w3.org/ns/credentials/v2": CONTEXT_DIR / "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": CONTEXT_DIR / "ob-v3p0-context-3.0.3.json",
}
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def load_context(url, options):
    if url not in CONTEXT_FILES:
        raise jsonld.JsonLdError("context not shipped", "jsonld.LoadDocumentError", {"url": url})
    document = json.loads(CONTEXT_FILES[url].read_text(encoding="utf-8"))
    return {"contextUrl": None, "documentUrl": url, "document": document}


def rdfc(document):
    return jsonld.normalize(
        document, {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": load_context}
    )


def base58btc_decode(text):
    number = 0
    for char in text:
        number = number * 58 + BASE58.index(char)
    leading_zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * leading_zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")


def base58btc_encode(data):
    number, out = int.from_bytes(data, "big"), ""
    while number:
        number, digit = divmod(number, 58)
        out = BASE58[digit] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def hash_data(credential):
    proof = credential["proof"]
    config = {"@context": credential["@context"], **{k: v for k, v in proof.items() if k != "proofValue"}}
    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    return hashlib.sha256(rdfc(config).encode()).digest() + hashlib.sha256(rdfc(unsigned).encode()).digest()


def spec_verifies(credential, public_key_multibase):
    proof = credential["proof"]
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod" and proof["proofValue"].startswith("z")
    multikey = base58btc_decode(public_key_multibase[1:])
    assert public_key_multibase.startswith("z") and multikey[:2] == b"\xed\x01"  # Ed25519 multicodec
    try:
        Ed25519PublicKey.from_public_bytes(multikey[2:]).verify(
            base58btc_decode(proof["proofValue"][1:]), hash_data(credential)
        )
    except InvalidSignature:
        return False
    return True


def spec_sign(document, private_key, verification_method):
    """A third party's issuer: signs over the canonical form exactly as the specification says."""
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-12-20T03:00:00Z",
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signed = {**document, "proof": proof}
    proof["proofValue"] = "z" + base58btc_encode(private_key.sign(hash_data(signed)))
    return signed


def public_multibase(private_key):
    raw = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "z" + base58btc_encode(b"\xed\x01" + raw)


# --- credentials issued by the app -----------------------------------------------------------------


@pytest.fixture
def dasar_class():
    """A class whose tag list repeats a value: academy "Dasar", level Dasar, 32 JP."""
    academy = AcademyFactory(code="DSR", name="Dasar")
    return TrainingClassFactory(program__academy=academy, program__level="dasar", hours=32)


def completed(training_class, n):
    return [
        EnrolmentFactory(
            training_class=training_class, status=Enrolment.Status.COMPLETED, completed_at=timezone.now()
        )
        for _ in range(n)
    ]


def published_key(client, credential):
    profile = client.get(f"/credentials/issuers/{credential.issuer_id}/").json()
    method = credential.signed["proof"]["verificationMethod"]
    return next(m["publicKeyMultibase"] for m in profile["verificationMethod"] if m["id"] == method)


@pytest.mark.django_db
def test_credentials_with_a_repeated_tag_issued_one_by_one_and_in_bulk_verify_by_the_specification(
    client, dasar_class
):
    first, *rest = completed(dasar_class, 4)
    single = services.issue_credential(first)
    assert services.issue_for_class(dasar_class).issued == 3
    credentials = [single, *(e.credentials.get() for e in rest)]
    for credential in credentials:
        document = credential.signed
        assert document["credentialSubject"]["achievement"]["tag"] == ["Dasar", "Dasar", "32 JP"]
        assert spec_verifies(document, published_key(client, credential)), credential.number


@pytest.mark.django_db
def test_json_download_and_status_list_verify_by_the_specification(client, dasar_class):
    holder = UserFactory()
    enrolment = EnrolmentFactory(
        training_class=dasar_class,
        participant=ParticipantFactory(user=holder),
        status=Enrolment.Status.COMPLETED,
        completed_at=timezone.now(),
    )
    credential = services.issue_credential(enrolment)
    services.revoke(credential, user=None, reason="Kehadiran dipalsukan")
    key = published_key(client, credential)
    status_list = client.get(f"/credentials/status/{credential.issuer_id}/").json()
    assert spec_verifies(status_list, key)
    client.force_login(holder)
    downloaded = client.get(f"/sertifikat/{credential.pk}/json/").json()
    assert spec_verifies(downloaded, key)
    downloaded["credentialSubject"]["name"] = "Nama Lain"
    assert not spec_verifies(downloaded, key)


# --- the signing engine on the shapes that went wrong ------------------------------------------------


def engine_credential(**overrides):
    values = dict(
        credential_id="urn:uuid:3f1c2b1e-7d7a-4c55-9d43-0a1d2c3b4e5f",
        number="DTS/2026/PLG/000123",
        kind="completion",
        issuer_id="https://sinergi.example/credentials/issuers/1/",
        issuer_name="Pemerintah Kota Palembang",
        issuer_url="https://sinergi.example",
        holder_name="Siti Rahmawati",
        holder_salt="a1b2c3d4",
        achievement_id="https://sinergi.example/credentials/achievements/7/completion",
        programme="Literasi Digital",
        level="Dasar",
        hours=32,
        academy="Dasar",
        narrative="Menyelesaikan 32 jam pelajaran.",
        valid_from="2026-12-20T03:00:00Z",
        status_list_url="https://sinergi.example/credentials/status/1/",
        status_index=7,
    )
    values.update(overrides)
    return signing.build_credential(signing.CredentialData(**values))


def with_creator_equal_to_issuer(document):
    document = copy.deepcopy(document)
    document["credentialSubject"]["achievement"]["creator"] = copy.deepcopy(document["issuer"])
    return document


SHAPES = {
    "repeated tag": lambda: engine_credential(),
    "creator equal to issuer": lambda: with_creator_equal_to_issuer(engine_credential(academy="GTA")),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_engine_signatures_on_repeated_value_shapes_verify_by_the_specification(shape):
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    method = "https://sinergi.example/credentials/issuers/1/#key-1"
    signer = signing.Signer(raw, method, "2026-12-20T03:00:00Z")
    for _ in range(2):  # the second document of a shape is the one signed from the cached template
        assert spec_verifies(signer.sign(SHAPES[shape]()), public_multibase(key))


@pytest.mark.parametrize("shape", SHAPES)
def test_third_party_credentials_of_repeated_value_shapes_are_accepted(shape):
    key = Ed25519PrivateKey.generate()
    document = spec_sign(SHAPES[shape](), key, "https://penerbit-lain.example/keys/1")
    public_raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    for _ in range(2):
        assert signing.verify_proof(document, public_raw).ok
