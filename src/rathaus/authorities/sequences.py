"""Numbers that must never repeat, even when many processes ask at once."""

from django.db import IntegrityError, connection, transaction

from .models import ReservedNumber, Sequence
from .tenancy import current_authority


def next_value(name: str, *, period: str = "") -> int:
    """The next number of the active authority's sequence `name` in `period`.

    Joins the caller's transaction: the row stays locked until it commits, so a rolled
    back caller gives its number back instead of leaving a gap.
    """
    authority_id = current_authority().pk
    with transaction.atomic(savepoint=False):
        value = _increment(authority_id, name, period)
        if value is None:  # the sequence's first number: make its row
            try:
                with transaction.atomic():
                    Sequence.objects.create(name=name, period=period)
            except IntegrityError:
                pass  # another process created it first; it is there now
            value = _increment(authority_id, name, period)
        return value


def _increment(authority_id: int, name: str, period: str) -> int | None:
    """Counts the row up and returns the new value in one statement (PostgreSQL and
    SQLite both have RETURNING); the UPDATE's row lock lasts until the commit."""
    table = connection.ops.quote_name(Sequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_value = last_value + 1"  # noqa: S608 (our table name)
            " WHERE authority_id = %s AND name = %s AND period = %s RETURNING last_value",
            [authority_id, name, period],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def reserve_value(name: str, *, key: str, period: str = "") -> int:
    """The number of sequence `name` set aside for `key` (say "case:<id>"): drawn and
    kept by the first call, returned unchanged by every later one.

    Call it before the transaction that uses the number. `next_value` inside a long
    transaction holds the sequence's row lock, which every draw of the authority waits
    for, until that transaction commits; drawn here, in a short transaction of its own,
    the lock lasts one draw, and slow work (typesetting, encryption) of several
    processes can overlap. The price: a number reserved for work that never completes
    stays unused, a gap that `next_value` would not leave. Inside a transaction this
    looks for the reservation first, so the number reserved beforehand is found without
    a lock; a number drawn there is no better than `next_value`'s, but still correct.
    """
    authority_id = current_authority().pk
    if transaction.get_connection().in_atomic_block:
        reserved = _reserved(name, period, key)
        if reserved is not None:
            return reserved
    try:
        with transaction.atomic():
            value = next_value(name, period=period)
            if _keep(authority_id, name, period, key, value):
                return value
            raise _ReservedBefore  # rolls the draw back: the sequence gives it out again
    except _ReservedBefore:
        pass
    return _reserved(name, period, key)


def _reserved(name: str, period: str, key: str) -> int | None:
    return (ReservedNumber.objects.filter(name=name, period=period, key=key)
            .values_list("value", flat=True).first())


class _ReservedBefore(Exception):
    pass


def _keep(authority_id: int, name: str, period: str, key: str, value: int) -> bool:
    """Records `value` as reserved for `key`; False if `key` has a number already.

    Drawing first and recording second takes two statements for the usual first call;
    looking up first would take three.
    """
    table = connection.ops.quote_name(ReservedNumber._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (authority_id, name, period, key, value)"  # noqa: S608
            " VALUES (%s, %s, %s, %s, %s)"
            " ON CONFLICT (authority_id, name, period, key) DO NOTHING RETURNING value",
            [authority_id, name, period, key, value],
        )
        return cursor.fetchone() is not None
