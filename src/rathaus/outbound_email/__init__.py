"""E-mail leaves through an outbox (issue 22): `queue_email` writes the message as a row
of `OutgoingEmail` and queues the task `send_email` for it, both in the caller's
transaction, so a change and the e-mail it causes commit together or not at all; a
failing mail server never fails or slows the request that caused the message.

The task sends a row at most once however often it runs (a worker killed and its task
requeued, a failed task sent off again): see `outbox.send_outgoing`.

Base layer: imports nothing from rathaus. The task is defined here, not in `outbox`, so
that its path stays `rathaus.outbound_email.send_email`, the one queued rows name.
"""

from django.db import transaction
from django_tasks import TaskContext, task


def queue_email(*, to: str, subject: str, body: str, priority: int | None = None) -> None:
    """Put an e-mail in the outbox and queue its sending, in the caller's transaction.
    `priority` is django-tasks' (-100 … 100, default 0)."""
    from .outbox import put_in_outbox

    sender = send_email if priority is None else send_email.using(priority=priority)
    # Outside a transaction of the caller's, row and task still commit together.
    with transaction.atomic():
        email = put_in_outbox(to=to, subject=subject, body=body)
        sender.enqueue(email_id=email.pk)


@task(takes_context=True)
def send_email(context: TaskContext, *, email_id: int | None = None, to: str | None = None,
               subject: str | None = None, body: str | None = None) -> None:
    """Send the outbox row `email_id`, unless it has been sent already.

    The other form (to, subject, body) is what releases before the outbox queued; such
    a task, still waiting during an upgrade, goes through the outbox too, keyed by its
    own id, so that it is also sent once however often it runs."""
    from .outbox import adopt_queued_message, send_outgoing

    if email_id is None:
        email_id = adopt_queued_message(task_id=str(context.task_result.id), to=to or "",
                                        subject=subject or "", body=body or "")
    send_outgoing(email_id)
