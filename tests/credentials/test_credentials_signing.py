"""The pure signing engine: proofs, tamper detection, status lists, offline contexts, OB 3.0 schema."""

import copy
import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinergi.credentials import signing

SCHEMA = json.loads((Path(__file__).parent / "ob_v3p0_achievementcredential_schema.json").read_text())
METHOD = "https://sinergi.example/credentials/issuers/1/#key-1"


def data(**overrides):
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
        programme="Analisis Data untuk ASN",
        level="Dasar",
        hours=40,
        academy="Government Transformation Academy",
        narrative="Menyelesaikan 40 jam pelajaran dan lulus penilaian akhir.",
        valid_from="2026-12-20T03:00:00Z",
        status_list_url="https://sinergi.example/credentials/status/1/",
        status_index=42,
    )
    values.update(overrides)
    return signing.CredentialData(**values)


@pytest.fixture(scope="module")
def keys():
    return signing.generate_keypair()


@pytest.fixture(scope="module")
def signed(keys):
    return signing.sign(signing.build_credential(data()), keys.private_raw, METHOD, "2026-12-20T03:00:00Z")


def test_signed_credential_verifies_and_is_an_ob3_achievement_credential(keys, signed):
    assert signing.verify_proof(signed, keys.public_raw).ok
    jsonschema.validate(signed, SCHEMA, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER)
    assert signed["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert signed["credentialStatus"]["type"] == "BitstringStatusListEntry"


def test_competency_credential_with_units_and_expiry_is_schema_valid(keys):
    units = (signing.CompetencyUnit("J.620100.004.02", "Menggunakan Struktur Data"),)
    doc = signing.build_credential(data(kind="competency", units=units, valid_until="2029-12-20T03:00:00Z"))
    signed = signing.sign(doc, keys.private_raw, METHOD, "2026-12-20T03:00:00Z")
    jsonschema.validate(signed, SCHEMA, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER)
    achievement = signed["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "Certification"
    assert achievement["alignment"][0]["targetCode"] == "J.620100.004.02"
    assert signing.verify_proof(signed, keys.public_raw).ok


@pytest.mark.parametrize(
    "path, value",
    [
        (("credentialSubject", "name"), "Budi Santoso"),
        (("credentialSubject", "achievement", "name"), "Program Lain"),
        (("validFrom",), "2020-01-01T00:00:00Z"),
        (("credentialStatus", "statusListIndex"), "43"),
        (("issuer", "name"), "Penerbit Palsu"),
    ],
)
def test_any_change_to_the_content_breaks_the_signature(keys, signed, path, value):
    tampered = copy.deepcopy(signed)
    target = tampered
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    check = signing.verify_proof(tampered, keys.public_raw)
    assert not check.ok
    assert "dimodifikasi" in check.reason


def test_reformatting_the_json_keeps_the_signature_valid(keys, signed):
    reordered = json.loads(json.dumps(signed, indent=4, sort_keys=True))
    assert signing.verify_proof(reordered, keys.public_raw).ok


def test_another_key_does_not_verify(signed):
    assert not signing.verify_proof(signed, signing.generate_keypair().public_raw).ok


def test_missing_proof_is_reported(signed):
    unsigned = {k: v for k, v in signed.items() if k != "proof"}
    assert "proof" in signing.verify_proof(unsigned, b"\0" * 32).reason


def test_contexts_are_never_fetched_from_the_network(keys, signed):
    foreign = copy.deepcopy(signed)
    foreign["@context"] = [*signed["@context"], "https://evil.example/context.json"]
    check = signing.verify_proof(foreign, keys.public_raw)
    assert not check.ok
    assert "konteks" in check.reason.lower()


def test_multikey_round_trip_and_key_files(keys):
    multibase = keys.public_multibase
    assert multibase.startswith("z6Mk")  # the usual prefix of an Ed25519 Multikey
    assert signing.public_key_from_multibase(multibase) == keys.public_raw
    profile = json.dumps({"verificationMethod": [{"publicKeyMultibase": multibase}]})
    assert signing.load_public_key(profile) == keys.public_raw
    assert signing.load_public_key(multibase + "\n") == keys.public_raw
    with pytest.raises(signing.SigningError):
        signing.load_public_key("not-a-key")


def test_status_list_is_at_least_16kb_and_sets_exactly_the_revoked_bits():
    encoded = signing.encode_status_list([0, 7, 42, 131_071])
    assert encoded.startswith("u")
    assert len(signing.decode_status_list(encoded)) == 16 * 1024
    assert [signing.status_bit(encoded, i) for i in (0, 1, 7, 8, 42, 43, 131_071)] == [
        True, False, True, False, True, False, True,
    ]  # fmt: skip
    with pytest.raises(signing.SigningError):
        signing.encode_status_list([131_072])


def test_signed_status_list_verifies(keys):
    doc = signing.build_status_list(
        list_url="https://sinergi.example/credentials/status/1/",
        issuer_id="https://sinergi.example/credentials/issuers/1/",
        issuer_name="Pemkot",
        revoked=[42],
        size_bits=signing.MIN_STATUS_LIST_BITS,
        valid_from="2026-12-20T03:00:00Z",
    )
    signed = signing.sign(doc, keys.private_raw, METHOD, "2026-12-20T03:00:00Z")
    assert signing.verify_proof(signed, keys.public_raw).ok
    assert signing.status_bit(signed["credentialSubject"]["encodedList"], 42)


def test_identity_hash_follows_ob3():
    assert (
        signing.identity_hash("Siti", "salt")
        == "sha256$" + __import__("hashlib").sha256(b"Sitisalt").hexdigest()
    )


unit_codes = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)
# Few distinct values, so that lists repeat them; "ph0x" and the IRI marker look like the fast path's
# placeholders; some identifiers are not absolute IRIs (both paths must then refuse alike).
few_texts = st.sampled_from(["Dasar", "32 JP", "", "Ñusantara ✓ 日本", "ph0x", "urn:x-sinergi-ph:0"])
texts = few_texts | st.text(max_size=40)
identifiers = st.sampled_from(
    [
        "https://sinergi.example/credentials/issuers/1/",
        "https://sinergi.example/credentials/achievements/7/completion",
        "urn:uuid:3f1c2b1e-7d7a-4c55-9d43-0a1d2c3b4e5f",
        "http://contoh.example/a?b=c#d",
        "did:example:123",
        "urn:x-sinergi-ph:0",
        "relatif/tanpa-skema",
        "https://spasi di.example/",
    ]
)
profiles = st.fixed_dictionaries(
    {
        "id": identifiers,
        "type": st.just(["Profile"]),
        "name": texts,
        "url": st.just("https://sinergi.example"),
    }
)
alignments = st.fixed_dictionaries(
    {
        "type": st.just(["Alignment"]),
        "targetCode": few_texts,
        "targetName": few_texts,
        "targetUrl": st.sampled_from(["https://sinergi.example/u#1", "https://sinergi.example/u#2"]),
    }
)


@st.composite
def credential_documents(draw):
    """Credentials as build_credential() makes them, then varied: repeated values and objects, merged
    nodes (creator = issuer, ids shared between objects), empty lists, Unicode, odd identifiers."""
    units = draw(st.lists(st.tuples(unit_codes, st.text(max_size=40)), max_size=3))
    doc = signing.build_credential(
        data(
            holder_name=draw(texts),
            programme=draw(texts),
            narrative=draw(st.text(max_size=200)),
            academy=draw(few_texts),
            level=draw(few_texts),
            hours=draw(st.integers(min_value=0, max_value=2000)),
            valid_until=draw(st.sampled_from([None, "2029-12-20T03:00:00Z"])),
            units=tuple(signing.CompetencyUnit(code, title) for code, title in units),
        )
    )
    subject = doc["credentialSubject"]
    achievement = subject["achievement"]
    achievement["tag"] = draw(st.lists(texts, max_size=5))
    if draw(st.booleans()):
        achievement["alignment"] = draw(st.lists(alignments, max_size=4))
    if draw(st.booleans()):
        achievement["id"] = draw(identifiers)
    creator = draw(st.sampled_from(["none", "issuer", "other"]))
    if creator == "issuer":
        achievement["creator"] = copy.deepcopy(doc["issuer"])
    elif creator == "other":
        achievement["creator"] = draw(profiles)
    if draw(st.booleans()):
        doc["issuer"]["id"] = draw(identifiers)
    if draw(st.booleans()):
        subject["id"] = draw(identifiers)
    subject["identifier"] = subject["identifier"] * draw(st.integers(min_value=1, max_value=2))
    if draw(st.booleans()):
        doc["credentialSchema"] = []
    return doc


def outcome(canonicalise, document):
    try:
        return canonicalise(document)
    except signing.SigningError:
        return "refused"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=credential_documents())
def test_fast_canonicalisation_equals_full_json_ld_processing(doc):
    full = outcome(signing.canonicalize, doc)
    assert outcome(signing.canonicalize_fast, doc) == full
    assert outcome(signing.canonicalize_fast, copy.deepcopy(doc)) == full  # from the cached shape


def test_fast_canonicalisation_falls_back_for_odd_identifiers():
    doc = signing.build_credential(data(credential_id="relatif/tanpa-skema"))
    assert signing.canonicalize_fast(doc) == signing.canonicalize(doc)


def test_fast_canonicalisation_of_the_proof_configuration(signed):
    config = {
        "@context": signed["@context"],
        **{k: v for k, v in signed["proof"].items() if k != "proofValue"},
    }
    assert signing.canonicalize_fast(config) == signing.canonicalize(config)


def test_malformed_documents_are_rejected_not_crashed(keys, signed):
    for broken in (
        {**signed, "@context": 42},
        {**signed, "credentialSubject": [1, 2]},
        {**signed, "proof": {**signed["proof"], "proofValue": "z0OIl"}},
    ):
        assert not signing.verify_proof(broken, keys.public_raw).ok
