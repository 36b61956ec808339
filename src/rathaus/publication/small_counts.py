"""The small-count rule of every published aggregate: no count below `MIN_COUNT`, so
that no person can be singled out, and nothing computed from so few cases either."""

from collections.abc import Iterable

MIN_COUNT = 3


def suppress_small_counts(rows: Iterable[dict], *, count: str, dependent: Iterable[str] = (),
                          min_count: int = MIN_COUNT) -> list[dict]:
    """Empties `count` below `min_count`, and the figures computed from the same few
    cases (`dependent`, e.g. a median), which would reveal them as well."""
    dependent = tuple(dependent)
    result = []
    for row in rows:
        value = row.get(count)
        if value is not None and value < min_count:
            row = {**row, count: None, **dict.fromkeys(dependent)}
        result.append(row)
    return result
