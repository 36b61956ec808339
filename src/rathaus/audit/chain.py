"""The hash over one audit entry. Changing any recorded field changes the hash."""

import hashlib
import json


def canonical_bytes(content: dict) -> bytes:
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode("utf-8")


def entry_content(entry) -> dict:
    return {
        "authority": entry.authority_id,
        "seq": entry.seq,
        "created_at": entry.created_at.isoformat(),
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "data": entry.data,
    }


def entry_hash(entry, prev_hash: str) -> str:
    content = canonical_bytes(entry_content(entry))
    return hashlib.sha256(prev_hash.encode("ascii") + content).hexdigest()
