"""Writing the audit trail. Call these inside the transaction of the change they record."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, models, transaction
from django.utils import timezone

from rathaus.authorities.tenancy import authority_context, current_authority

from .chain import entry_hash
from .models import AccessLogEntry, AuditChain, AuditEntry


def _describe(actor) -> str:
    if actor is None:
        return "system"
    return f"{actor.full_name} <{actor.email}>"


# Entries waiting for the end of an `appended_at_the_end` block; None outside one.
_pending: ContextVar[list[AuditEntry] | None] = ContextVar("audit_pending", default=None)


def _entry(action: str, *, actor, target: models.Model | None, data: dict | None
           ) -> AuditEntry:
    return AuditEntry(
        authority=current_authority(),
        created_at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_describe(actor),
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        data=data or {},
    )


def record(
    action: str,
    *,
    actor=None,
    target: models.Model | None = None,
    data: dict | None = None,
) -> AuditEntry:
    """Append an entry to the active authority's audit chain.

    Joins the caller's transaction, so the entry exists exactly when the change does.
    Inside `appended_at_the_end()` the entry is appended when that block ends.
    """
    entry = _entry(action, actor=actor, target=target, data=data)
    pending = _pending.get()
    if pending is not None:
        pending.append(entry)
    else:
        _append([entry])
    return entry


@contextmanager
def appended_at_the_end():
    """Collect the audit entries recorded in the block and append them together when it
    ends, still inside the caller's transaction.

    The chain head's lock serialises every writer of an authority until its commit.
    Appended at the end, it is held for the last milliseconds of a transaction instead
    of from its first entry on, so that slow work (typesetting, encryption) of two
    writers can overlap. Use it only around blocks that let errors through: an entry
    recorded in a part that is rolled back to a savepoint and then carried on from
    would still be appended.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("appended_at_the_end() belongs inside a transaction.")
    if _pending.get() is not None:  # an enclosing block appends them
        yield
        return
    token = _pending.set([])
    try:
        yield
        entries = _pending.get()
    finally:
        _pending.reset(token)
    # A block may write for two authorities (a Rückmeldung to the previous town): each
    # gets its entries on its own chain, the heads locked in one order so that two
    # such blocks cannot wait for each other.
    for authority_id in sorted({entry.authority_id for entry in entries}):
        batch = [entry for entry in entries if entry.authority_id == authority_id]
        with authority_context(batch[0].authority):
            _append(batch)


def _append(entries: list[AuditEntry]) -> None:
    """Chain the entries, in order, onto their authority's head and store them."""
    authority = entries[0].authority
    if any(entry.authority_id != authority.pk for entry in entries):
        raise ValueError("One batch of audit entries belongs to one authority.")
    with transaction.atomic(savepoint=False):
        # One query for the head and its lock; only an authority's first entry creates it.
        head = _lock_head(authority.pk)
        if head is None:
            AuditChain.objects.get_or_create(authority=authority)
            head = _lock_head(authority.pk)
        chain_id, seq, last_hash = head
        for entry in entries:
            seq += 1
            entry.seq, entry.prev_hash = seq, last_hash
            entry.hash = last_hash = entry_hash(entry, last_hash)
        if len(entries) == 1:
            entries[0].save()
        else:
            AuditEntry.objects.bulk_create(entries)
        _move_head(chain_id, seq, last_hash)


# The head's two statements are written out: every writing transaction of an authority
# waits for the head's lock, which lasts from the first statement to the commit, and
# built by the ORM they took twice the time.
_HEAD = connection.ops.quote_name(AuditChain._meta.db_table)


def _lock_head(authority_id: int) -> tuple[int, int, str] | None:
    """Id, last sequence number and last hash of the authority's chain, locked until the
    transaction ends. The lock serialises appenders on PostgreSQL; SQLite's IMMEDIATE
    transactions already do."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, last_seq, last_hash FROM {_HEAD}"  # noqa: S608
                       f" WHERE authority_id = %s{lock}", [authority_id])
        return cursor.fetchone()


def _move_head(chain_id: int, seq: int, last_hash: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_HEAD} SET last_seq = %s, last_hash = %s"  # noqa: S608
                       " WHERE id = %s", [seq, last_hash, chain_id])


def record_access(*, staff, citizen, what: str, target: models.Model | None = None):
    """Log that a staff member opened a citizen's data: readable for the citizen in the
    access log, and as an entry of the audit log, whose inclusion proof the citizen can
    download. The audit entry names the citizen by account number only."""
    return record_accesses(staff=staff, accesses=[(citizen, what, target)])[0]


def record_accesses(*, staff, accesses) -> list[AccessLogEntry]:
    """`record_access` for several looks at once (a list of a team's members): each
    `(citizen, what, target)` of `accesses` gets the same rows as its own call would,
    chained in this order, with one lock of the chain head and one insert of each kind
    whatever their number."""
    accesses = list(accesses)
    if not accesses:
        return []
    with transaction.atomic():
        entries = [_entry("personal_data.viewed", actor=staff, target=target,
                          data={"citizen": citizen.pk, "what": what})
                   for citizen, what, target in accesses]
        _append(entries)  # at once even inside appended_at_the_end: the rows below need them
        rows = [AccessLogEntry(staff=staff, citizen=citizen, what=what,
                               object_type=entry.object_type, object_id=entry.object_id,
                               audit_entry=entry)
                for (citizen, what, _target), entry in zip(accesses, entries, strict=True)]
        if len(rows) == 1:
            rows[0].save()
        else:
            AccessLogEntry.objects.bulk_create(rows)
        return rows
