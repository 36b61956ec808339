"""Sending a hand-over, accepting one (from this instance or over HTTP), and sending a
status back. Each is one transaction with its audit entry and its queued task; the
opening happens in the task (receiving.py).

The sender keeps only the metadata of what it sent, never the plaintext: the content
is the destination's from the moment it is encrypted.
"""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from rathaus.accounts.permissions import unguarded
from rathaus.audit.services import record
from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context, current_authority
from rathaus.task_queue import enqueue_once

from . import jose, keys, metadata
from .models import StatusEvent, Submission

_SENT_BY_A_SERVICE = ("called by a domain's guarded service or task, which decides who "
                      "may send; the block knows no person")


class UnknownSubmission(LookupError):
    """No hand-over with this submission id on this side."""


@unguarded(_SENT_BY_A_SERVICE)
@transaction.atomic
def send_submission(*, destination: Authority, service_id: str, data: dict,
                    attachments: list[tuple[str, str, bytes]], reference: str) -> Submission:
    """Encrypt `data` and each (filename, media type, content) of `attachments` to the
    destination's current key and hand them over from the active authority. Returns the
    sender's record (no content in it); the destination's opening is queued."""
    sender = current_authority()
    submission_id = uuid.uuid4()
    created_at = timezone.now()
    data_plaintext = metadata.content_document(data=data, attachments=attachments)
    with authority_context(destination):
        key_row = keys.active_key()
    public = keys.public_key(key_row)
    data_jwe = jose.encrypt(data_plaintext, key=public, kid=key_row.kid,
                            media_type="application/json")
    attachment_jwes = [
        jose.encrypt(content, key=public, kid=key_row.kid, media_type=media_type)
        for _name, media_type, content in attachments
    ]
    document = metadata.build(
        submission_id=submission_id, service_id=service_id, reference=reference,
        sender=sender, destination=destination, data_plaintext=data_plaintext,
        attachments=attachments, created_at=created_at)
    sent = Submission.objects.create(
        direction=Submission.Direction.OUTGOING, submission_id=submission_id,
        service_id=service_id, reference=reference, counterpart_slug=destination.slug,
        counterpart_name=destination.name, metadata=document, state=Submission.State.SENT,
        created_at=created_at, finished_at=created_at)
    record("handover.sent", target=sent,
           data={"submission_id": str(submission_id), "service": service_id,
                 "destination": destination.slug})
    with authority_context(destination):
        accept_submission(metadata_document=document, data_jwe=data_jwe,
                          attachment_jwes=attachment_jwes)
    return sent


@unguarded("the destination's door for hand-overs: anybody may knock, nothing is "
           "believed until it decrypts with the destination's key and matches its hashes")
@transaction.atomic
def accept_submission(*, metadata_document: dict, data_jwe: str,
                      attachment_jwes: list[str]) -> Submission:
    """Store a hand-over for the active authority as it arrived and queue its opening.
    The metadata must be well-formed (`metadata.MetadataRefused`, with nothing stored);
    everything else is checked when it is opened, so nothing that arrived is lost."""
    from .tasks import receive_submission

    document = metadata.check(metadata_document)
    if len(attachment_jwes) != len(document["content"]["attachments"]):
        raise metadata.MetadataRefused("the metadata names another number of attachments")
    sender = document["sender"]
    incoming = Submission.objects.create(
        direction=Submission.Direction.INCOMING,
        submission_id=uuid.UUID(document["submission_id"]),
        service_id=document["service_id"], reference=document.get("reference", ""),
        counterpart_slug=sender["slug"], counterpart_name=str(sender.get("name", ""))[:200],
        metadata=document, data_jwe=data_jwe, attachment_jwes=list(attachment_jwes),
        state=Submission.State.QUEUED)
    record("handover.accepted", target=incoming,
           data={"submission_id": document["submission_id"], "sender": sender["slug"]})
    receive_submission.enqueue(authority_id=incoming.authority_id,
                               submission_pk=str(incoming.pk))
    return incoming


@unguarded(_SENT_BY_A_SERVICE)
@transaction.atomic
def send_status(*, submission_id: uuid.UUID | str, status: str, text: str = "",
                reference: str = "", url: str = "") -> StatusEvent:
    """Tell the sender of a hand-over the active authority received how it stands (and
    what it made of it: `reference`, `url`), encrypted to the sender's current key. The
    sender must be on this instance (`status_can_go_back`)."""
    if status not in StatusEvent.Status.values:
        raise ValueError(f"unknown status {status!r}")
    received = (Submission.objects.filter(direction=Submission.Direction.INCOMING,
                                          submission_id=submission_id,
                                          state=Submission.State.RECEIVED).first())
    if received is None:
        raise UnknownSubmission(str(submission_id))
    sender = Authority.objects.get(slug=received.counterpart_slug)
    with authority_context(sender):
        sent = _sent(received.submission_id)
    return status_to_sender(received=received, sender=sender, sent=sent, status=status,
                            text=text, reference=reference, url=url)


@unguarded(_SENT_BY_A_SERVICE)
def status_to_sender(*, received: Submission, sender: Authority, sent: Submission,
                     status: str, text: str = "", reference: str = "",
                     url: str = "") -> StatusEvent:
    """`send_status` for a caller inside a transaction that has the received hand-over,
    its sender on this instance and the sender's record of it at hand (the receiving,
    which acknowledges every hand-over it received)."""
    sent_at = timezone.now()
    event = {"submission_id": str(received.submission_id), "status": status, "text": text,
             "reference": reference, "url": url,
             "sent_at": sent_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
             "from": metadata.party(current_authority())}
    with authority_context(sender):
        key_row = keys.active_key()
    token = jose.encrypt(metadata.canonical_json(event), key=keys.public_key(key_row),
                         kid=key_row.kid, media_type="application/json")
    record("handover.status_sent", target=received,
           data={"submission_id": str(received.submission_id), "status": status})
    with authority_context(sender):
        return _store_status(sent=sent, jwe=token)


@unguarded("reads whether a sender is on this instance; says nothing about content")
def status_can_go_back(*, submission_id: uuid.UUID | str) -> bool:
    """Whether the active authority can tell the sender of a hand-over it received how
    it stands: the sender is on this instance (a remote sender learns only the 202)."""
    received = Submission.objects.filter(direction=Submission.Direction.INCOMING,
                                         submission_id=submission_id,
                                         state=Submission.State.RECEIVED).first()
    return received is not None and Authority.objects.filter(
        slug=received.counterpart_slug).exists()


@unguarded("the sender's door for status events: only an event that decrypts with the "
           "sender's key and names one of its hand-overs is believed")
@transaction.atomic
def accept_status(*, submission_id: uuid.UUID | str, jwe: str) -> StatusEvent:
    """Store an encrypted status event for a hand-over the active authority sent, and
    queue its opening."""
    sent = _sent(submission_id)
    return _store_status(sent=sent, jwe=jwe)


def _sent(submission_id) -> Submission:
    """The active authority's record of a hand-over it sent; UnknownSubmission if none."""
    sent = Submission.objects.filter(direction=Submission.Direction.OUTGOING,
                                     submission_id=submission_id).first()
    if sent is None:
        raise UnknownSubmission(str(submission_id))
    return sent


def _store_status(*, sent: Submission, jwe: str) -> StatusEvent:
    from .tasks import receive_status

    event = StatusEvent.objects.create(submission=sent, jwe=jwe)
    enqueue_once(receive_status, authority_id=event.authority_id)
    return event
