"""Keys at rest: rotation by listing keys newest first; data written before a rotation stays readable."""

import base64
import hashlib

import pytest
from cryptography.fernet import Fernet, InvalidToken

from sinergi.core.keys import fernet


def test_a_rotated_key_list_reads_old_data_and_writes_with_the_new_key():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    written_before = fernet(old, purpose="pii-encryption", secret="s").encrypt(b"3201234567890001")
    rotated = fernet(f"{new}, {old}", purpose="pii-encryption", secret="s")
    assert rotated.decrypt(written_before) == b"3201234567890001"
    written_after = rotated.encrypt(b"x")
    assert Fernet(new.encode()).decrypt(written_after) == b"x"


def test_without_a_configured_key_the_derivation_is_the_one_existing_data_was_written_with():
    derived = base64.urlsafe_b64encode(hashlib.sha256(b"pii-encryption:secret").digest())
    token = Fernet(derived).encrypt(b"3201234567890001")
    assert fernet("", purpose="pii-encryption", secret="secret").decrypt(token) == b"3201234567890001"
    with pytest.raises(InvalidToken):  # each purpose has its own key
        fernet("", purpose="credential-signing-keys", secret="secret").decrypt(token)
