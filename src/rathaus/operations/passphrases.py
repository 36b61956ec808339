"""Where the backup passphrase comes from: a file (`--passphrase-file`, for cron and
systemd), the environment (RATHAUS_BACKUP_PASSPHRASE), or a prompt."""

import getpass
import os
import sys
from pathlib import Path

from rathaus.accounts.permissions import unguarded_module

unguarded_module(__name__, "the operator's backup and restore commands: no person acts")

ENVIRONMENT_VARIABLE = "RATHAUS_BACKUP_PASSPHRASE"


class NoPassphrase(Exception):
    pass


def passphrase(file: str | None, *, confirm: bool) -> str:
    if file:
        try:
            lines = Path(file).read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise NoPassphrase(f"{file}: cannot be read ({error.strerror}).") from error
        if not lines or not lines[0]:
            raise NoPassphrase(f"{file}: the first line, the passphrase, is empty.")
        return lines[0]
    if os.environ.get(ENVIRONMENT_VARIABLE):
        return os.environ[ENVIRONMENT_VARIABLE]
    if not sys.stdin.isatty():
        raise NoPassphrase(f"Give the passphrase with --passphrase-file or "
                           f"{ENVIRONMENT_VARIABLE} (there is no terminal to ask on).")
    first = getpass.getpass("Backup passphrase: ")
    if confirm and getpass.getpass("The same again: ") != first:
        raise NoPassphrase("The two passphrases differ.")
    return first
