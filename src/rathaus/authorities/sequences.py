"""Numbers that must never repeat, even when many processes ask at once."""

from django.db import IntegrityError, transaction

from .models import Sequence


def next_value(name: str, *, period: str = "") -> int:
    """The next number of the active authority's sequence `name` in `period`.

    Joins the caller's transaction: the row stays locked until it commits, so a rolled
    back caller gives its number back instead of leaving a gap.
    """
    with transaction.atomic():
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
