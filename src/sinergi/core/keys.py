"""Symmetric keys for data at rest (NIK and KK numbers, issuers' signing keys): one Fernet helper.

A setting holds a comma-separated list of Fernet keys, newest first: the first encrypts, every one
decrypts, so a key is rotated by putting a new key in front of the old one (and re-encrypting with
`MultiFernet.rotate` before the old key is dropped). Without a configured key (demo, tests) one key is
derived from SECRET_KEY and the purpose, so the data stays readable across restarts.

Which columns are encrypted under which key list is registered here by the apps that own them
(`add_encrypted_column`), so that `sinergi rotate-keys` (core/rotation.py) re-encrypts them all.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

# In a key list, this word stands for the key derived from SECRET_KEY, so that data written before any
# key was configured can be rotated onto a real one: PII_ENCRYPTION_KEY="<new key>,derived".
DERIVED = "derived"


def _derived(purpose: str, secret: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(f"{purpose}:{secret}".encode()).digest()).decode()


def _keys(configured: str, purpose: str, secret: str) -> list[str]:
    keys = [key.strip() for key in configured.split(",") if key.strip()]
    if not keys:
        return [_derived(purpose, secret)]
    return [_derived(purpose, secret) if key == DERIVED else key for key in keys]


def primary_key_fingerprint(configured: str, *, purpose: str, secret: str) -> str:
    """Names the key that encrypts now without revealing it (a re-encryption run is resumed only
    towards the same key)."""
    return hashlib.sha256(b"sinergi/key-id/" + _keys(configured, purpose, secret)[0].encode()).hexdigest()[
        :16
    ]


@lru_cache(maxsize=8)
def fernet(configured: str, *, purpose: str, secret: str) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in _keys(configured, purpose, secret)])


_BLOCK = 16
_FERNET_VERSION = b"\x80"


def fernet_encrypt_many(
    configured: str, values: list[bytes], *, purpose: str, secret: str, at: int | None = None
) -> list[bytes]:
    """What `fernet(...).encrypt(value)` gives for each value (the newest key, a random IV each, the
    same timestamp), several times faster for thousands of values, as a bulk import writes them.

    Fernet is AES-128-CBC then HMAC-SHA256 (spec: github.com/fernet/spec). Setting up a cipher per
    value is most of its cost; here one AES context encrypts the k-th block of every value in one
    call, chaining each block with the previous ciphertext block (or the IV) exactly as CBC does.
    Tokens are ordinary Fernet tokens; tests decrypt them with `fernet(...)`."""
    raw = base64.urlsafe_b64decode(_keys(configured, purpose, secret)[0])
    signing_key, aes = raw[:16], Cipher(algorithms.AES(raw[16:]), modes.ECB()).encryptor()  # noqa: S305 - CBC by hand, see above
    header = _FERNET_VERSION + (int(time.time()) if at is None else at).to_bytes(8, "big")
    padded = []
    for value in values:
        pad = _BLOCK - len(value) % _BLOCK  # PKCS7
        padded.append(value + bytes([pad]) * pad)
    ivs = os.urandom(_BLOCK * len(values))
    by_length: dict[int, list[int]] = defaultdict(list)
    for i, data in enumerate(padded):
        by_length[len(data)].append(i)
    tokens: list[bytes] = [b""] * len(values)
    for length, members in by_length.items():
        previous = b"".join(ivs[i * _BLOCK : (i + 1) * _BLOCK] for i in members)
        size = len(previous)
        rounds = []
        for start in range(0, length, _BLOCK):
            plain = b"".join(padded[i][start : start + _BLOCK] for i in members)
            mixed = int.from_bytes(plain, "big") ^ int.from_bytes(previous, "big")
            previous = aes.update(mixed.to_bytes(size, "big"))
            rounds.append(previous)
        for j, i in enumerate(members):
            at_j = slice(j * _BLOCK, (j + 1) * _BLOCK)
            body = header + ivs[i * _BLOCK : (i + 1) * _BLOCK] + b"".join(r[at_j] for r in rounds)
            tokens[i] = base64.urlsafe_b64encode(body + hmac.digest(signing_key, body, "sha256"))
    aes.finalize()
    return tokens


@dataclass(frozen=True)
class EncryptedColumns:
    """Columns of one model holding Fernet tokens under one key list (a setting)."""

    name: str  # for the report, e.g. "peserta (NIK, KK)"
    model: Callable[[], Any]  # returns the model class (apps register before models are importable)
    fields: tuple[str, ...]
    cipher: Callable[[], MultiFernet]
    fingerprint: Callable[[], str]


_ENCRYPTED: dict[str, EncryptedColumns] = {}


def add_encrypted_column(columns: EncryptedColumns) -> None:
    _ENCRYPTED[columns.name] = columns


def encrypted_columns() -> list[EncryptedColumns]:
    return [_ENCRYPTED[name] for name in sorted(_ENCRYPTED)]
