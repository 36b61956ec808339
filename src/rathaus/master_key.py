"""The instance's master key (RATHAUS_MASTER_KEY, kept outside the database) and the
keys derived from it. Each purpose gets its own key through HKDF, so no key is ever
used for two things and none needs storing."""

import base64
import binascii

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_BYTES = 32


def decode_master_key(value: str) -> bytes:
    try:
        key = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ImproperlyConfigured("A master key must be base64.") from error
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(f"A master key must be {KEY_BYTES} bytes, not {len(key)}.")
    return key


def current_master_key() -> bytes:
    return decode_master_key(settings.RATHAUS_MASTER_KEY)


def derived_key(purpose: str) -> bytes:
    """32 bytes for one purpose (e.g. "audit-tree-head/<authority>"), the same on every
    run and every machine with the same master key."""
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=b"rathaus", info=purpose.encode()
    ).derive(current_master_key())
