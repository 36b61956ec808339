"""The audit log against the people who run its database: triggers refuse changes, and
a signed tree head kept from before shows any rewrite, naming the first changed entry,
even when every hash of the chain was recomputed."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from rathaus.audit import merkle, tree, tree_heads, triggers
from rathaus.audit.chain import entry_hash
from rathaus.audit.models import AuditChain, AuditEntry, AuditTreeHead, AuditTreeNode
from rathaus.audit.services import record, record_access
from rathaus.audit.verification import verify_all
from rathaus.authorities.tenancy import authority_context
from tests.factories import make_department, make_staff


def _write(authority, count, start=0):
    with authority_context(authority):
        for number in range(start, start + count):
            record("test.event", data={"number": number})


def _publish(tmp_path, capsys, name="head.json"):
    """`rathaus audit publish_head`, its output kept in a file as an outsider would."""
    capsys.readouterr()
    call_command("audit_publish_head")
    path = tmp_path / name
    path.write_text(capsys.readouterr().out)
    return path


def _sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _rewrite_as_administrator(authority, seq, data):
    """Drop the triggers, change entry `seq`, recompute the hash of every entry from it
    on and move the chain head: the hash chain verifies afterwards."""
    triggers.drop()
    table = AuditEntry._meta.db_table
    _sql(f"UPDATE {table} SET data = %s WHERE authority_id = %s AND seq = %s",
         [json.dumps(data), authority.pk, seq])
    entries = AuditEntry.all_authorities.filter(authority=authority, seq__gte=seq - 1)
    prev_hash = None
    for entry in entries.order_by("seq"):
        if entry.seq < seq:
            prev_hash = entry.hash
            continue
        prev_hash = prev_hash or "0" * 64
        new_hash = entry_hash(entry, prev_hash)
        _sql(f"UPDATE {table} SET prev_hash = %s, hash = %s WHERE id = %s",
             [prev_hash, new_hash, entry.pk])
        prev_hash = new_hash
    _sql(f"UPDATE {AuditChain._meta.db_table} SET last_hash = %s WHERE authority_id = %s",
         [prev_hash, authority.pk])


@pytest.mark.parametrize("table", triggers.TABLES)
@pytest.mark.parametrize("statement", ["UPDATE {table} SET id = id", "DELETE FROM {table}"])
def test_the_database_refuses_changes_to_the_audit_tables(town, citizen, table, statement):
    _write(town, 3)
    tree_heads.sign_head(town)
    staff, _device = make_staff(town, departments=[make_department(town, slug="amt", name="Amt")])
    with authority_context(town):
        record_access(staff=staff, citizen=citizen, what="Vorgang")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql(statement.format(table=table))


def test_a_head_is_signed_only_when_the_log_grew(town):
    _write(town, 5)
    first = tree_heads.sign_head(town)
    assert first.tree_size == 5
    assert tree_heads.sign_head(town) == first
    _write(town, 2, start=5)
    second = tree_heads.sign_head(town)
    assert second.tree_size == 7
    assert tree.tree_size(town.pk) == 7
    assert AuditTreeHead.objects.count() == 2


def test_anyone_with_the_published_key_can_check_a_head(town, client):
    _write(town, 4)
    tree_heads.sign_all_heads()
    response = client.get("/.well-known/rathaus/audit-tree-head.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    (head,) = response.json()["heads"]
    assert head["authority"] == town.slug and head["tree_size"] == 4
    public = __import__("base64").b64decode(head["public_key"])
    assert tree_heads.verify_signature(head, public)
    assert not tree_heads.verify_signature({**head, "tree_size": 3}, public)


def test_the_root_is_the_merkle_root_over_the_entries(town):
    _write(town, 11)
    head = tree_heads.sign_head(town)
    leaves = [tree.entry_leaf(entry) for entry in AuditEntry.all_authorities.order_by("seq")]
    assert bytes.fromhex(head.root_hash) == merkle.range_hash(0, 11, merkle.all_nodes(leaves))


def test_an_intact_log_matches_a_kept_head(town, district, tmp_path, capsys):
    _write(town, 6)
    _write(district, 2)
    kept = _publish(tmp_path, capsys)
    _write(town, 3, start=6)
    call_command("audit_publish_head")
    capsys.readouterr()
    call_command("audit_verify", "--head", str(kept))
    assert "8 entries verified" not in capsys.readouterr().out  # 11 now
    assert verify_all(json.loads(kept.read_text())["heads"])[1] == []


def test_a_recomputed_chain_is_caught_by_a_kept_head(town, district, tmp_path, capsys):
    """The administrator's rewrite: triggers dropped, entry #4 changed, every hash after it
    and the chain head recomputed. The chain alone sees nothing; the kept head does."""
    _write(town, 10)
    _write(district, 3)
    kept = _publish(tmp_path, capsys)
    _write(town, 3, start=10)
    _rewrite_as_administrator(town, 4, {"number": 99})
    # The stored heads stay: without the master key the administrator cannot re-sign them.
    assert AuditTreeHead.objects.filter(authority=town).exists()

    from rathaus.audit.verification import _check_chain

    assert _check_chain(town)[1] == [], "the rewrite is consistent as far as the chain goes"
    with pytest.raises(CommandError, match="problem"):
        call_command("audit_verify", "--head", str(kept))
    report = capsys.readouterr().err
    assert f"{town.slug}: entry #4: history rewritten" in report
    assert "first changed entry #4" in report
    assert district.slug not in report


def test_a_rewritten_tree_and_removed_heads_are_still_caught(town, tmp_path, capsys):
    """A thorough administrator also deletes the stored heads and rebuilds the stored
    tree from the changed entries. Only the kept head remains; it still shows the
    rewrite, and narrows it down as far as the entries it covers."""
    _write(town, 16)
    kept = _publish(tmp_path, capsys)
    _rewrite_as_administrator(town, 9, {"number": -1})
    _sql(f"DELETE FROM {AuditTreeHead._meta.db_table}")
    _sql(f"DELETE FROM {AuditTreeNode._meta.db_table}")
    tree.grow(town.pk)
    tree_heads.sign_head(town)  # a fresh head over the rewritten log, signed by the platform

    assert verify_all()[1] == [], "without the kept head, nothing is left to compare"
    _, findings = verify_all(json.loads(kept.read_text())["heads"])
    (finding,) = findings
    assert "history rewritten" in finding.problem
    assert finding.seq == 1 and "#16" in finding.problem


def test_the_stored_heads_alone_catch_a_rewrite(town):
    _write(town, 7)
    tree_heads.sign_head(town)
    _rewrite_as_administrator(town, 7, {"number": 0})
    (finding,) = verify_all()[1]
    assert finding.seq == 7 and "first changed entry #7" in finding.problem


def test_entries_removed_after_a_head_are_caught(town):
    _write(town, 5)
    tree_heads.sign_head(town)
    triggers.drop()
    _sql(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = 5")
    _sql(f"UPDATE {AuditChain._meta.db_table} SET last_seq = 4, last_hash = %s",
         [AuditEntry.all_authorities.get(seq=4).hash])
    findings = verify_all()[1]
    assert any(f.seq == 5 and "missing" in f.problem for f in findings)


def test_a_forged_head_is_refused(town, tmp_path, capsys):
    _write(town, 3)
    kept = _publish(tmp_path, capsys)
    content = json.loads(kept.read_text())
    content["heads"][0]["tree_size"] = 2
    kept.write_text(json.dumps(content))
    with pytest.raises(CommandError):
        call_command("audit_verify", "--head", str(kept))
    assert "signature does not match" in capsys.readouterr().err


def test_stored_heads_must_be_consistent(town):
    _write(town, 5)
    tree_heads.sign_head(town)
    _write(town, 6, start=5)
    tree_heads.sign_head(town)
    assert verify_all()[1] == []
    triggers.drop()
    _sql(f"UPDATE {AuditTreeNode._meta.db_table} SET hash = %s WHERE level = 2 AND "
         '"index" = 0', [b"\x00" * 32])
    problems = [f.problem for f in verify_all()[1]]
    assert any("does not extend" in problem for problem in problems)


def test_an_inclusion_proof_over_the_stored_tree_verifies(town):
    _write(town, 23)
    head = tree_heads.sign_head(town)
    entry = AuditEntry.all_authorities.get(seq=17)
    path = tree.inclusion_proof(town.pk, 17, head.tree_size)
    root = bytes.fromhex(head.root_hash)
    assert merkle.verify_inclusion(tree.entry_leaf(entry), 16, 23, path, root)
