"""Symmetric keys for data at rest (NIK and KK numbers, issuers' signing keys): one Fernet helper.

A setting holds a comma-separated list of Fernet keys, newest first: the first encrypts, every one
decrypts, so a key is rotated by putting a new key in front of the old one (and re-encrypting with
`MultiFernet.rotate` before the old key is dropped). Without a configured key (demo, tests) one key is
derived from SECRET_KEY and the purpose, so the data stays readable across restarts.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet


@lru_cache(maxsize=8)
def fernet(configured: str, *, purpose: str, secret: str) -> MultiFernet:
    keys = [key.strip() for key in configured.split(",") if key.strip()]
    if not keys:
        derived = hashlib.sha256(f"{purpose}:{secret}".encode()).digest()
        keys = [base64.urlsafe_b64encode(derived).decode()]
    return MultiFernet([Fernet(key.encode()) for key in keys])
