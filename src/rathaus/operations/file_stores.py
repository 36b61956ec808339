"""Walking the two file stores a backup copies: the document storage (through Django's
storage API, so a directory and an S3 bucket are read alike) and the open data file
store (a local directory)."""

from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage

from rathaus.accounts.permissions import unguarded_module
from rathaus.opendata.store.files import WORK_PREFIX

unguarded_module(__name__, "the operator's backup and restore commands: no person acts")

# Written under these names until complete (records.blobs, opendata.store): never part
# of a backup.
_UNFINISHED = (".incoming-", WORK_PREFIX)


def storage_names(prefix: str = "") -> Iterator[str]:
    """Every object's name in the default storage, one folder at a time."""
    try:
        directories, files = default_storage.listdir(prefix)
    except FileNotFoundError:  # a directory never written (object stores list nothing)
        return
    for name in sorted(files):
        if not name.startswith(_UNFINISHED):
            yield f"{prefix}{name}"
    for directory in sorted(directories):
        yield from storage_names(f"{prefix}{directory}/")


def storage_is_empty() -> bool:
    return next(storage_names(), None) is None


def opendata_root() -> Path:
    return Path(settings.RATHAUS_OPENDATA_DIR)


def opendata_files() -> Iterator[tuple[str, Path]]:
    """(relative name, path) of every finished file of the open data store."""
    root = opendata_root()
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not any(part.startswith(_UNFINISHED) for part in relative.parts):
            yield relative.as_posix(), path


def opendata_is_empty() -> bool:
    return next(opendata_files(), None) is None
