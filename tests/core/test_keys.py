"""Keys at rest: rotation by listing keys newest first; data written before a rotation stays readable."""

import base64
import hashlib

import pytest
from cryptography.fernet import Fernet, InvalidToken

from sinergi.core import pii
from sinergi.core.keys import fernet, fernet_encrypt_many


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


def test_bulk_encryption_gives_fernet_tokens_each_key_holder_can_read():
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    configured = f"{new},{old}"
    values = [b"3201234567890001", b"", b"x", b"a" * 15, b"b" * 16, b"c" * 33, b"Siti Rahmawati"] * 3
    tokens = fernet_encrypt_many(configured, values, purpose="p", secret="s", at=1_700_000_000)
    assert [fernet(configured, purpose="p", secret="s").decrypt(t) for t in tokens] == values
    assert [Fernet(new.encode()).decrypt(t) for t in tokens] == values  # the newest key encrypts
    assert {Fernet(new.encode()).extract_timestamp(t) for t in tokens} == {1_700_000_000}
    assert len(set(tokens)) == len(tokens)  # a fresh IV for every value, equal values too
    assert fernet_encrypt_many(configured, [], purpose="p", secret="s") == []


def test_bulk_encryption_of_pii_reads_back_with_decrypt():
    values = ["3201234567890001", "", "1671014505900002"]
    tokens = pii.encrypt_many(values)
    assert tokens[1] == ""
    assert [pii.decrypt(t) for t in tokens] == values
