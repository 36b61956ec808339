"""The active authority's keys: data keys for content, signing keys for receipts.

Keys are created on first use, so a new authority needs no set-up step. Unwrapped keys
are not cached: unwrapping is one AES operation, and no process keeps a key that a
re-wrap or rotation elsewhere has replaced.
"""

import hashlib
import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.db import IntegrityError, transaction
from django.db.models import Max

from rathaus.authorities.tenancy import current_authority

from . import crypto
from .models import DataKey, SigningKey


def _data_key_aad(authority_id: int, version: int) -> bytes:
    # Binds a wrapped key to its authority and version: copied to another row it fails.
    return f"rathaus/mailbox/v1|data-key|authority={authority_id}|version={version}".encode()


def _signing_key_aad(kid: str) -> bytes:
    return f"rathaus/mailbox/v1|signing-key|kid={kid}".encode()


# --- data keys ---------------------------------------------------------------------------

def active_data_key() -> tuple[int, bytes]:
    """(version, key) that new content of the active authority is sealed with."""
    row = _active_or_first(DataKey, _new_data_key)
    return row.version, _unwrap_data_key(row)


def data_key(version: int) -> bytes:
    return _unwrap_data_key(DataKey.objects.get(version=version))


def rotate_data_key() -> DataKey:
    """A new active data key for the active authority; the old one stays for reading."""
    with transaction.atomic():
        DataKey.objects.filter(is_active=True).update(is_active=False)
        return _new_data_key()


def _new_data_key() -> DataKey:
    authority = current_authority()
    version = (DataKey.objects.aggregate(last=Max("version"))["last"] or 0) + 1
    wrapped = crypto.wrap_key(
        key=crypto.new_key(),
        master=crypto.current_master_key(),
        aad=_data_key_aad(authority.pk, version),
    )
    return DataKey.objects.create(version=version, wrapped_key=wrapped)


def _unwrap_data_key(row: DataKey) -> bytes:
    return crypto.unwrap_key(
        wrapped=row.wrapped_key,
        master=crypto.current_master_key(),
        aad=_data_key_aad(row.authority_id, row.version),
    )


# --- signing keys ------------------------------------------------------------------------

def active_signing_key() -> tuple[str, Ed25519PrivateKey]:
    row = _active_or_first(SigningKey, _new_signing_key)
    raw = crypto.unwrap_key(
        wrapped=row.wrapped_private_key,
        master=crypto.current_master_key(),
        aad=_signing_key_aad(row.kid),
    )
    return row.kid, Ed25519PrivateKey.from_private_bytes(raw)


def rotate_signing_key() -> SigningKey:
    """A new active signing key; the old public key stays published."""
    with transaction.atomic():
        SigningKey.objects.filter(is_active=True).update(is_active=False)
        return _new_signing_key()


def _new_signing_key() -> SigningKey:
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    kid = jwk_thumbprint(public)
    raw_private = private.private_bytes_raw()
    wrapped = crypto.wrap_key(
        key=raw_private, master=crypto.current_master_key(), aad=_signing_key_aad(kid)
    )
    return SigningKey.objects.create(kid=kid, public_key=public, wrapped_private_key=wrapped)


def public_jwk(*, kid: str, public_key: bytes) -> dict:
    return {
        "kty": "OKP", "crv": "Ed25519", "x": crypto.b64url(bytes(public_key)),
        "kid": kid, "use": "sig", "alg": "EdDSA",
    }


def jwk_thumbprint(public_key: bytes) -> str:
    """RFC 7638: SHA-256 over the required members in lexicographic order, base64url."""
    members = {"crv": "Ed25519", "kty": "OKP", "x": crypto.b64url(public_key)}
    canonical = json.dumps(members, sort_keys=True, separators=(",", ":")).encode()
    return crypto.b64url(hashlib.sha256(canonical).digest())


def published_key_set() -> dict:
    """Every authority's public keys, retired ones included, as a JWK set."""
    rows = SigningKey.all_authorities.order_by("authority_id", "created_at")
    return {"keys": [public_jwk(kid=row.kid, public_key=row.public_key) for row in rows]}


# --- shared ------------------------------------------------------------------------------

def _active_or_first(model, create):
    """The active key; an authority's first one is created here, unless a concurrent
    process has just done so (the one-active-key constraint tells)."""
    row = model.objects.filter(is_active=True).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        return model.objects.get(is_active=True)


# --- replacing the master key ------------------------------------------------------------

def rewrap_all(*, old_master: bytes) -> dict[str, int]:
    """Re-wrap the active authority's keys from `old_master` to the current master key.

    Keys that already open under the current master key are left alone, so running it
    again after an interruption is safe. Raises DecryptionFailed if a key opens under
    neither (a wrong old key).
    """
    new_master = crypto.current_master_key()
    counts = {"data_keys": 0, "signing_keys": 0}
    for row in DataKey.objects.select_for_update():
        aad = _data_key_aad(row.authority_id, row.version)
        if _rewrap(row, "wrapped_key", aad=aad, old=old_master, new=new_master):
            counts["data_keys"] += 1
    for row in SigningKey.objects.select_for_update():
        aad = _signing_key_aad(row.kid)
        if _rewrap(row, "wrapped_private_key", aad=aad, old=old_master, new=new_master):
            counts["signing_keys"] += 1
    return counts


def _rewrap(row, field: str, *, aad: bytes, old: bytes, new: bytes) -> bool:
    wrapped = getattr(row, field)
    try:
        crypto.unwrap_key(wrapped=wrapped, master=new, aad=aad)
        return False  # already under the current master key
    except crypto.DecryptionFailed:
        key = crypto.unwrap_key(wrapped=wrapped, master=old, aad=aad)
    setattr(row, field, crypto.wrap_key(key=key, master=new, aad=aad))
    row.save(update_fields=[field])
    return True
