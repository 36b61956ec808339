"""Keeping only what is needed in the open data store: uploads staff never confirmed
expire, and files that nothing points to any more are removed.

An unconfirmed upload's raw file may hold columns that are personal data and were never
meant to be published, so it must not linger: after `RATHAUS_DRAFT_DAYS` days without
confirmation it is discarded, as a citizen's unsent draft is.

The store's files are written before the version row that names them, and an upload's
raw file before its row, so a rolled-back transaction or a crashed worker leaves files
behind: version files no DatasetVersion names (of any authority: identical content is
stored once), the temporary folders of a writing that broke off, and raw uploads whose
row is gone or was used. The files of superseded versions stay: they are the history.
A file younger than `storage_sweep.MIN_AGE` is never touched, since the transaction
that will name it may still be running.
"""

import datetime
import re
import shutil
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context
from rathaus.storage_sweep import MIN_AGE

from ..models import DatasetVersion, Upload
from ..store import files as store
from . import services

VERSION_FILE = re.compile(
    r"^(?P<key>[0-9a-f]{64})\.(csv|sqlite|json|geojson|csv\.gz|json\.gz|geojson\.gz)$")
UPLOAD_FILE = re.compile(r"^(?P<id>[0-9a-f-]{36})\.[a-z]+$")
WAITING = (Upload.Status.RECEIVED, Upload.Status.CHECKED, Upload.Status.PUBLISHING)


def expire_uploads(*, now: datetime.datetime | None = None) -> int:
    """Discards checked (and invalid) uploads not confirmed within `RATHAUS_DRAFT_DAYS`
    days, in every authority, with their raw files. Returns how many went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.RATHAUS_DRAFT_DAYS)
    expired = 0
    for authority in Authority.objects.all():
        with authority_context(authority):
            stale = Upload.objects.filter(status__in=[Upload.Status.CHECKED,
                                                      Upload.Status.INVALID],
                                          uploaded_at__lt=cutoff)
            for upload in stale:
                expired += services.expire_upload(upload=upload)
    return expired


def sweep_orphan_store_files() -> int:
    """Deletes the orphans described above; returns how many files or folders went."""
    root = store.root()
    if not root.is_dir():
        return 0
    cutoff = (timezone.now() - MIN_AGE).timestamp()
    named = set(DatasetVersion.all_authorities.values_list("sha256", flat=True))
    removed = 0
    for path in root.iterdir():
        if not _older_than(path, cutoff):
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
        if match and match["id"] not in waiting and _older_than(path, cutoff):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _older_than(path: Path, cutoff: float) -> bool:
    """False for a file that is gone already: a writing may remove its temporary folder
    while the sweep walks the store."""
    try:
        return path.stat().st_mtime <= cutoff
    except FileNotFoundError:
        return False
