"""Removing stored files that no row points to any more.

Files are written before the rows that point to them (a row never points to a missing
file), so a rolled-back transaction leaves its file behind. Such orphans are found by
comparing what is stored under a prefix with the names the database knows. A file
younger than `min_age` is never touched: it may belong to a transaction still running.

The store is walked one folder at a time and its names are asked about in batches, so
a store with millions of files never needs all its names (or all the database's) in
memory at once. The age is asked only of files no row points to: on an object store
each such question is a request.
"""

import datetime
from collections.abc import Callable, Collection, Iterator

from django.core.files.storage import default_storage
from django.utils import timezone

MIN_AGE = datetime.timedelta(days=1)
BATCH_SIZE = 500

# Which of a batch of names rows point to.
Referenced = Callable[[list[str]], Collection[str]]


def sweep(
    prefix: str, referenced: Collection[str] | Referenced, *,
    min_age: datetime.timedelta = MIN_AGE,
) -> int:
    """Delete the files below `prefix` that are not referenced and older than `min_age`;
    returns how many went. `referenced` is the set of names in use, or a function that
    says which of a batch of names are."""
    known = referenced if callable(referenced) else lambda names: referenced
    cutoff = timezone.now() - min_age
    removed = 0
    for batch in _batched(_files_below(prefix), BATCH_SIZE):
        in_use = set(known(batch))
        for name in batch:
            if name in in_use or default_storage.get_modified_time(name) > cutoff:
                continue
            default_storage.delete(name)
            removed += 1
    return removed


def _files_below(prefix: str) -> Iterator[str]:
    # A folder's own listing is held while its files are handled; subfolders are
    # visited after, so at most one listing per level is in memory.
    try:
        directories, files = default_storage.listdir(prefix)
    except FileNotFoundError:  # a folder never written (object stores list nothing)
        return
    for name in files:
        yield f"{prefix}/{name}"
    for directory in directories:
        yield from _files_below(f"{prefix}/{directory}")


def _batched(names: Iterator[str], size: int) -> Iterator[list[str]]:
    batch = []
    for name in names:
        batch.append(name)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
