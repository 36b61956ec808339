"""The outbox: each e-mail is a row, sent at most once by however many task runs.

`send_outgoing` locks the row, returns if it was sent already, hands the message to
the mail server, and marks the row sent, all in one transaction. A task run again
(requeued after its worker died, sent off again after a failure, or queued twice)
waits for the lock and then finds the row sent. A worker killed before the commit
leaves the row unsent, and the task, requeued after the lease, sends it.

One window remains, and no outbox can close it without the mail server taking part:
a worker killed after it sent the end of the message data and before its commit
(the server's reply to DATA, closing the connection, one COMMIT: milliseconds). The
server may have taken the message, and the requeued task sends it a second time, with
the same Message-ID, so mail systems and clients that drop a message whose Message-ID
they have seen already (many do) show it once. A kill at any other moment sends
nothing twice.

The row is locked for the SMTP conversation. On PostgreSQL that holds only this row;
on SQLite (one machine) the transaction holds the database's write lock, so the mail
server should be a local relay that answers in milliseconds, as is usual anyway.
"""

import datetime
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, make_msgid
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import OutgoingEmail

# Housekeeping sends again what failed (the mail server was down), once an hour, this
# many times in all; what still fails stays unsent for the operator to see.
MAX_ATTEMPTS = 24
RETRY_AFTER = datetime.timedelta(hours=1)
# Sent rows (only their Message-ID and times are left) and given-up rows go after this.
KEPT_FOR = datetime.timedelta(days=30)
RETRY_BATCH = 500


def message_id_domain() -> str:
    """The domain of the sender address, so that Message-IDs name the town's own mail
    domain; the host's name if the address has none."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    domain = address.rpartition("@")[2]
    return domain or str(DNS_NAME)


def put_in_outbox(*, to: str, subject: str, body: str) -> OutgoingEmail:
    return OutgoingEmail.objects.create(
        message_id=make_msgid(domain=message_id_domain()), to=to, subject=subject, body=body)


def adopt_queued_message(*, task_id: str, to: str, subject: str, body: str) -> int:
    """The outbox row of a task queued by a release before the outbox (it carries the
    message itself). Keyed by the task's id, so every run of that task finds the same
    row and the same Message-ID."""
    email, _created = OutgoingEmail.objects.get_or_create(
        message_id=f"<{task_id}.queued@{message_id_domain()}>",
        defaults={"to": to, "subject": subject, "body": body},
    )
    return email.pk


def send_outgoing(email_id: int) -> None:
    failure = None
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.sent_at is not None:
            return  # sent by an earlier run (a row is deleted only long after sending)
        attempted = timezone.now()
        try:
            _message(email).send()
        except Exception as error:  # noted on the row; the task still fails (below)
            failure = error
            OutgoingEmail.objects.filter(pk=email.pk).update(
                attempts=F("attempts") + 1, last_attempt_at=attempted,
                last_error=f"{type(error).__name__}: {error}"[:500])
        else:
            # Sent: only the Message-ID and the times are kept (data minimisation).
            OutgoingEmail.objects.filter(pk=email.pk).update(
                sent_at=timezone.now(), attempts=F("attempts") + 1,
                last_attempt_at=attempted, last_error="", to="", subject="", body="")
    if failure is not None:
        raise failure


def _message(email: OutgoingEmail) -> EmailMessage:
    return EmailMessage(subject=email.subject, body=email.body, to=[email.to],
                        headers={"Message-ID": email.message_id})


def unsent():
    """What the outbox still holds, oldest first (for the operator: see docs)."""
    return OutgoingEmail.objects.filter(sent_at__isnull=True).order_by("created_at")


def send_again(*, now: datetime.datetime | None = None) -> int:
    """Queue the sending again of e-mails that have waited for an hour: their task
    failed (the mail server was down) or was lost. Sending twice is not possible, so a
    task that is still waiting as well does no harm."""
    from . import send_email

    now = now or timezone.now()
    due = list(
        unsent().filter(created_at__lt=now - RETRY_AFTER, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lt=now - RETRY_AFTER))
        .values_list("pk", flat=True)[:RETRY_BATCH])
    for email_id in due:
        send_email.enqueue(email_id=email_id)
    return len(due)


def forget_old(*, now: datetime.datetime | None = None) -> int:
    """Delete rows sent, or given up on, more than KEPT_FOR ago."""
    cutoff = (now or timezone.now()) - KEPT_FOR
    deleted, _ = OutgoingEmail.objects.filter(
        Q(sent_at__lt=cutoff)
        | Q(sent_at__isnull=True, attempts__gte=MAX_ATTEMPTS, last_attempt_at__lt=cutoff)
    ).delete()
    return deleted
