"""The metadata document that travels beside the encrypted parts, in the clear: what a
destination needs to route and check a hand-over before it decrypts anything.

    {"version": 1, "submission_id": "<uuid>", "service_id": "fahrzeug-zulassen",
     "reference": "…", "created_at": "2026-12-06T08:00:00Z",
     "sender": {"slug": "leichlingen", "name": "Stadt Leichlingen",
                "municipality_key": "05378020"},
     "destination": {"slug": "rbk", "municipality_key": "05378"},
     "content": {"data": {"media_type": "application/json", "sha256": "<hex>"},
                 "attachments": [{"media_type": "application/pdf", "sha256": "<hex>",
                                  "size": 1234}]}}

File names are not in it: they say something about the person, so they travel
encrypted inside the data part (see `content_document`).
"""

import datetime
import hashlib
import json
import re
import uuid

VERSION = 1
_SHA256 = re.compile(r"[0-9a-f]{64}")
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,50}")


class MetadataRefused(ValueError):
    """Not a metadata document of this version; the message says what is wrong."""


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def canonical_json(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode()


def content_document(*, data: dict, attachments: list[tuple[str, str, bytes]]) -> bytes:
    """The plaintext of the data part: the application's data and the attachments'
    names and types, in their order."""
    return canonical_json({
        "data": data,
        "attachments": [{"filename": name, "media_type": media_type}
                        for name, media_type, _content in attachments],
    })


def party(authority) -> dict:
    return {"slug": authority.slug, "name": authority.name,
            "municipality_key": authority.municipality_key}


def build(*, submission_id: uuid.UUID, service_id: str, reference: str, sender, destination,
          data_plaintext: bytes, attachments: list[tuple[str, str, bytes]],
          created_at: datetime.datetime) -> dict:
    return {
        "version": VERSION,
        "submission_id": str(submission_id),
        "service_id": service_id,
        "reference": reference,
        "created_at": created_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sender": party(sender),
        "destination": {"slug": destination.slug,
                        "municipality_key": destination.municipality_key},
        "content": {
            "data": {"media_type": "application/json", "sha256": sha256(data_plaintext)},
            "attachments": [
                {"media_type": media_type, "sha256": sha256(content), "size": len(content)}
                for _name, media_type, content in attachments
            ],
        },
    }


def check(document) -> dict:
    """The document if it has every member in the right form; MetadataRefused if not."""
    if not isinstance(document, dict) or document.get("version") != VERSION:
        raise MetadataRefused(f"version must be {VERSION}")
    try:
        _text(document, "submission_id", 36, required=True)
        uuid.UUID(document["submission_id"])
        _text(document, "service_id", 100, required=True)
        _text(document, "reference", 100)
        _text(document, "created_at", 40, required=True)
        created = datetime.datetime.fromisoformat(document["created_at"].replace("Z", "+00:00"))
        if created.tzinfo is None:
            raise MetadataRefused("created_at must name its time zone (e.g. Z)")
        for side in ("sender", "destination"):
            _party(document[side], side)
        content = document["content"]
        _hash(content["data"], "content.data")
        if not isinstance(content["attachments"], list):
            raise MetadataRefused("content.attachments must be a list")
        for index, attachment in enumerate(content["attachments"]):
            _hash(attachment, f"content.attachments[{index}]")
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, MetadataRefused):
            raise
        raise MetadataRefused(f"missing or malformed: {error}") from None
    return document


def _text(document: dict, name: str, limit: int, *, required: bool = False) -> None:
    value = document.get(name, "")
    if not isinstance(value, str) or len(value) > limit or (required and not value):
        raise MetadataRefused(f"{name} must be a text of at most {limit} characters")


def _party(party, side: str) -> None:
    if not isinstance(party, dict):
        raise MetadataRefused(f"{side} must be an object")
    slug = party.get("slug")
    if not isinstance(slug, str) or not _SLUG.fullmatch(slug):
        raise MetadataRefused(f"{side}.slug is missing or malformed")
    for name in ("name", "municipality_key"):
        if not isinstance(party.get(name, ""), str) or len(party.get(name, "")) > 200:
            raise MetadataRefused(f"{side}.{name} must be a text")


def _hash(part, where: str) -> None:
    if not isinstance(part, dict) or not _SHA256.fullmatch(str(part.get("sha256", ""))):
        raise MetadataRefused(f"{where}.sha256 must be 64 lower-case hex digits")
    if not isinstance(part.get("media_type"), str):
        raise MetadataRefused(f"{where}.media_type is missing")
