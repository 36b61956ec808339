"""Signed delivery receipts: what is signed, how, and how anyone checks it.

A receipt is the canonical JSON (sorted keys, no spaces, UTF-8) of

    {"message_id", "content_sha256", "event", "time", "authority": {"id", "name"}, "kid"}

signed with Ed25519. The downloadable file wraps it as
``{"receipt": {...}, "signature": <base64url>, "alg": "EdDSA", "kid": ...}``; a verifier
re-serialises "receipt" canonically and checks the signature with the public key of
that kid from the published JWK set. Nothing here touches the database, so the
verification runs the same offline.
"""

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from .crypto import b64url, b64url_decode

EVENTS = ("sent", "delivered", "retrieved")
ALGORITHM = "EdDSA"
CLAIMS = {"message_id", "content_sha256", "event", "time", "authority", "kid"}


class InvalidReceipt(Exception):
    """Not a receipt, an unknown key, or a signature that does not match."""


def canonical_json(value) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def content_sha256(*, subject: str, body: str, attachments: Iterable[dict]) -> str:
    """The hash the receipts sign: SHA-256 (hex) of the canonical JSON of

        {"subject": ..., "body": ...,
         "attachments": [{"filename": ..., "media_type": ..., "sha256": <hex of the file>}]}

    with the attachments in their order in the message. It covers everything the
    citizen sees, and each file through its own hash (docs/mailbox-keys.md).
    """
    manifest = {
        "subject": subject,
        "body": body,
        "attachments": [
            {"filename": a["filename"], "media_type": a["media_type"], "sha256": a["sha256"]}
            for a in attachments
        ],
    }
    return hashlib.sha256(canonical_json(manifest)).hexdigest()


def utc_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def receipt_claims(
    *, message_id, content_sha256: str, event: str, time: datetime, authority, kid: str
) -> dict:
    if event not in EVENTS:
        raise ValueError(f"unknown receipt event {event!r}")
    return {
        "message_id": str(message_id),
        "content_sha256": content_sha256,
        "event": event,
        "time": utc_timestamp(time),
        "authority": {"id": authority.slug, "name": authority.name},
        "kid": kid,
    }


def sign(claims: dict, private_key: Ed25519PrivateKey) -> tuple[bytes, bytes]:
    """(the exact signed bytes, the 64-byte signature)."""
    signed = canonical_json(claims)
    return signed, private_key.sign(signed)


def document(*, signed_bytes: bytes, signature: bytes, kid: str) -> dict:
    return {
        "receipt": json.loads(bytes(signed_bytes)),
        "signature": b64url(bytes(signature)),
        "alg": ALGORITHM,
        "kid": kid,
    }


def document_file(doc: dict) -> bytes:
    """The receipt as a file people can read; verification does not depend on layout."""
    return json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True).encode() + b"\n"


def verify(doc, *, public_key_for: Callable[[str], bytes | None]) -> dict:
    """Check a receipt document; return its claims or raise InvalidReceipt.

    `public_key_for(kid)` returns the raw 32-byte Ed25519 public key, or None.
    """
    claims, signature, kid = _parts(doc)
    public_key = public_key_for(kid)
    if public_key is None:
        raise InvalidReceipt(f"no published key with kid {kid!r}")
    try:
        Ed25519PublicKey.from_public_bytes(bytes(public_key)).verify(
            signature, canonical_json(claims)
        )
    except (InvalidSignature, ValueError) as error:
        raise InvalidReceipt("the signature does not match the receipt") from error
    return claims


def _parts(doc) -> tuple[dict, bytes, str]:
    if not isinstance(doc, dict) or not isinstance(doc.get("receipt"), dict):
        raise InvalidReceipt("not a receipt document")
    claims, kid = doc["receipt"], doc.get("kid")
    if doc.get("alg") != ALGORITHM:
        raise InvalidReceipt(f"unsupported algorithm {doc.get('alg')!r}")
    if set(claims) != CLAIMS or claims["event"] not in EVENTS:
        raise InvalidReceipt("the receipt does not have the expected fields")
    if not isinstance(kid, str) or claims["kid"] != kid:
        raise InvalidReceipt("the key id of the receipt and of its signature differ")
    try:
        signature = b64url_decode(doc["signature"])
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidReceipt("the signature is missing or not base64url") from error
    return claims, signature, kid


def public_keys_from_jwks(jwks) -> dict[str, bytes]:
    """kid → raw Ed25519 public key, from a JWK set (other key types are skipped)."""
    keys = {}
    for jwk in (jwks or {}).get("keys", []):
        if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519" and "kid" in jwk:
            keys[jwk["kid"]] = b64url_decode(jwk["x"])
    return keys
