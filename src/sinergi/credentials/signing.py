"""Signing and verifying Open Badges 3.0 credentials; pure Python, no Django.

Proof format (one, documented here and in the README): W3C Data Integrity with the cryptosuite
`eddsa-rdfc-2022` (Ed25519 over RDF Dataset Canonicalization RDFC-1.0 / URDNA2015), which the OB 3.0
conformance suite and common VC verifiers accept for `OpenBadgeCredential`:

    proofConfig   = the proof without proofValue, with the credential's @context
    hashData      = SHA-256(canonical N-Quads of proofConfig) ‖ SHA-256(canonical N-Quads of credential)
    proofValue    = "z" + base58btc(Ed25519-sign(hashData))

Keys are published as Multikey (`publicKeyMultibase` = "z" + base58btc(0xed01 ‖ raw key)).

JSON-LD contexts are never fetched: the W3C VC 2.0 and OB 3.0.3 contexts ship in `data/` and the
document loader refuses every other URL, so canonicalisation works offline and a credential cannot
make the verifier reach out to the network.

Revocation uses a W3C Bitstring Status List: bit `statusListIndex` (0 = the most significant bit of
the first byte) set means revoked; the list is GZIP-compressed and multibase base64url-encoded ("u").
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from pyld import jsonld
from pyld.canon import URDNA2015
from pyld.documentloader.frozen import FrozenDocumentLoader
from pyld.nquads import serialize_nquad

from sinergi.core.i18n import gettext_noop

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXTS = [VC_CONTEXT, OB_CONTEXT]
OB_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
CRYPTOSUITE = "eddsa-rdfc-2022"
MIN_STATUS_LIST_BITS = 131_072  # 16 KiB, the minimum the Bitstring Status List spec asks for (herd privacy)

_DATA = Path(__file__).resolve().parent / "data"
_LOCAL_CONTEXTS = {
    VC_CONTEXT: _DATA / "credentials-v2.jsonld",
    OB_CONTEXT: _DATA / "ob-v3p0-context-3.0.3.json",
}
_loader = FrozenDocumentLoader(dict(_LOCAL_CONTEXTS))
_ED25519_MULTICODEC = b"\xed\x01"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}


class SigningError(ValueError):
    """A credential or key that cannot be processed; the message is shown to people (Indonesian)."""


# --- encodings --------------------------------------------------------------------------------------


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rem = divmod(number, 58)
        out.append(_B58[rem])
    leading = len(data) - len(data.lstrip(b"\0"))
    return "1" * leading + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        if char not in _B58_INDEX:
            raise SigningError(gettext_noop("Karakter base58 tidak sah."))
        number = number * 58 + _B58_INDEX[char]
    leading = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * leading + body


def public_key_multibase(public_raw: bytes) -> str:
    return "z" + b58encode(_ED25519_MULTICODEC + public_raw)


def public_key_from_multibase(value: str) -> bytes:
    if not value.startswith("z"):
        raise SigningError("Kunci publik harus berformat multibase base58btc (diawali 'z').")
    raw = b58decode(value[1:])
    if not raw.startswith(_ED25519_MULTICODEC) or len(raw) != 34:
        raise SigningError("Kunci publik bukan kunci Ed25519 (Multikey).")
    return raw[2:]


# --- keys -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyPair:
    private_raw: bytes
    public_raw: bytes

    @property
    def public_multibase(self) -> str:
        return public_key_multibase(self.public_raw)


def generate_keypair() -> KeyPair:
    private = Ed25519PrivateKey.generate()
    return KeyPair(
        private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()),
        private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
    )


def load_public_key(text: str) -> bytes:
    """A key file for `credential verify --key`: a Multikey document (JSON), a bare multibase string,
    or a PEM public key. Returns the raw 32-byte Ed25519 key."""
    text = text.strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SigningError(f"Berkas kunci bukan JSON yang sah: {exc.msg}.") from None
        for candidate in _multikeys_in(data):
            return public_key_from_multibase(candidate)
        raise SigningError("Berkas kunci tidak memuat publicKeyMultibase.")
    if text.startswith("-----BEGIN"):
        from cryptography.hazmat.primitives.serialization import load_pem_public_key

        try:
            key = load_pem_public_key(text.encode())
        except ValueError:
            raise SigningError("Berkas PEM tidak dapat dibaca sebagai kunci publik.") from None
        if not isinstance(key, Ed25519PublicKey):
            raise SigningError("Kunci PEM bukan kunci Ed25519.")
        return key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return public_key_from_multibase(text)


def _multikeys_in(data: Any) -> Iterable[str]:
    if isinstance(data, dict):
        if isinstance(data.get("publicKeyMultibase"), str):
            yield data["publicKeyMultibase"]
        for value in data.values():
            yield from _multikeys_in(value)
    elif isinstance(data, list):
        for item in data:
            yield from _multikeys_in(item)


# --- canonicalisation and proofs ----------------------------------------------------------------------


def canonicalize(document: dict[str, Any]) -> str:
    """RDFC-1.0 (URDNA2015) canonical N-Quads, with the contexts served from the package only."""
    try:
        return jsonld.normalize(
            document,
            {
                "algorithm": "URDNA2015",
                "format": "application/n-quads",
                "documentLoader": _loader,
                "safe": True,
            },
        )
    except jsonld.JsonLdError as exc:
        raise SigningError(
            gettext_noop(
                "Kredensial tidak dapat dikanonikalisasi "
                "(konteks JSON-LD tidak dikenal atau struktur tidak sah)."
            )
        ) from exc


# --- fast canonicalisation for bulk signing --------------------------------------------------------------
#
# JSON-LD expansion dominates the cost of canonicalising (2–6 ms per credential in pure Python, most of
# it re-processing the type-scoped contexts), which would put bulk issuing of a class far beyond its
# target. Credentials of one shape (same keys, same array lengths, same types and contexts) map to the
# same RDF graph with different values, so the graph of a shape is computed once by pyld from a copy
# whose string values are placeholders; each credential then substitutes its values into those quads
# and runs RDFC-1.0 on the result. Signing uses this; verification never does (it must accept any
# conformant credential, so it always runs full JSON-LD processing).
#
# Why the substituted dataset equals pyld's to_rdf() of the document (as a set of quads, up to
# blank-node labels), so that RDFC-1.0, a canonical labelling, gives identical N-Quads:
# - JSON-LD expansion never looks at a string in a plain-literal position (terms without @type @id or
#   @vocab, no @json): it becomes a literal with the datatype or language of its term. The template
#   proves each literal placeholder landed as exactly one literal, so its value only moved there.
# - Strings in @id positions are expanded as IRIs, which *can* depend on the value (relative IRIs,
#   compact IRIs "prefix:suffix"). Only `https://`, `http://` (a suffix starting with "//" is never a
#   compact IRI) and `urn:` values are substituted; the `urn:` placeholder itself coming out unchanged
#   proves `urn` is no prefix term at that position. Anything else falls back to full processing.
# - Keyword keys other than @context (@id, @value, @language, @list…) could make a value's role depend
#   on its content: documents with them take the full path.
# - JSON-LD merges node objects with the same @id (an achievement `creator` equal to the issuer) and
#   drops repeated values of a property (a `tag` list ["Dasar", "Dasar"]), because the RDF dataset is a
#   set: the substituted quads are deduplicated. Node objects without @id stay distinct blank nodes in
#   both paths; when they end up with identical content (repeated objects), the first-degree hashes tie
#   and the full RDFC-1.0 algorithm with its N-degree steps runs instead of the shortcut.
# tests/credentials/test_credentials_signing.py checks the equality on generated documents with
# repeated values, repeated and merged objects, empty lists and Unicode.

_IRI_KEYS = frozenset({"id", "statusListCredential", "verificationMethod"})
_MAX_TEMPLATES = 512  # shapes remembered; a bound so that unusual documents cannot grow it forever
_SUBSTITUTABLE_IRI = re.compile(r"^(https?://|urn:)[^\s<>\"{}|\\^`]*$")
# Kept verbatim in the shape: the contexts, and values that decide IRIs (type is @type, proofPurpose @vocab).
_SKIP_KEYS = frozenset({"@context", "type", "proofPurpose"})
_IRI_MARK = "urn:x-sinergi-ph:"
_LITERAL_MARK = re.compile(r"^ph(\d+)x$")
_templates: dict[str, list[dict[str, Any]] | None] = {}


class _NoFastPath(Exception):
    pass


def _placeholders(value: Any, values: list[tuple[bool, str]], key: str = "") -> Any:
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k.startswith("@") and k != "@context":
                raise _NoFastPath
            if k in _SKIP_KEYS:
                if _IRI_MARK in json.dumps(v):  # would be mistaken for a placeholder
                    raise _NoFastPath
                out[k] = v
            else:
                out[k] = _placeholders(v, values, k)
        return out
    if isinstance(value, list):
        return [_placeholders(v, values, key) for v in value]
    if isinstance(value, str):
        is_iri = key in _IRI_KEYS
        if is_iri and not _SUBSTITUTABLE_IRI.match(value):
            raise _NoFastPath
        values.append((is_iri, value))
        n = len(values) - 1
        return f"{_IRI_MARK}{n}" if is_iri else f"ph{n}x"
    return value


def _placeholder_of(term: dict[str, Any]) -> tuple[bool, int] | None:
    """(is_iri, index) when the RDF term is a placeholder."""
    value = term["value"]
    if term["type"] == "IRI" and value.startswith(_IRI_MARK):
        return True, int(value[len(_IRI_MARK) :])
    if term["type"] == "literal" and (match := _LITERAL_MARK.match(value)):
        return False, int(match.group(1))
    return None


def _usable_template(quads: list[dict[str, Any]], values: list[tuple[bool, str]]) -> bool:
    """Every literal placeholder is exactly one literal, every IRI placeholder an IRI (at least once),
    and nothing else looks like a placeholder."""
    seen: dict[tuple[bool, int], int] = {}
    for quad in quads:
        for part in ("subject", "object"):
            term = quad[part]
            found = _placeholder_of(term)
            if found is None:
                if term["type"] == "literal" and term["value"].startswith(_IRI_MARK):
                    return False  # an IRI placeholder that pyld kept as a literal
                continue
            seen[found] = seen.get(found, 0) + 1
    expected = {(is_iri, i) for i, (is_iri, _value) in enumerate(values)}
    if set(seen) != expected:
        return False
    return all(count == 1 for (is_iri, _i), count in seen.items() if not is_iri)


def canonicalize_fast(document: dict[str, Any]) -> str:
    """Same result as canonicalize() for every document (see above); fast for shapes seen before."""
    values: list[tuple[bool, str]] = []
    try:
        template = _placeholders(document, values)
    except _NoFastPath:
        return canonicalize(document)
    key = json.dumps(template, sort_keys=True)
    if key not in _templates:
        try:
            dataset = jsonld.to_rdf(template, {"documentLoader": _loader, "safe": True})
            quads = dataset.get("@default", []) if len(dataset) == 1 else None
        except jsonld.JsonLdError:
            quads = None
        usable = quads if quads is not None and _usable_template(quads, values) else None
        if len(_templates) >= _MAX_TEMPLATES:
            return canonicalize(document) if usable is None else _canonical_from(usable, values)
        _templates[key] = usable
    quads = _templates[key]
    if quads is None:
        return canonicalize(document)
    return _canonical_from(quads, values)


def _fill(term: dict[str, Any], values: list[tuple[bool, str]]) -> dict[str, Any]:
    found = _placeholder_of(term)
    if found is not None:
        return {**term, "value": values[found[1]][1]}
    return {**term}  # URDNA2015 relabels blank nodes in place: never hand it the cached template's terms


def _canonical_from(quads: list[dict[str, Any]], values: list[tuple[bool, str]]) -> str:
    unique: dict[tuple[Any, ...], dict[str, Any]] = {}
    for q in quads:
        subject, obj = _fill(q["subject"], values), _fill(q["object"], values)
        key = (*subject.values(), q["predicate"]["value"], *sorted(obj.items()))
        unique.setdefault(key, {"subject": subject, "predicate": {**q["predicate"]}, "object": obj})
    filled = list(unique.values())
    return _first_degree_canonical(filled) or URDNA2015().main(
        {"@default": filled}, {"format": "application/n-quads"}
    )


def _first_degree_canonical(quads: list[dict[str, Any]]) -> str | None:
    """RDFC-1.0 when every blank node has a unique first-degree hash (the algorithm then needs no
    N-degree steps). None when two hashes tie."""
    mentions: dict[str, list[dict[str, Any]]] = {}
    for quad in quads:
        for part in ("subject", "object"):
            if quad[part]["type"] == "blank node":
                mentions.setdefault(quad[part]["value"], []).append(quad)
    hashes: dict[str, str] = {}
    for node, node_quads in mentions.items():
        lines = sorted(serialize_nquad(_mark(quad, node)) for quad in node_quads)
        hashes[node] = hashlib.sha256("".join(lines).encode()).hexdigest()
    if len(set(hashes.values())) != len(hashes):
        return None
    labels = {node: f"_:c14n{i}" for i, node in enumerate(sorted(hashes, key=hashes.__getitem__))}
    return "".join(sorted(serialize_nquad(_mark(quad, None, labels)) for quad in quads))


def _mark(quad: dict[str, Any], node: str | None, labels: dict[str, str] | None = None) -> dict[str, Any]:
    out = dict(quad)
    for part in ("subject", "object"):
        term = quad[part]
        if term["type"] == "blank node":
            if labels is not None:
                value = labels[term["value"]]
            else:
                value = "_:a" if term["value"] == node else "_:z"
            out[part] = {"type": "blank node", "value": value}
    return out


def _proof_config(document: dict[str, Any], verification_method: str, created: str) -> dict[str, Any]:
    return {
        "@context": document["@context"],
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }


@lru_cache(maxsize=256)
def _canonical_config_hash(proof_config_json: str) -> bytes:
    """Every credential of one issuing run has the same proof configuration: canonicalise it once."""
    return hashlib.sha256(canonicalize(json.loads(proof_config_json)).encode()).digest()


def _hash_data(proof_config: dict[str, Any], unsigned: dict[str, Any]) -> bytes:
    config_json = json.dumps(proof_config, sort_keys=True, ensure_ascii=False)
    return _canonical_config_hash(config_json) + hashlib.sha256(canonicalize(unsigned).encode()).digest()


class Signer:
    """Signs many credentials with one key and one `created` time; the proof configuration is
    canonicalised once, which is half the work when issuing a class in bulk."""

    def __init__(self, private_raw: bytes, verification_method: str, created: str) -> None:
        self._key = Ed25519PrivateKey.from_private_bytes(private_raw)
        self._verification_method = verification_method
        self._created = created
        self._config_hashes: dict[str, bytes] = {}

    def sign(self, document: dict[str, Any]) -> dict[str, Any]:
        unsigned = {k: v for k, v in document.items() if k != "proof"}
        config = _proof_config(unsigned, self._verification_method, self._created)
        context_key = json.dumps(unsigned["@context"])
        if context_key not in self._config_hashes:
            self._config_hashes[context_key] = hashlib.sha256(canonicalize(config).encode()).digest()
        document_hash = hashlib.sha256(canonicalize_fast(unsigned).encode()).digest()
        signature = self._key.sign(self._config_hashes[context_key] + document_hash)
        proof = {k: v for k, v in config.items() if k != "@context"}
        proof["proofValue"] = "z" + b58encode(signature)
        return {**unsigned, "proof": proof}


def sign(
    document: dict[str, Any], private_raw: bytes, verification_method: str, created: str
) -> dict[str, Any]:
    return Signer(private_raw, verification_method, created).sign(document)


@dataclass(frozen=True)
class ProofCheck:
    """`reason` is the Indonesian catalogue text (marked, not translated): the same in every cache and
    on the command line; a page shows it through Django's gettext."""

    ok: bool
    reason: str = ""
    verification_method: str = ""


