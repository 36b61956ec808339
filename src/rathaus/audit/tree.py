"""The Merkle tree over each authority's audit entries (RFC 9162), kept as its perfect
subtrees in AuditTreeNode. Entry #n is leaf n - 1; its leaf is the hash of the same
canonical content the hash chain covers.

The tree grows when a head is signed, not when an entry is written, so writing an
entry costs nothing extra. Proofs are about the entries up to a signed head.
"""

from types import SimpleNamespace

from django.db import IntegrityError, connection, transaction

from . import merkle
from .chain import canonical_bytes, entry_content
from .models import AuditEntry, AuditTreeNode

GROW_BATCH = 5000


def entry_leaf(entry: AuditEntry) -> bytes:
    return merkle.leaf_hash(canonical_bytes(entry_content(entry)))


# What entry_content reads, fetched as plain rows: growing the tree over many entries
# spends most of its time building model instances otherwise.
_CONTENT = ("authority_id", "seq", "created_at", "actor_id", "actor_label", "action",
            "object_type", "object_id", "data")


def _leaf(row: tuple) -> bytes:
    return entry_leaf(SimpleNamespace(**dict(zip(_CONTENT, row, strict=True))))


def tree_size(authority_id: int) -> int:
    last = (AuditTreeNode.objects.filter(authority_id=authority_id, level=0)
            .order_by("-index").values_list("index", flat=True).first())
    return 0 if last is None else last + 1


_NODES = connection.ops.quote_name(AuditTreeNode._meta.db_table)


def stored_nodes(authority_id: int, keys) -> dict[merkle.NodeKey, bytes]:
    """The stored subtrees named by `keys`, in one query."""
    keys = sorted(set(keys))
    if not keys:
        return {}
    pairs = ", ".join(["(%s, %s)"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT level, "index", hash FROM {_NODES}'  # noqa: S608
                       f' WHERE authority_id = %s AND (level, "index") IN ({pairs})',
                       [authority_id, *(number for key in keys for number in key)])
        found = {(level, index): bytes(value) for level, index, value in cursor.fetchall()}
    missing = set(keys) - set(found)
    if missing:
        raise LookupError(f"the audit tree lacks nodes {sorted(missing)[:5]}")
    return found


def _insert_nodes(authority_id: int, nodes: dict[merkle.NodeKey, bytes]) -> None:
    """Plain multi-row INSERTs: a tree node is four numbers, and the ORM's bulk_create
    took most of the signer's time building and converting instances."""
    items = sorted(nodes.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), 1000):
            chunk = items[start:start + 1000]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            cursor.execute(f'INSERT INTO {_NODES} (authority_id, level, "index", hash)'  # noqa: S608
                           f" VALUES {values}",
                           [value for (level, index), node in chunk
                            for value in (authority_id, level, index, node)])


def root(authority_id: int, size: int) -> bytes:
    return merkle.range_hash(0, size, stored_nodes(authority_id, merkle.root_keys(size)))


def inclusion_proof(authority_id: int, seq: int, size: int) -> list[bytes]:
    ranges = merkle.inclusion_ranges(seq - 1, size)
    return merkle.proof(ranges, stored_nodes(authority_id, merkle.keys_for(ranges)))


def consistency_proof(authority_id: int, old_size: int, new_size: int) -> list[bytes]:
    ranges = merkle.consistency_ranges(old_size, new_size)
    return merkle.proof(ranges, stored_nodes(authority_id, merkle.keys_for(ranges)))


def grow(authority_id: int, *, up_to: int | None = None) -> int:
    """Add the entries written since the tree last grew; returns the new size.

    Entries are numbered under the chain head's lock in commit order, so those visible
    always run #1 to #n without gaps. Two workers growing at once: one wins, the other's
    insert fails on the unique key and it reports the size the winner reached.
    """
    size = tree_size(authority_id)
    while up_to is None or size < up_to:
        entries = AuditEntry.all_authorities.filter(authority_id=authority_id, seq__gt=size)
        if up_to is not None:
            entries = entries.filter(seq__lte=up_to)
        batch = list(entries.order_by("seq").values_list(*_CONTENT)[:GROW_BATCH])
        if not batch:
            break
        if batch[0][1] != size + 1 or batch[-1][1] != size + len(batch):
            raise LookupError(f"audit entries after #{size} are not numbered without gaps")
        frontier = stored_nodes(authority_id, merkle.root_keys(size))
        new = merkle.grow(size, [_leaf(row) for row in batch], frontier)
        try:
            with transaction.atomic():
                _insert_nodes(authority_id, new)
        except IntegrityError:
            return tree_size(authority_id)
        size += len(batch)
    return size
