"""Asking for a copy of one's data. The copy itself is made by the worker
(tasks.produce_copy), queued in the same transaction as the request."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from rathaus.accounts.permissions import guarded_by
from rathaus.audit.services import record

from .models import CopyRequest
from .permissions import may_request_copy
from .tasks import produce_copy


@guarded_by(may_request_copy, actor="citizen")
@transaction.atomic
def request_copy(*, citizen) -> CopyRequest:
    """The citizen's request for a copy of their data at the active authority: a new
    one, or the one still being prepared (a double submit creates nothing new)."""
    running = _running(citizen)
    if running is not None:
        return running
    try:
        # A savepoint: two requests at the same moment meet at the database's unique
        # constraint, and the second then returns the first's request.
        with transaction.atomic():
            request = CopyRequest.objects.create(citizen=citizen, requested_at=timezone.now())
    except IntegrityError:
        return _running(citizen)
    record("subject_access.requested", actor=citizen, target=request)
    produce_copy.enqueue(authority_id=request.authority_id, request_id=str(request.pk))
    return request


def _running(citizen) -> CopyRequest | None:
    return (CopyRequest.objects.select_for_update()
            .filter(citizen=citizen, status=CopyRequest.Status.REQUESTED).first())
