"""Signed tree heads: at fixed intervals each authority's Merkle root is signed and
published, as Certificate Transparency logs do.

The Ed25519 key is derived from the master key (outside the database), one per
authority. Whoever can write to the database can rewrite entries and recompute every
hash, but cannot sign: a head kept from before the rewrite no longer matches.
"""

import base64
import hashlib
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.db import IntegrityError, transaction
from django.utils import timezone

from rathaus.authorities.models import Authority
from rathaus.master_key import derived_key

from . import tree
from .chain import canonical_bytes
from .models import AuditTreeHead

FORMAT = "rathaus-audit-tree-head/1"


def signing_key(authority_id: int) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(derived_key(f"audit-tree-head/{authority_id}"))


def _raw_public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(public: bytes) -> str:
    return hashlib.sha256(public).hexdigest()[:16]


def _claims(*, authority: Authority, tree_size: int, root_hash: str, signed_at: datetime,
            public: bytes) -> dict:
    return {
        "format": FORMAT,
        "authority": authority.slug,
        "tree_size": tree_size,
        "root_hash": root_hash,
        "timestamp": signed_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "key_id": key_id(public),
        "public_key": base64.b64encode(public).decode(),
        "algorithm": "Ed25519",
        "tree": "RFC 9162 Merkle tree, SHA-256",
    }


def latest_head(authority_id: int) -> AuditTreeHead | None:
    return (AuditTreeHead.objects.filter(authority_id=authority_id)
            .order_by("-tree_size").first())


def sign_head(authority: Authority) -> AuditTreeHead | None:
    """Grow the tree and sign its head, unless nothing was added since the last head."""
    size = tree.grow(authority.pk)
    last = latest_head(authority.pk)
    if size == 0 or (last is not None and last.tree_size >= size):
        return last
    key = signing_key(authority.pk)
    public, signed_at = _raw_public(key), timezone.now()
    root_hash = tree.root(authority.pk, size).hex()
    claims = _claims(authority=authority, tree_size=size, root_hash=root_hash,
                     signed_at=signed_at, public=public)
    try:
        with transaction.atomic():
            return AuditTreeHead.objects.create(
                authority=authority, tree_size=size, root_hash=root_hash,
                signed_at=signed_at, key_id=claims["key_id"],
                signature=base64.b64encode(key.sign(canonical_bytes(claims))).decode())
    except IntegrityError:  # another worker signed this size a moment earlier
        return latest_head(authority.pk)


def sign_all_heads() -> int:
    """Sign a new head for every authority whose log grew; returns how many."""
    signed = 0
    for authority in Authority.objects.order_by("pk"):
        before = latest_head(authority.pk)
        after = sign_head(authority)
        signed += after is not None and (before is None or after.pk != before.pk)
    return signed


def document(head: AuditTreeHead) -> dict:
    """The head as published: its claims and their signature."""
    public = _raw_public(signing_key(head.authority_id))
    claims = _claims(authority=head.authority, tree_size=head.tree_size,
                     root_hash=head.root_hash, signed_at=head.signed_at, public=public)
    if claims["key_id"] != head.key_id:  # signed under an earlier master key
        claims["key_id"] = head.key_id
        claims.pop("public_key")
    return {**claims, "signature": head.signature}


def published_heads() -> list[dict]:
    heads = []
    for authority in Authority.objects.order_by("pk"):
        head = latest_head(authority.pk)
        if head is not None:
            heads.append(document(head))
    return heads


class HeadRefused(ValueError):
    """A head document that is malformed or not signed by this instance's key."""


def check_document(head: dict) -> tuple[Authority, int, bytes]:
    """The authority, size and root of a head, once its signature is checked against the
    key this instance derives for that authority (not the key the document names)."""
    try:
        claims = {key: value for key, value in head.items() if key != "signature"}
        signature = base64.b64decode(head["signature"], validate=True)
        authority = Authority.objects.get(slug=claims["authority"])
        size, root_hash = int(claims["tree_size"]), bytes.fromhex(claims["root_hash"])
    except (KeyError, TypeError, ValueError, Authority.DoesNotExist) as error:
        raise HeadRefused(f"not a tree head of this instance: {error}") from error
    public = signing_key(authority.pk).public_key()
    try:
        public.verify(signature, canonical_bytes(claims))
    except InvalidSignature as error:
        raise HeadRefused(f"{authority.slug}: the signature does not match this instance's "
                          "key: forged, altered, or signed under another master key") from error
    return authority, size, root_hash


def verify_signature(head: dict, public: bytes) -> bool:
    """For anyone holding a published key: does the head's signature hold?"""
    claims = {key: value for key, value in head.items() if key != "signature"}
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(
            base64.b64decode(head["signature"]), canonical_bytes(claims))
    except (InvalidSignature, KeyError, ValueError):
        return False
    return True
