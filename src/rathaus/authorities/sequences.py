"""Numbers that must never repeat, even when many processes ask at once."""

from django.db import IntegrityError, transaction

from .models import ReservedNumber, Sequence


def next_value(name: str, *, period: str = "") -> int:
    """The next number of the active authority's sequence `name` in `period`.

    Joins the caller's transaction: the row stays locked until it commits, so a rolled
    back caller gives its number back instead of leaving a gap.
    """
    with transaction.atomic(savepoint=False):
        # Locked straight away when it exists, which is every time but the first: no
        # failing INSERT (four round trips and an error in the server log) per number.
        sequence = Sequence.objects.select_for_update().filter(name=name, period=period).first()
        if sequence is None:
            try:
                with transaction.atomic():
                    Sequence.objects.create(name=name, period=period)
            except IntegrityError:
                pass  # another process created it first; it is there now
            sequence = Sequence.objects.select_for_update().get(name=name, period=period)
        sequence.last_value += 1
        sequence.save(update_fields=["last_value"])
        return sequence.last_value


def reserve_value(name: str, *, key: str, period: str = "") -> int:
    """The number of sequence `name` set aside for `key` (say "case:<id>"): drawn and
    kept by the first call, returned unchanged by every later one.

    Call it before the transaction that uses the number. `next_value` inside a long
    transaction holds the sequence's row lock, which every draw of the authority waits
    for, until that transaction commits; drawn here, in a short transaction of its own,
    the lock lasts one draw, and slow work (typesetting, encryption) of several
    processes can overlap. The price: a number reserved for work that never completes
    stays unused, a gap that `next_value` would not leave. Inside a transaction this
    joins it and is then no better than `next_value`, but still correct.
    """
    for _attempt in range(2):
        try:
            with transaction.atomic():
                kept = (ReservedNumber.objects.filter(name=name, period=period, key=key)
                        .values_list("value", flat=True).first())
                if kept is not None:
                    return kept
                value = next_value(name, period=period)
                ReservedNumber.objects.create(name=name, period=period, key=key, value=value)
                return value
        except IntegrityError:
            continue  # a concurrent call reserved it first (and our draw rolled back)
    raise RuntimeError(f"Could not reserve a number of {name} for {key}.")
