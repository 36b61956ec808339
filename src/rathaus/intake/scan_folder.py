"""The folder the scanners write into (RATHAUS_SCAN_INBOX_DIR): one folder per
authority slug below it. A file directly in it is for the records managers to sort; a
file in a subfolder named after a department's slug is for that department.

A file is moved to the folder's "verarbeitet" subfolder only after its item is
committed; one the intake refuses goes to "abgelehnt", with the reason beside it. A
file whose item exists already (a crash between commit and move) is only moved.

The worker reads the folders about once a minute (a clerk who scans a letter looks for
it in the Posteingang right away), so a round over empty folders costs a directory
listing and no query. Workers and `rathaus read_scan_folder` take an authority's
folder in turns (a lock file in it), so no file is taken in twice.
"""

import contextlib
import fcntl
import hashlib
import logging
import os
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from rathaus.accounts.permissions import unguarded_module
from rathaus.authorities.models import Authority, Department
from rathaus.authorities.tenancy import authority_context

from .items import take_in
from .models import IncomingItem
from .receiving import NotAccepted, check_arrival

unguarded_module(__name__, "the worker and a command reading the scanner folder, for "
                           "no person")

logger = logging.getLogger(__name__)
PROCESSED = "verarbeitet"
REFUSED = "abgelehnt"
# A scanner may still be writing a younger file.
MIN_AGE_SECONDS = 10
_SKIPPED_SUFFIXES = (".tmp", ".part", ".crdownload")


LOCK_FILE = ".rathaus-liest"


def read_all_scan_folders(*, min_age_seconds: float = MIN_AGE_SECONDS) -> int:
    """Read every authority's scanner folder; returns how many items were made. Only
    the authorities with a folder are asked for; no folder, no query."""
    inbox = Path(settings.RATHAUS_SCAN_INBOX_DIR)
    slugs = _subfolder_names(inbox)
    if not slugs:
        return 0
    taken = 0
    for authority in Authority.objects.filter(slug__in=slugs):
        with authority_context(authority):
            taken += read_scan_folder(authority=authority, min_age_seconds=min_age_seconds)
    return taken


def read_scan_folder(*, authority, min_age_seconds: float = MIN_AGE_SECONDS) -> int:
    folder = Path(settings.RATHAUS_SCAN_INBOX_DIR) / authority.slug
    if not folder.is_dir():
        return 0
    with _taken_in_turn(folder) as ours:
        if not ours:  # another worker reads it right now
            return 0
        taken = _read_files(folder, folder, department=None, min_age_seconds=min_age_seconds)
        # Departments are looked up only for subfolders that hold a file.
        slugs = [name for name in _subfolder_names(folder)
                 if name not in (PROCESSED, REFUSED) and _holds_a_file(folder / name)]
        if slugs:
            for department in Department.objects.filter(authority=authority, slug__in=slugs):
                taken += _read_files(folder / department.slug, folder,
                                     department=department, min_age_seconds=min_age_seconds)
    return taken


def _subfolder_names(folder: Path) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            return [entry.name for entry in entries
                    if entry.is_dir() and not entry.name.startswith(".")]
    except (FileNotFoundError, NotADirectoryError):
        return []


def _holds_a_file(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return any(entry.is_file() and not entry.name.startswith(".") for entry in entries)


@contextlib.contextmanager
def _taken_in_turn(folder: Path):
    """Whether this process may read `folder` now: an exclusive lock on a file in it,
    which the system releases when the process ends, however it ends."""
    with open(folder / LOCK_FILE, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _read_files(folder: Path, home: Path, *, department, min_age_seconds: float) -> int:
    """Read the files of `folder`, moving each into the authority folder `home`'s
    subfolders."""
    taken = 0
    now = time.time()
    for path in sorted(folder.iterdir()):
        if (not path.is_file() or path.name.startswith(".")
                or path.name.lower().endswith(_SKIPPED_SUFFIXES)
                or now - path.stat().st_mtime < min_age_seconds):
            continue
        try:
            taken += _read_file(path, home, department=department)
        except Exception:  # one bad file must not stop the others; it stays for later
            logger.exception("Reading the scanned file %s failed.", path)
    return taken


def _read_file(path: Path, home: Path, *, department) -> int:
    with path.open("rb") as handle:
        try:
            arrival = check_arrival(handle, name=path.name)
        except NotAccepted as refused:
            with translation.override(settings.LANGUAGE_CODE):
                reason = str(refused)
            _move(path, home / REFUSED, note=reason)
            logger.warning("Scanned file %s refused: %s", path.name, reason)
            return 0
    sha256 = hashlib.sha256(arrival.content).hexdigest()
    if IncomingItem.objects.filter(sha256=sha256, source=IncomingItem.Source.SCAN_FOLDER,
                                   email__isnull=True).exists():
        _move(path, home / PROCESSED)  # taken in before, the move was lost
        return 0
    with transaction.atomic():
        take_in(arrival=arrival, department=department,
                source=IncomingItem.Source.SCAN_FOLDER)
    _move(path, home / PROCESSED)  # only now: the item is committed
    return 1


def _move(path: Path, folder: Path, *, note: str = "") -> None:
    """Into `folder`, by day, never overwriting an earlier file."""
    target_folder = folder / timezone.localdate().isoformat()
    target_folder.mkdir(parents=True, exist_ok=True)
    target = target_folder / path.name
    counter = 1
    while target.exists():
        target = target_folder / f"{path.stem}-{counter}{path.suffix}"
        counter += 1
    shutil.move(str(path), target)
    if note:
        target.with_name(target.name + ".grund.txt").write_text(note + "\n", encoding="utf-8")
