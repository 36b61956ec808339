"""Inclusion proofs a person can keep: "this entry is in the audit log", checkable
against a signed tree head without trusting the database (RFC 9162, 2.1.3)."""

from . import merkle, tree, tree_heads
from .chain import canonical_bytes, entry_content
from .models import AuditEntry

FORMAT = "rathaus-audit-inclusion-proof/1"


def inclusion_document(entry: AuditEntry) -> dict | None:
    """The entry, its proof and the signed head it leads to; None until a head covers
    the entry (heads are signed every few minutes)."""
    head = tree_heads.latest_head(entry.authority_id)
    if head is None or head.tree_size < entry.seq:
        return None
    return {
        "format": FORMAT,
        "entry": entry_content(entry),
        "leaf_index": entry.seq - 1,
        "inclusion_proof": [node.hex() for node in
                            tree.inclusion_proof(entry.authority_id, entry.seq, head.tree_size)],
        "tree_head": tree_heads.document(head),
    }


def check_inclusion_document(document: dict) -> str:
    """What the proof shows, once the head's signature (by this instance's key) and the
    path to its root hold; raises ValueError saying what does not."""
    try:
        content, index = document["entry"], int(document["leaf_index"])
        path = [bytes.fromhex(node) for node in document["inclusion_proof"]]
        head = document["tree_head"]
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"not an inclusion proof: {error}") from error
    authority, size, root = tree_heads.check_document(head)  # HeadRefused is a ValueError
    leaf = merkle.leaf_hash(canonical_bytes(content))
    if not merkle.verify_inclusion(leaf, index, size, path, root):
        raise ValueError("the entry and its proof do not lead to the signed root")
    return (f"{authority.slug}: entry #{index + 1} ({content.get('action')}, "
            f"{content.get('created_at')}) is in the audit log signed on "
            f"{head.get('timestamp')} over {size} entries.")
