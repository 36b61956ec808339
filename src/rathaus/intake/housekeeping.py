"""The worker's periodic passes over incoming mail: every minute what the scanners
wrote; every hour the items that waited for a missing package that is now installed."""

from .reading import retry_waiting_everywhere
from .scan_folder import read_all_scan_folders


def read_scans() -> int:
    return read_all_scan_folders()


def retry_waiting() -> int:
    return retry_waiting_everywhere()
