"""Sealed attachment files that no attachment row points to (a rolled-back delivery
wrote them); see `rathaus.storage_sweep`."""

from rathaus.storage_sweep import sweep

from .models import Attachment


def sweep_orphan_attachments() -> int:
    names = set(Attachment.all_authorities.values_list("storage_name", flat=True))
    return sweep("mailbox", names)
