"""Merkle tree hashes and proofs as RFC 9162 (Certificate Transparency 2.0) defines them.

Pure functions over hashes; where the tree's nodes come from is the caller's business.
A node is named by its key (level, index): the perfect subtree over the leaves
[index * 2**level, (index + 1) * 2**level). Once the tree has grown over it, such a
subtree never changes, so it can be stored once and proofs need only a few of them.
"""

import hashlib
from collections.abc import Mapping, Sequence

NodeKey = tuple[int, int]
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _largest_power_below(n: int) -> int:
    """The k of RFC 9162: the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def perfect_subtrees(start: int, end: int) -> list[NodeKey]:
    """The stored subtrees that make up the leaves [start, end), largest first.

    Holds for the ranges the RFC's recursion splits a tree into: each starts at a
    multiple of its largest piece.
    """
    keys = []
    while start < end:
        level = (end - start).bit_length() - 1
        while start % (1 << level):
            level -= 1
        keys.append((level, start >> level))
        start += 1 << level
    return keys


def range_hash(start: int, end: int, nodes: Mapping[NodeKey, bytes]) -> bytes:
    """MTH(D[start:end]) from the stored subtrees of the range."""
    pieces = [nodes[key] for key in perfect_subtrees(start, end)]
    if not pieces:
        return EMPTY_ROOT
    result = pieces[-1]
    for piece in reversed(pieces[:-1]):
        result = node_hash(piece, result)
    return result


def root_keys(size: int) -> list[NodeKey]:
    return perfect_subtrees(0, size)


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose hashes form PATH(index, D[size]), bottom-up."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    ranges, start, end = [], 0, size
    while end - start > 1:
        k = _largest_power_below(end - start)
        if index < start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    return ranges[::-1]


def consistency_ranges(old_size: int, new_size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose hashes form PROOF(old_size, D[new_size])."""
    if not 0 < old_size <= new_size:
        raise ValueError(f"no consistency proof from {old_size} to {new_size}")
    ranges, start, end, whole, m = [], 0, new_size, True, old_size
    while m != end - start:
        k = _largest_power_below(end - start)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start, m, whole = start + k, m - k, False
    if not whole:
        ranges.append((start, end))
    return ranges[::-1]


def keys_for(ranges: Sequence[tuple[int, int]]) -> set[NodeKey]:
    return {key for start, end in ranges for key in perfect_subtrees(start, end)}


def proof(ranges: Sequence[tuple[int, int]], nodes: Mapping[NodeKey, bytes]) -> list[bytes]:
    return [range_hash(start, end, nodes) for start, end in ranges]


def verify_inclusion(leaf: bytes, index: int, size: int, path: Sequence[bytes],
                     root: bytes) -> bool:
    """RFC 9162, 2.1.3.2."""
    if not 0 <= index < size:
        return False
    fn, sn, result = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            result = node_hash(result, sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and result == root


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes,
                       path: Sequence[bytes]) -> bool:
    """RFC 9162, 2.1.4.2: the tree of new_size contains the tree of old_size unchanged."""
    if old_size == new_size:
        return not path and old_root == new_root
    if not 0 < old_size < new_size or not path:
        return False
    path = list(path)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is a node of the new
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    first = second = path[0]
    for sibling in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            first, second = node_hash(sibling, first), node_hash(sibling, second)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            second = node_hash(second, sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and first == old_root and second == new_root


def grow(old_size: int, leaves: Sequence[bytes],
         frontier: Mapping[NodeKey, bytes]) -> dict[NodeKey, bytes]:
    """The subtrees that appending `leaves` (leaf hashes) completes.

    `frontier` holds the nodes of `root_keys(old_size)`: the only old nodes a new one
    can have as a child.
    """
    nodes = dict(frontier)
    new: dict[NodeKey, bytes] = {}
    for offset, leaf in enumerate(leaves):
        nodes[(0, old_size + offset)] = new[(0, old_size + offset)] = leaf
    new_size, level = old_size + len(leaves), 1
    while new_size >> level:
        for index in range(old_size >> level, new_size >> level):
            value = node_hash(nodes[(level - 1, 2 * index)], nodes[(level - 1, 2 * index + 1)])
            nodes[(level, index)] = new[(level, index)] = value
        level += 1
    return new


def all_nodes(leaves: Sequence[bytes]) -> dict[NodeKey, bytes]:
    """Every stored subtree of a tree over `leaves`, from scratch."""
    return grow(0, leaves, {})
