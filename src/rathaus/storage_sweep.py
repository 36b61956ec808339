"""Removing stored files that no row points to any more.

Files are written before the rows that point to them (a row never points to a missing
file), so a rolled-back transaction leaves its file behind. Such orphans are found by
comparing what is stored under a prefix with the names the database knows. A file
younger than `min_age` is never touched: it may belong to a transaction still running.
"""

import datetime
from collections.abc import Iterator

from django.core.files.storage import default_storage
from django.utils import timezone

MIN_AGE = datetime.timedelta(days=1)


def sweep(prefix: str, referenced: set[str], *, min_age: datetime.timedelta = MIN_AGE) -> int:
    """Delete the files below `prefix` that are not in `referenced` and older than
    `min_age`; returns how many went."""
    cutoff = timezone.now() - min_age
    removed = 0
    for name in _files_below(prefix):
        if name in referenced or default_storage.get_modified_time(name) > cutoff:
            continue
        default_storage.delete(name)
        removed += 1
    return removed


def _files_below(prefix: str) -> Iterator[str]:
    if not default_storage.exists(prefix):
        return
    directories, files = default_storage.listdir(prefix)
    for name in files:
        yield f"{prefix}/{name}"
    for directory in directories:
        yield from _files_below(f"{prefix}/{directory}")
