"""Background work of the hand-over. Both tasks are idempotent: a row no longer
waiting is left alone, so a retry or a second worker changes nothing."""

from django_tasks import task

from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context

from .receiving import open_status, open_submission


@task()
def receive_submission(*, authority_id: int, submission_pk: str) -> None:
    with authority_context(Authority.objects.get(pk=authority_id)):
        open_submission(submission_pk)


@task()
def receive_status(*, authority_id: int, event_pk: str) -> None:
    with authority_context(Authority.objects.get(pk=authority_id)):
        open_status(event_pk)
