import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from rathaus.audit import triggers
from rathaus.audit.models import AppendOnlyError, AuditEntry
from rathaus.audit.services import record
from rathaus.audit.verification import verify_all
from rathaus.authorities.tenancy import authority_context


def _write_entries(authority, count=5):
    with authority_context(authority):
        for number in range(count):
            record("test.event", data={"number": number})


def _raw(sql, params):
    """Change the log as someone with database access would: triggers dropped first."""
    triggers.drop()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_intact_log_verifies(town, district, capsys):
    _write_entries(town)
    _write_entries(district, 3)
    call_command("audit_verify")
    assert "8 entries verified" in capsys.readouterr().out


def test_entries_link_to_their_predecessor(town):
    _write_entries(town, 3)
    first, second, third = AuditEntry.all_authorities.order_by("seq")
    assert first.prev_hash == "0" * 64
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash


def test_edited_entry_is_found(town):
    _write_entries(town)
    entry = AuditEntry.all_authorities.get(seq=3)
    _raw(f"UPDATE {AuditEntry._meta.db_table} SET data = %s WHERE id = %s",
         ['{"number": 99}', entry.pk])
    with pytest.raises(CommandError, match="2 problem"):  # the entry; the triggers gone
        call_command("audit_verify")
    _, findings = verify_all()
    assert [(f.seq, f.problem) for f in findings] == [(3, "content was changed")]


def test_deleted_entry_is_found(town):
    _write_entries(town)
    _raw(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = %s", [2])
    _, findings = verify_all()
    assert {f.seq for f in findings} == {3}
    assert any("missing" in f.problem for f in findings)


def test_inserted_entry_is_found(town):
    _write_entries(town, 2)
    last = AuditEntry.all_authorities.get(seq=2)
    _raw(
        f"INSERT INTO {AuditEntry._meta.db_table} (authority_id, seq, created_at, actor_label, "
        "action, object_type, object_id, data, prev_hash, hash) "
        "VALUES (%s, 3, %s, 'system', 'forged', '', '', '{}', %s, %s)",
        [town.pk, last.created_at, last.hash, "f" * 64],
    )
    _, findings = verify_all()
    assert any(f.seq == 3 and f.problem == "content was changed" for f in findings)
    assert any(f.seq is None for f in findings), "the chain head no longer matches"


def test_entries_cut_off_the_end_are_found(town):
    _write_entries(town)
    _raw(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq >= %s", [4])
    _, findings = verify_all()
    assert [f.seq for f in findings] == [None]


def test_entries_cannot_be_changed_or_deleted_through_the_application(town):
    _write_entries(town, 1)
    entry = AuditEntry.all_authorities.get()
    entry.action = "changed"
    with authority_context(town):
        with pytest.raises(AppendOnlyError):
            entry.save()
        with pytest.raises(AppendOnlyError):
            entry.delete()


def test_entry_disappears_with_a_rolled_back_change(town):
    with authority_context(town):
        with pytest.raises(RuntimeError), transaction.atomic():
            record("test.event")
            raise RuntimeError("the change failed")
        record("test.event")
    assert list(AuditEntry.all_authorities.values_list("seq", flat=True)) == [1]
    assert verify_all()[1] == []


def test_bulk_changes_to_the_log_are_refused(town):
    _write_entries(town, 2)
    with pytest.raises(AppendOnlyError):
        AuditEntry.all_authorities.update(action="changed")
    with pytest.raises(AppendOnlyError):
        AuditEntry.all_authorities.all().delete()


def test_deleting_an_account_leaves_the_log_verifiable(town):
    from tests.factories import make_citizen

    citizen = make_citizen()
    with authority_context(town):
        record("account.registered", actor=citizen, target=citizen)
    citizen.delete()
    assert verify_all()[1] == []
    assert "bettina@example.org" in AuditEntry.all_authorities.get().actor_label


def test_entries_appended_at_the_end_of_a_block_chain_in_the_order_recorded(town):
    from rathaus.audit.services import appended_at_the_end

    _write_entries(town, 2)
    with authority_context(town), transaction.atomic(), appended_at_the_end():
        for number in range(3):
            record("batched.event", data={"number": number})
        assert not AuditEntry.objects.filter(action="batched.event").exists()  # not yet
    entries = list(AuditEntry.all_authorities.order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert [e.data.get("number") for e in entries[2:]] == [0, 1, 2]
    assert verify_all()[1] == []


def test_a_failing_block_appends_nothing(town):
    from rathaus.audit.services import appended_at_the_end

    with (pytest.raises(ZeroDivisionError), authority_context(town), transaction.atomic(),
          appended_at_the_end()):
        record("batched.event")
        1 / 0
    assert not AuditEntry.all_authorities.exists()


@pytest.mark.django_db(transaction=True)
def test_appending_at_the_end_needs_a_transaction(town):
    from rathaus.audit.services import appended_at_the_end

    with pytest.raises(RuntimeError), authority_context(town), appended_at_the_end():
        pass
