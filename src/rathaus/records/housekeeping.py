"""Blobs of the eAkte that no document version points to (a rolled-back transaction
wrote them); see `rathaus.storage_sweep`."""

from rathaus.storage_sweep import sweep

from .models import DocumentVersion


def sweep_orphan_blobs() -> int:
    names = set(DocumentVersion.all_authorities.values_list("storage_name", flat=True))
    return sweep("records", names)
