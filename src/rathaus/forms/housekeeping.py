"""Keeping only what is needed: unsent drafts expire, and an upload's copy in the draft
area goes once the application (with the upload in its eAkte) has been sent.

Draft uploads are stored unencrypted and outside the eAkte's retention rules, so they
must not linger: a forgotten draft would keep a citizen's proofs for ever.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from rathaus.audit.services import record
from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context
from rathaus.storage_sweep import sweep

from .models import Draft, DraftUpload


def expire_drafts(*, now: datetime.datetime | None = None) -> int:
    """Delete unsent drafts untouched for `RATHAUS_DRAFT_DAYS` days, with their uploads,
    in every authority. Returns how many went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.RATHAUS_DRAFT_DAYS)
    expired = 0
    for authority in Authority.objects.all():
        with authority_context(authority):
            stale = Draft.objects.filter(submitted_at__isnull=True, updated_at__lt=cutoff)
            for draft_id in stale.values_list("pk", flat=True):
                expired += _expire(draft_id, cutoff)
    return expired


@transaction.atomic
def _expire(draft_id, cutoff) -> int:
    # Locked and checked again: the citizen may have come back to it meanwhile.
    draft = (Draft.objects.select_for_update()
             .filter(pk=draft_id, submitted_at__isnull=True, updated_at__lt=cutoff).first())
    if draft is None:
        return 0
    names = list(DraftUpload.objects.filter(draft=draft).values_list("storage_name", flat=True))
    record("application.draft_expired", target=draft,
           data={"service": draft.service_id, "last_change": draft.updated_at.isoformat(),
                 "uploads": len(names)})
    draft.delete()
    transaction.on_commit(lambda: delete_files(names))
    return 1


def release_uploads(uploads: Iterable[DraftUpload]) -> None:
    """After sending: these uploads are in the eAkte now; their draft copies go when the
    caller's transaction commits."""
    uploads = list(uploads)
    if not uploads:
        return
    DraftUpload.objects.filter(pk__in=[upload.pk for upload in uploads]).delete()
    names = [upload.storage_name for upload in uploads]
    transaction.on_commit(lambda: delete_files(names))


def delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def sweep_orphan_uploads() -> int:
    """Draft upload files left by rolled-back requests (see `rathaus.storage_sweep`)."""
    names = set(DraftUpload.all_authorities.values_list("storage_name", flat=True))
    return sweep("drafts", names)