def proof_of(document: dict[str, Any]) -> dict[str, Any] | None:
    proof = document.get("proof")
    if isinstance(proof, list):
        proof = next((p for p in proof if isinstance(p, dict) and p.get("cryptosuite") == CRYPTOSUITE), None)
    return proof if isinstance(proof, dict) else None


def document_digest(document: dict[str, Any]) -> str:
    """SHA-256 of the canonical credential without its proof: the half of the signed data that
    depends on the credential's content (see `_hash_data`)."""
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    return hashlib.sha256(canonicalize(unsigned).encode()).hexdigest()


def verify_proof(document: dict[str, Any], public_raw: bytes, *, signed_digest: str = "") -> ProofCheck:
    """Check the eddsa-rdfc-2022 proof with the given raw Ed25519 public key.

    `signed_digest` (hex, from `document_digest` of the document as signed) stands in for the
    content when the stored copy was later redacted (a holder's name erased): the signature is then
    checked against the content as it was signed, so it still proves who issued it and when."""
    if not isinstance(document, dict) or "@context" not in document:
        return ProofCheck(False, gettext_noop("Dokumen bukan kredensial JSON-LD (tidak ada @context)."))
    proof = proof_of(document)
    if proof is None:
        return ProofCheck(False, gettext_noop("Kredensial tidak memiliki bukti (proof) eddsa-rdfc-2022."))
    if proof.get("type") != "DataIntegrityProof" or proof.get("proofPurpose") != "assertionMethod":
        return ProofCheck(False, gettext_noop("Jenis bukti tidak didukung."))
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        return ProofCheck(False, gettext_noop("Nilai tanda tangan (proofValue) tidak sah."))
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    config = {"@context": document["@context"], **{k: v for k, v in proof.items() if k != "proofValue"}}
    try:
        signature = b58decode(value[1:])
        if signed_digest:
            config_json = json.dumps(config, sort_keys=True, ensure_ascii=False)
            hashed = _canonical_config_hash(config_json) + bytes.fromhex(signed_digest)
        else:
            hashed = _hash_data(config, unsigned)
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, hashed)
    except SigningError as exc:
        return ProofCheck(False, str(exc), proof.get("verificationMethod", ""))
    except (InvalidSignature, ValueError, TypeError, KeyError, AttributeError):
        return ProofCheck(
            False,
            gettext_noop("Tanda tangan tidak cocok: kredensial telah dimodifikasi."),
            proof.get("verificationMethod", ""),
        )
    return ProofCheck(True, "", proof.get("verificationMethod", ""))


