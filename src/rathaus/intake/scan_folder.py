"""The folder the scanners write into (RATHAUS_SCAN_INBOX_DIR): one folder per
authority slug below it. A file directly in it is for the records managers to sort; a
file in a subfolder named after a department's slug is for that department.

A file is moved to the folder's "verarbeitet" subfolder only after its item is
committed; one the intake refuses goes to "abgelehnt", with the reason beside it. A
file whose item exists already (a crash between commit and move) is only moved.
"""

import hashlib
import logging
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


def read_all_scan_folders(*, min_age_seconds: float = MIN_AGE_SECONDS) -> int:
    """Read every authority's scanner folder; returns how many items were made."""
    taken = 0
    for authority in Authority.objects.all():
        with authority_context(authority):
            taken += read_scan_folder(authority=authority, min_age_seconds=min_age_seconds)
    return taken


def read_scan_folder(*, authority, min_age_seconds: float = MIN_AGE_SECONDS) -> int:
    folder = Path(settings.RATHAUS_SCAN_INBOX_DIR) / authority.slug
    if not folder.is_dir():
        return 0
    taken = _read_files(folder, folder, department=None, min_age_seconds=min_age_seconds)
    for department in Department.objects.filter(authority=authority):
        subfolder = folder / department.slug
        if subfolder.is_dir():
            taken += _read_files(subfolder, folder, department=department,
                                 min_age_seconds=min_age_seconds)
    return taken


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
