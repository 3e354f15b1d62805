"""Personal identifiers at rest (UU 27/2022 PDP): encrypted, found by keyed hash, shown masked.

The NIK (and KK number) is stored as Fernet ciphertext (keys and their rotation: core/keys.py);
lookups and the one-account-per-NIK rule use an HMAC-SHA256 of the normalised number under
PII_HASH_KEY, so the database alone reveals neither.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import InvalidToken, MultiFernet
from django.conf import settings
from django.utils.translation import gettext as _

from sinergi.core.keys import fernet, fernet_encrypt_many, primary_key_fingerprint


def _cipher() -> MultiFernet:
    return fernet(settings.PII_ENCRYPTION_KEY, purpose="pii-encryption", secret=settings.SECRET_KEY)


def cipher() -> MultiFernet:
    """The NIK/KK key list (rotation re-encrypts with it)."""
    return _cipher()


def key_fingerprint() -> str:
    return primary_key_fingerprint(
        settings.PII_ENCRYPTION_KEY, purpose="pii-encryption", secret=settings.SECRET_KEY
    )


def normalise_number(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def encrypt(value: str) -> str:
    return _cipher().encrypt(value.encode()).decode() if value else ""


def encrypt_many(values: list[str]) -> list[str]:
    """`encrypt` of each value, for thousands at once (a bulk import)."""
    tokens = fernet_encrypt_many(
        settings.PII_ENCRYPTION_KEY,
        [v.encode() for v in values],
        purpose="pii-encryption",
        secret=settings.SECRET_KEY,
    )
    return [t.decode() if v else "" for v, t in zip(values, tokens, strict=True)]


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _cipher().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a key rotation without re-encryption; never show garbage
        raise ValueError(_("Data pribadi tidak dapat dibuka dengan kunci yang berlaku.")) from exc


def keyed_hash(value: str) -> str:
    digest = hmac.new(settings.PII_HASH_KEY.encode(), normalise_number(value).encode(), hashlib.sha256)
    return digest.hexdigest()


def mask(value: str, *, visible_start: int = 4, visible_end: int = 2) -> str:
    """'3201234567890001' → '3201**********01'."""
    if len(value) <= visible_start + visible_end:
        return "*" * len(value)
    return value[:visible_start] + "*" * (len(value) - visible_start - visible_end) + value[-visible_end:]


def mask_name(name: str) -> str:
    """'Siti Rahmawati' → 'Si** Ra*******': enough for the holder to recognise, not to identify."""
    return " ".join(part[:2] + "*" * max(len(part) - 2, 0) for part in name.split())