# --- the credential ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompetencyUnit:
    code: str
    title: str


@dataclass(frozen=True)
class CredentialData:
    """Everything a credential says, as plain data (built by services from the database)."""

    credential_id: str
    number: str
    kind: str  # "completion" | "competency" | "award"
    issuer_id: str
    issuer_name: str
    issuer_url: str
    holder_name: str
    holder_salt: str
    achievement_id: str
    programme: str
    level: str
    hours: int
    academy: str
    narrative: str
    valid_from: str  # xsd:dateTime, UTC "Z"
    status_list_url: str
    status_index: int
    valid_until: str | None = None
    activity_start: str | None = None
    activity_end: str | None = None
    units: tuple[CompetencyUnit, ...] = ()
    description: str = ""


def identity_hash(value: str, salt: str) -> str:
    """OB 3.0 IdentityObject hash: "sha256$" + hex(SHA-256(value + salt))."""
    return "sha256$" + hashlib.sha256((value + salt).encode()).hexdigest()


def new_salt() -> str:
    return secrets.token_hex(8)


def build_credential(data: CredentialData) -> dict[str, Any]:
    alignment = [
        {
            "type": ["Alignment"],
            "targetCode": unit.code,
            "targetName": unit.title,
            "targetFramework": "SKKNI",
            "targetType": "ext:SKKNIUnit",
            "targetUrl": f"{data.achievement_id}#unit-{unit.code}",
        }
        for unit in data.units
    ]
    achievement: dict[str, Any] = {
        "id": data.achievement_id,
        "type": ["Achievement"],
        "achievementType": {"competency": "Certification", "award": "Award"}.get(data.kind, "Certificate"),
        "name": data.programme,
        "description": data.description
        or f"{data.programme} — tingkat {data.level}, {data.hours} jam pelajaran, {data.academy}.",
        "criteria": {"narrative": data.narrative},
        "humanCode": data.number,
        "fieldOfStudy": data.academy,
        "specialization": data.level,
        "tag": [data.academy, data.level]
        if data.kind == "award"
        else [data.academy, data.level, f"{data.hours} JP"],
    }
    if alignment:
        achievement["alignment"] = alignment
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "name": data.holder_name,
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": identity_hash(data.holder_name, data.holder_salt),
                "identityType": "name",
                "hashed": True,
                "salt": data.holder_salt,
            }
        ],
        "achievement": achievement,
    }
    if data.activity_start:
        subject["activityStartDate"] = data.activity_start
    if data.activity_end:
        subject["activityEndDate"] = data.activity_end
    credential: dict[str, Any] = {
        "@context": list(CONTEXTS),
        "id": data.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{'Piagam' if data.kind == 'award' else 'Sertifikat'} {data.programme}",
        "issuer": {
            "id": data.issuer_id,
            "type": ["Profile"],
            "name": data.issuer_name,
            "url": data.issuer_url,
        },
        "validFrom": data.valid_from,
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{data.status_list_url}#{data.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(data.status_index),
            "statusListCredential": data.status_list_url,
        },
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }
    if data.valid_until:
        credential["validUntil"] = data.valid_until
    return credential


