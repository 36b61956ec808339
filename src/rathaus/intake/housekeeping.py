"""The worker's periodic pass over incoming mail: what the scanners wrote, and items
that waited for a missing package that is now installed."""

from .reading import retry_waiting_everywhere
from .scan_folder import read_all_scan_folders


def read_scans_and_retry_waiting() -> int:
    return read_all_scan_folders() + retry_waiting_everywhere()
