"""What the hand-over shows: a sender's status events for the portal, failed
hand-overs for staff."""

import uuid
from dataclasses import dataclass

from rathaus.accounts.permissions import unguarded

from .models import StatusEvent, Submission

LIMIT = 200  # a page, not a report


@dataclass(frozen=True)
class StatusView:
    status: str
    label: str
    text: str
    sent_at: object
    reference: str = ""
    url: str = ""


@unguarded("reads only; the caller (a portal page) has checked the citizen's access")
def status_events(*, submission_id: uuid.UUID | str) -> list[StatusView]:
    """The opened status events of a hand-over the active authority sent, oldest first."""
    rows = StatusEvent.objects.filter(
        submission__submission_id=submission_id,
        submission__direction=Submission.Direction.OUTGOING,
        opened_at__isnull=False,
    ).order_by("sent_at", "created_at")
    return [_view(row) for row in rows]


@unguarded("reads only; the caller (a portal page) has checked the citizen's access")
def latest_status_events(*, submission_ids) -> dict:
    """The newest opened status event of each of several hand-overs the active authority
    sent, by submission id: one query for a whole list, not one per hand-over."""
    rows = StatusEvent.objects.filter(
        submission__submission_id__in=list(submission_ids),
        submission__direction=Submission.Direction.OUTGOING,
        opened_at__isnull=False,
    ).select_related("submission").order_by("sent_at", "created_at")
    return {row.submission.submission_id: _view(row) for row in rows}


def _view(row: StatusEvent) -> StatusView:
    return StatusView(status=row.status, label=str(row.get_status_display()), text=row.text,
                      sent_at=row.sent_at, reference=row.reference, url=row.url)


@unguarded("reads only; the office shows it to those background.may_manage allows")
def failed_count() -> int:
    return Submission.objects.filter(direction=Submission.Direction.INCOMING,
                                     state=Submission.State.FAILED).count()


@unguarded("reads only; the office shows it to those background.may_manage allows")
def failed_submissions() -> list[Submission]:
    """Hand-overs that reached the active authority and could not be received."""
    return list(Submission.objects.filter(direction=Submission.Direction.INCOMING,
                                          state=Submission.State.FAILED)
                .order_by("-finished_at")[:LIMIT])
