"""Checking the audit log.

Two checks over each authority's entries:

- the hash chain: every edited, inserted or removed entry shows up, unless someone with
  write access recomputed every hash after it and the chain head;
- the signed tree heads: the Merkle root over the entries' content must still be the
  root each head signed. The heads stored here, and any head kept outside
  (`rathaus audit verify --head FILE`), catch that rewrite too, since nobody without
  the master key can sign a new one. Consecutive stored heads must also be consistent
  (RFC 9162 consistency proofs from the stored tree): the log only ever grew.
"""

from dataclasses import dataclass

from rathaus.authorities.models import Authority

from . import merkle, tree, tree_heads
from .chain import entry_hash
from .models import AuditChain, AuditEntry, AuditTreeHead


@dataclass(frozen=True)
class Finding:
    authority: str
    seq: int | None
    problem: str

    def __str__(self) -> str:
        where = f"entry #{self.seq}" if self.seq is not None else "chain head"
        return f"{self.authority}: {where}: {self.problem}"


@dataclass(frozen=True)
class TrustedHead:
    """A head whose signature held: its size and root are the truth at signing time."""

    tree_size: int
    root: bytes
    label: str


def _check_chain(authority: Authority) -> tuple[list[bytes], list[Finding]]:
    """The chain's findings, and the leaf of every entry in order for the tree checks."""
    findings: list[Finding] = []
    leaves: list[bytes] = []
    expected_seq, prev_hash = 1, "0" * 64
    entries = AuditEntry.all_authorities.filter(authority=authority).order_by("seq")
    for entry in entries.iterator(chunk_size=2000):
        leaves.append(tree.entry_leaf(entry))
        if entry.seq != expected_seq:
            findings.append(Finding(authority.slug, entry.seq,
                                    f"expected #{expected_seq}: entries missing or inserted"))
        if entry.prev_hash != prev_hash:
            findings.append(
                Finding(authority.slug, entry.seq, "does not link to the entry before it"))
        if entry_hash(entry, entry.prev_hash) != entry.hash:
            findings.append(Finding(authority.slug, entry.seq, "content was changed"))
        expected_seq, prev_hash = entry.seq + 1, entry.hash
    head = AuditChain.objects.filter(authority=authority).first()
    last_seq = expected_seq - 1
    if head is not None and (head.last_seq != last_seq or head.last_hash != prev_hash):
        findings.append(Finding(
            authority.slug, None,
            f"chain head expects #{head.last_seq} but the log ends at #{last_seq}"))
    if head is None and leaves:
        findings.append(Finding(authority.slug, None, "entries exist without a chain head"))
    return leaves, findings


def _stored_heads(authority: Authority) -> tuple[list[TrustedHead], list[Finding]]:
    trusted, findings = [], []
    for head in AuditTreeHead.objects.filter(authority=authority).order_by("tree_size"):
        label = f"the head signed {head.signed_at:%Y-%m-%d %H:%M} UTC over {head.tree_size}"
        try:
            _, size, root = tree_heads.check_document(tree_heads.document(head))
        except tree_heads.HeadRefused:
            findings.append(Finding(authority.slug, None, f"{label}: signature does not hold"))
            continue
        trusted.append(TrustedHead(size, root, label))
    return trusted, findings


def _consistency(authority: Authority, heads: list[TrustedHead]) -> list[Finding]:
    """Each stored head must extend the one before, proven from the stored tree."""
    findings = []
    for old, new in zip(heads, heads[1:], strict=False):
        try:
            path = tree.consistency_proof(authority.pk, old.tree_size, new.tree_size)
        except LookupError:
            path = []
        if not merkle.verify_consistency(old.tree_size, new.tree_size, old.root, new.root,
                                         path):
            findings.append(Finding(authority.slug, None,
                                    f"{new.label} does not extend {old.label}: history "
                                    "between them was rewritten"))
    return findings


def _first_changed(authority: Authority, head: TrustedHead, nodes) -> tuple[int, int]:
    """The first entry whose leaf differs from the head's tree, as (first, last) seq:
    exact (first == last) while the stored tree still hashes up to the signed root,
    else the span the stored tree can no longer vouch for."""
    size = head.tree_size
    try:
        stored = tree.stored_nodes(authority.pk, merkle.root_keys(size))
    except LookupError:
        return 1, size
    if merkle.range_hash(0, size, stored) != head.root:
        return 1, size  # the stored tree was rewritten as well
    for level, index in merkle.root_keys(size):
        if stored[(level, index)] == nodes[(level, index)]:
            continue
        parent = stored[(level, index)]
        while level > 0:
            left, right = (level - 1, 2 * index), (level - 1, 2 * index + 1)
            try:
                children = tree.stored_nodes(authority.pk, [left, right])
            except LookupError:
                children = {}
            if merkle.node_hash(children.get(left, b""), children.get(right, b"")) != parent:
                return (index << level) + 1, (index + 1) << level
            level, index = left if children[left] != nodes[left] else right
            parent = children[(level, index)]
        return index + 1, index + 1
    return 1, size


def _check_heads(authority: Authority, leaves: list[bytes],
                 kept: list[TrustedHead]) -> list[Finding]:
    stored, findings = _stored_heads(authority)
    heads = sorted([*stored, *kept], key=lambda head: head.tree_size)
    if not heads:
        return findings
    nodes = merkle.all_nodes(leaves)
    broken = []
    for head in heads:
        if head.tree_size > len(leaves):
            findings.append(Finding(authority.slug, len(leaves) + 1,
                                    f"missing: {head.label} entries"))
        elif merkle.range_hash(0, head.tree_size, nodes) != head.root:
            broken.append(head)
    if broken:
        head = broken[0]
        first, last = _first_changed(authority, head, nodes)
        matching = [h.tree_size for h in heads if h not in broken and h.tree_size < last]
        first = max(first, max(matching, default=0) + 1)
        where = "first changed entry" if first == last else f"first change between #{first} and"
        findings.append(Finding(
            authority.slug, first,
            f"history rewritten: the entries no longer match {head.label}; "
            f"{where} #{last}"))
    findings.extend(_consistency(authority, stored))
    return findings


def verify_authority(authority: Authority,
                     kept: list[TrustedHead] = ()) -> tuple[int, list[Finding]]:
    leaves, findings = _check_chain(authority)
    findings.extend(_check_heads(authority, leaves, list(kept)))
    return len(leaves), findings


def trust_kept_heads(documents: list[dict]) -> tuple[dict[int, list[TrustedHead]],
                                                      list[Finding]]:
    """Heads kept outside the database (files): checked against this instance's keys."""
    kept: dict[int, list[TrustedHead]] = {}
    findings = []
    for document in documents:
        try:
            authority, size, root = tree_heads.check_document(document)
        except tree_heads.HeadRefused as error:
            findings.append(Finding(str(document.get("authority", "?")), None,
                                    f"kept head refused: {error}"))
            continue
        label = f"the kept head of {document.get('timestamp', '?')} over {size}"
        kept.setdefault(authority.pk, []).append(TrustedHead(size, root, label))
    return kept, findings


def verify_all(kept_documents: list[dict] = ()) -> tuple[int, list[Finding]]:
    kept, findings = trust_kept_heads(list(kept_documents))
    total = 0
    for authority in Authority.objects.order_by("pk"):
        count, found = verify_authority(authority, kept.get(authority.pk, []))
        total += count
        findings.extend(found)
    return total, findings
