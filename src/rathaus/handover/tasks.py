"""Background work of the hand-over. Both tasks are idempotent: a row no longer
waiting is left alone, so a retry or a second worker changes nothing."""

from django_tasks import task

from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context

from .receiving import open_statuses, open_submission


@task()
def receive_submission(*, authority_id: int, submission_pk: str) -> None:
    with authority_context(Authority.objects.get(pk=authority_id)):
        open_submission(submission_pk)


@task()
def receive_status(*, authority_id: int, event_pk: str = "") -> None:
    """Open every status event waiting for the authority: events that arrive in a burst
    are opened together (queued with `enqueue_once`). `event_pk`, which tasks queued by
    earlier versions name, changes nothing: that event is among the waiting ones."""
    with authority_context(Authority.objects.get(pk=authority_id)):
        open_statuses()
