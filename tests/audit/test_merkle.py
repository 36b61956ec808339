"""The tree's hashes and proofs against RFC 9162's recursive definitions, written out
here as the RFC states them, for every tree size up to 70."""

import hashlib
import random

import pytest

from rathaus.audit import merkle

SIZES = range(1, 71)


def _leaves(count):
    return [merkle.leaf_hash(f"entry {number}".encode()) for number in range(count)]


def _k(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def _mth(leaves):
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = _k(len(leaves))
    return merkle.node_hash(_mth(leaves[:k]), _mth(leaves[k:]))


def _path(m, leaves):
    if len(leaves) <= 1:
        return []
    k = _k(len(leaves))
    if m < k:
        return _path(m, leaves[:k]) + [_mth(leaves[k:])]
    return _path(m - k, leaves[k:]) + [_mth(leaves[:k])]


def _subproof(m, leaves, whole):
    if m == len(leaves):
        return [] if whole else [_mth(leaves)]
    k = _k(len(leaves))
    if m <= k:
        return _subproof(m, leaves[:k], whole) + [_mth(leaves[k:])]
    return _subproof(m - k, leaves[k:], False) + [_mth(leaves[:k])]


def test_the_empty_tree_has_the_hash_of_nothing():
    assert merkle.range_hash(0, 0, {}) == hashlib.sha256(b"").digest()


@pytest.mark.parametrize("size", SIZES)
def test_root_from_stored_subtrees_is_the_rfc_root(size):
    leaves = _leaves(size)
    assert merkle.range_hash(0, size, merkle.all_nodes(leaves)) == _mth(leaves)


@pytest.mark.parametrize("size", SIZES)
def test_growing_in_steps_stores_the_same_subtrees_as_building_at_once(size):
    leaves, nodes, grown = _leaves(size), {}, 0
    rng = random.Random(size)
    while grown < size:
        step = rng.randint(1, size - grown)
        frontier = {key: nodes[key] for key in merkle.root_keys(grown)}
        nodes.update(merkle.grow(grown, leaves[grown:grown + step], frontier))
        grown += step
    assert nodes == merkle.all_nodes(leaves)


@pytest.mark.parametrize("size", SIZES)
def test_inclusion_proofs_match_the_rfc_and_verify(size):
    leaves = _leaves(size)
    nodes, root = merkle.all_nodes(leaves), _mth(leaves)
    for index in range(size):
        path = merkle.proof(merkle.inclusion_ranges(index, size), nodes)
        assert path == _path(index, leaves)
        assert merkle.verify_inclusion(leaves[index], index, size, path, root)
        assert not merkle.verify_inclusion(merkle.leaf_hash(b"forged"), index, size, path, root)
        if path:
            bent = [*path[:-1], merkle.leaf_hash(b"x")]
            assert not merkle.verify_inclusion(leaves[index], index, size, bent, root)


@pytest.mark.parametrize("new_size", SIZES)
def test_consistency_proofs_match_the_rfc_and_verify(new_size):
    leaves = _leaves(new_size)
    nodes, new_root = merkle.all_nodes(leaves), _mth(leaves)
    for old_size in range(1, new_size + 1):
        path = merkle.proof(merkle.consistency_ranges(old_size, new_size), nodes)
        assert path == _subproof(old_size, leaves, True)
        old_root = _mth(leaves[:old_size])
        assert merkle.verify_consistency(old_size, new_size, old_root, new_root, path)
        forged = _mth([merkle.leaf_hash(b"rewritten"), *leaves[1:old_size]])
        assert not merkle.verify_consistency(old_size, new_size, forged, new_root, path)


def test_a_leaf_outside_the_tree_has_no_proof():
    with pytest.raises(ValueError):
        merkle.inclusion_ranges(5, 5)
    assert not merkle.verify_inclusion(b"", 5, 5, [], b"")
