"""Primitives of the mailbox's encryption at rest: AES-256-GCM with associated data.

Two layers (envelope encryption): the master key from the settings only wraps keys;
the per-authority data keys encrypt content. Replacing the master key therefore means
re-wrapping a handful of keys, never re-encrypting every message.
"""

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from rathaus.master_key import KEY_BYTES, current_master_key, decode_master_key

__all__ = ["KEY_BYTES", "current_master_key", "decode_master_key"]

# 96-bit random nonces: the GCM standard size; safe for far more messages than a
# data key encrypts before it is rotated.
NONCE_BYTES = 12


class DecryptionFailed(Exception):
    """Wrong key, or the ciphertext, its nonce or its binding (AAD) was changed."""


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def seal(*, key: bytes, plaintext: bytes, aad: bytes) -> tuple[bytes, bytes]:
    """Encrypt; returns (nonce, ciphertext with the 16-byte tag appended)."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce, AESGCM(key).encrypt(nonce, plaintext, aad)


def unseal(*, key: bytes, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(bytes(nonce), bytes(ciphertext), aad)
    except InvalidTag as error:
        raise DecryptionFailed("ciphertext does not open with this key and binding") from error


def wrap_key(*, key: bytes, master: bytes, aad: bytes) -> bytes:
    """Encrypt a key under the master key; the result is nonce + ciphertext."""
    nonce, ciphertext = seal(key=master, plaintext=key, aad=aad)
    return nonce + ciphertext


def unwrap_key(*, wrapped: bytes, master: bytes, aad: bytes) -> bytes:
    wrapped = bytes(wrapped)
    return unseal(
        key=master, nonce=wrapped[:NONCE_BYTES], ciphertext=wrapped[NONCE_BYTES:], aad=aad
    )


def b64url(data: bytes) -> str:
    """Base64url without padding, as JOSE (JWK, JWS) writes binary values."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