# --- Bitstring Status List ------------------------------------------------------------------------------


def encode_status_list(revoked: Iterable[int], size_bits: int = MIN_STATUS_LIST_BITS) -> str:
    size_bits = max(size_bits, MIN_STATUS_LIST_BITS)
    bits = bytearray((size_bits + 7) // 8)
    for index in revoked:
        if not 0 <= index < size_bits:
            raise SigningError(f"Indeks status {index} di luar panjang daftar status.")
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


@lru_cache(maxsize=64)  # every verification by number reads its issuer's list: decompress it once
def decode_status_list(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise SigningError("Daftar status harus berformat multibase base64url (diawali 'u').")
    body = encoded[1:]
    try:
        return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (OSError, ValueError) as exc:
        raise SigningError("Daftar status tidak dapat dibuka (bukan GZIP base64url).") from exc


def status_bit(encoded: str, index: int) -> bool:
    bits = decode_status_list(encoded)
    if not 0 <= index < len(bits) * 8:
        raise SigningError(f"Indeks status {index} di luar panjang daftar status.")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def build_status_list(
    *,
    list_url: str,
    issuer_id: str,
    issuer_name: str,
    revoked: Iterable[int],
    size_bits: int,
    valid_from: str,
) -> dict[str, Any]:
    return {
        "@context": [VC_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": {"id": issuer_id, "name": issuer_name},
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_status_list(revoked, size_bits),
        },
    }


def status_index_of(document: dict[str, Any]) -> tuple[str, int] | None:
    """(status list URL, index) of a credential's revocation entry, if it has one."""
    status = document.get("credentialStatus")
    entries = status if isinstance(status, list) else [status]
    for entry in entries:
        if isinstance(entry, dict) and entry.get("type") == "BitstringStatusListEntry":
            try:
                return str(entry["statusListCredential"]), int(entry["statusListIndex"])
            except (KeyError, TypeError, ValueError):
                return None
    return None
