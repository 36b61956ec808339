"""Where the register's changes go besides Rathaus's own tables: the adapters for a
town's specialist system (Fachverfahren).

Rathaus always keeps the register in its tables (`models.py`). The adapter named by
the setting RATHAUS_RESIDENTS_ADAPTER is told of every change inside the change's
transaction; "rathaus" (the default) passes it nowhere else, "json-files" writes one
JSON file per change into RATHAUS_RESIDENTS_EXPORT_DIR once the transaction has
committed, for the specialist system to import (docs/residents.md).
"""

import json
import os
import tempfile
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rathaus.authorities.tenancy import current_authority
from rathaus.registry import Registry

from .changes import Change, as_document


class RegisterAdapter(Protocol):
    """What an adapter is: a name for the setting, and `changed`, called inside the
    transaction of each change."""

    name: str

    def changed(self, change: Change) -> None: ...


ADAPTERS: Registry[RegisterAdapter] = Registry("resident register adapter")


def register_adapter(adapter: RegisterAdapter) -> RegisterAdapter:
    return ADAPTERS.register(adapter.name, adapter)


def adapter() -> RegisterAdapter:
    return ADAPTERS[settings.RATHAUS_RESIDENTS_ADAPTER]


class InRathaus:
    """The register is Rathaus's own tables, and nothing else needs telling."""

    name = "rathaus"

    def changed(self, change: Change) -> None:
        return None


class JsonFiles:
    """Each change as one JSON file, written atomically: a reader never sees half a
    file, and a rolled-back change writes none."""

    name = "json-files"

    def changed(self, change: Change) -> None:
        # Read now, while the change's rows are as the transaction left them.
        recorded_at = timezone.now()
        document = as_document(change, authority=current_authority(), recorded_at=recorded_at)
        name = f"{recorded_at:%Y%m%dT%H%M%S%fZ}-{change.id}.json"
        folder = Path(settings.RATHAUS_RESIDENTS_EXPORT_DIR)
        transaction.on_commit(lambda: write_atomically(folder / name, document))


def write_atomically(path: Path, document: dict) -> None:
    """Written to a temporary file (`.tmp`, which importers skip) in the same folder,
    flushed to disk, then renamed: the rename is atomic on one file system."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode()
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(file.name, path)


register_adapter(InRathaus())
register_adapter(JsonFiles())
