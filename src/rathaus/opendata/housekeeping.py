"""Files in the open data store that nothing points to any more.

The store's files are written before the version row that names them, and an upload's
raw file before its row, so a rolled-back transaction or a crashed worker leaves files
behind: version files no DatasetVersion names (of any authority: identical content is
stored once), the temporary folders of a writing that broke off, and raw uploads whose
row is gone or was used. The files of superseded versions stay: they are the history.
A file younger than `storage_sweep.MIN_AGE` is never touched, since the transaction
that will name it may still be running.
"""

import re
import shutil
from pathlib import Path

from django.utils import timezone

from rathaus.storage_sweep import MIN_AGE

from . import store
from .models import DatasetVersion, Upload

VERSION_FILE = re.compile(r"^(?P<key>[0-9a-f]{64})\.(csv|csv\.gz|sqlite)$")
UPLOAD_FILE = re.compile(r"^(?P<id>[0-9a-f-]{36})\.[a-z]+$")
WAITING = (Upload.Status.RECEIVED, Upload.Status.CHECKED, Upload.Status.PUBLISHING)


def sweep_orphan_store_files() -> int:
    """Deletes the orphans described above; returns how many files or folders went."""
    root = store.root()
    if not root.is_dir():
        return 0
    cutoff = (timezone.now() - MIN_AGE).timestamp()
    named = set(DatasetVersion.all_authorities.values_list("sha256", flat=True))
    removed = 0
    for path in root.iterdir():
        if path.stat().st_mtime > cutoff:
            continue
        match = VERSION_FILE.match(path.name)
        if match and match["key"] not in named:
            path.unlink(missing_ok=True)
            removed += 1
        elif path.is_dir() and path.name.startswith(store.WORK_PREFIX):
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed + _sweep_uploads(store.uploads_dir(), cutoff)


def _sweep_uploads(directory: Path, cutoff: float) -> int:
    waiting = {str(pk) for pk in Upload.all_authorities.filter(status__in=WAITING)
               .values_list("pk", flat=True)}
    removed = 0
    for path in directory.iterdir():
        match = UPLOAD_FILE.match(path.name)
        if match and match["id"] not in waiting and path.stat().st_mtime <= cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
