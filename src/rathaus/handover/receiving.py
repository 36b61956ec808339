"""Opening what arrived, in the receiving authority's context (the tasks call it).

A hand-over is decrypted with the destination's keys, every part checked against the
metadata's hashes, a replayed submission id refused, and the plaintext handed to the
service's registered receiver, all in one transaction that also marks it received.
A hand-over that cannot be believed is marked failed with its reason, in a transaction
of its own, so staff see it (office: failed background work); nothing of the receiver
stays behind. Opening a row that is no longer waiting does nothing, so a task run
twice leaves one result.
"""

import datetime
import json

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from rathaus.audit.services import appended_at_the_end, record
from rathaus.authorities.tenancy import current_authority
from rathaus.task_queue import enqueue_once

from . import jose, keys, metadata
from .models import StatusEvent, Submission
from .receivers import (
    Filed,
    ReceivedAttachment,
    ReceivedSubmission,
    SubmissionRefused,
    preparations,
    receivers,
)


class HandoverRefused(Exception):
    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code


def open_submission(submission_pk: str) -> str:
    """Open one waiting hand-over of the active authority; its state afterwards."""
    _prepare(submission_pk)
    try:
        # The audit entries (the receiver's and the status sent back) go on the chain
        # together at the end: its head's lock, which every writer of the authority
        # waits for, is then held for the commit only, not while the case is filed.
        with transaction.atomic(), appended_at_the_end():
            row = Submission.objects.select_for_update().filter(
                pk=submission_pk, direction=Submission.Direction.INCOMING).first()
            if row is None or row.state != Submission.State.QUEUED:
                return row.state if row else ""
            _receive(row)
            return row.state
    except HandoverRefused as refusal:
        return _mark_failed(submission_pk, refusal.code, str(refusal))


def _prepare(submission_pk: str) -> None:
    """The service's preparation (`before_receiving`) for a waiting hand-over that an
    authority on this instance sent. Anyone can encrypt to a public key: a stranger's
    hand-over, refused later, must not use up what a preparation sets aside (an
    Aktenzeichen). The receiver gets it inside the transaction for those instead."""
    # Crossing authorities on purpose: the sender's own record of sending it.
    sent_here = Submission.all_authorities.filter(
        authority__slug=OuterRef("counterpart_slug"), direction=Submission.Direction.OUTGOING,
        submission_id=OuterRef("submission_id"))
    waiting = (Submission.objects.filter(pk=submission_pk, state=Submission.State.QUEUED,
                                         direction=Submission.Direction.INCOMING)
               .values_list("submission_id", "service_id", Exists(sent_here)).first())
    if waiting is None:
        return
    submission_id, service_id, was_sent_here = waiting
    prepare = preparations.get(service_id)
    if prepare is not None and was_sent_here:
        prepare(submission_id)


def _receive(row: Submission) -> None:
    document = row.metadata
    # The row was found among the active authority's: it is the destination here.
    if document["destination"]["slug"] != current_authority().slug:
        raise HandoverRefused(Submission.Failure.WRONG_DESTINATION,
                              f"meant for {document['destination']['slug']!r}")
    if Submission.objects.filter(direction=Submission.Direction.INCOMING,
                                 submission_id=row.submission_id,
                                 state=Submission.State.RECEIVED).exists():
        raise HandoverRefused(Submission.Failure.REPLAY,
                              f"submission {row.submission_id} was received before")
    receiver = receivers.get(row.service_id)
    if receiver is None:
        raise HandoverRefused(Submission.Failure.UNKNOWN_SERVICE,
                              f"no receiver for service {row.service_id!r}")
    submission = _decrypted(row)
    # No savepoint is needed around the receiver or the save below: a refusal leaves the
    # whole transaction, which takes the receiver's rows along.
    try:
        result = receiver(submission)
    except SubmissionRefused as refusal:
        raise HandoverRefused(Submission.Failure.REFUSED, str(refusal)) from None
    filed = result if isinstance(result, Filed) else Filed(reference=str(result or ""))
    row.state = Submission.State.RECEIVED
    row.result_reference = filed.reference[:200]
    row.finished_at = timezone.now()
    try:
        row.save(update_fields=["state", "result_reference", "finished_at"])
    except IntegrityError:
        # The unique index on received submission ids: another worker received the same
        # id after the check above. (The receiver's own errors are not caught here: they
        # fail the task, which can be retried.)
        raise HandoverRefused(Submission.Failure.REPLAY,
                              "received by another worker at the same time") from None
    record("handover.received", target=row,
           data={"submission_id": str(row.submission_id), "service": row.service_id,
                 "result": row.result_reference})
    _acknowledge(row, filed)


def _acknowledge(row: Submission, filed: Filed) -> None:
    """Tell a sender on this instance at once that its hand-over arrived. A sender
    elsewhere (over HTTP) learns it from the 202 and asks no further here."""
    from .services import status_to_sender

    # Crossing authorities on purpose: the sender's own record of sending it, and the
    # sender with it.
    sent = (Submission.all_authorities.select_related("authority")
            .filter(authority__slug=row.counterpart_slug,
                    direction=Submission.Direction.OUTGOING, submission_id=row.submission_id)
            .first())
    if sent is not None:
        status_to_sender(received=row, sender=sent.authority, sent=sent,
                         status=StatusEvent.Status.RECEIVED, reference=filed.reference,
                         url=filed.url)


def _decrypted(row: Submission) -> ReceivedSubmission:
    content = row.metadata["content"]
    opened_keys: dict = {}  # kid → key, unwrapped once for all parts of this hand-over
    data_plaintext = _open_part(row.data_jwe, content["data"]["sha256"], "data", opened_keys)
    try:
        document = json.loads(data_plaintext)
        data, names = document["data"], document["attachments"]
        if not isinstance(data, dict) or len(names) != len(row.attachment_jwes):
            raise ValueError("data or attachment list malformed")
    except (ValueError, KeyError, TypeError) as error:
        raise HandoverRefused(Submission.Failure.MALFORMED, f"data part: {error}") from None
    attachments = []
    for index, token in enumerate(row.attachment_jwes):
        described = content["attachments"][index]
        plaintext = _open_part(token, described["sha256"], f"attachment {index}",
                               opened_keys)
        attachments.append(ReceivedAttachment(
            filename=str(names[index].get("filename", "")),
            media_type=described["media_type"], content=plaintext))
    return ReceivedSubmission(
        submission_id=row.submission_id, service_id=row.service_id, reference=row.reference,
        sender=dict(row.metadata["sender"]), data=data, attachments=attachments,
        created_at=datetime.datetime.fromisoformat(
            row.metadata["created_at"].replace("Z", "+00:00")))


def _open_part(token, expected_sha256: str, what: str, opened_keys: dict) -> bytes:
    if not isinstance(token, str):
        raise HandoverRefused(Submission.Failure.MALFORMED, f"{what}: not a compact JWE")
    try:
        kid = jose.header_kid(token)
        if kid not in opened_keys:
            opened_keys[kid] = keys.private_key(kid)
        key = opened_keys[kid]
        if key is None:
            raise jose.PartRefused(Submission.Failure.UNKNOWN_KEY, f"no key with kid {kid!r}")
        plaintext = jose.decrypt(token, key=key)
    except jose.PartRefused as refusal:
        raise HandoverRefused(refusal.code, f"{what}: {refusal}") from None
    if metadata.sha256(plaintext) != expected_sha256:
        raise HandoverRefused(Submission.Failure.HASH_MISMATCH,
                              f"{what}: SHA-256 differs from the metadata")
    return plaintext


def _mark_failed(submission_pk: str, code: str, detail: str) -> str:
    with transaction.atomic():
        row = Submission.objects.select_for_update().get(pk=submission_pk)
        if row.state != Submission.State.QUEUED:
            return row.state
        row.state = Submission.State.FAILED
        row.failure = code
        row.failure_detail = detail[:2000]
        row.finished_at = timezone.now()
        row.save(update_fields=["state", "failure", "failure_detail", "finished_at"])
        record("handover.failed", target=row,
               data={"submission_id": str(row.submission_id), "failure": code})
    return row.state


# Events opened by one task at most; a task that finds more queues the next one. Each
# costs about a millisecond (one RSA decryption); a burst of a few hundred is one task.
STATUS_BATCH = 500


class StatusEventsRefused(Exception):
    """Events that could not be believed; they stay unopened, with the reason."""


def open_statuses() -> None:
    """Decrypt the active authority's waiting status events, oldest first, and fill them
    in, in one transaction; more than a batch queues the next task. An event that cannot
    be believed stays unopened with its reason (`failure`), and StatusEventsRefused is
    raised after the others are saved, so the task fails for staff to see."""
    refused = []
    with transaction.atomic(), appended_at_the_end():
        events = list(StatusEvent.objects.select_for_update(of=("self",), skip_locked=True)
                      .select_related("submission")
                      .filter(opened_at__isnull=True, failure="")
                      .order_by("created_at")[:STATUS_BATCH])
        opened_keys: dict = {}
        opened, now = [], timezone.now()
        for event in events:
            try:
                _fill_in(event, opened_keys)
            except (jose.PartRefused, ValueError, KeyError, TypeError) as error:
                reason = getattr(error, "code", type(error).__name__)
                event.failure = f"{reason}: {error}"[:2000]
                refused.append(event)
                continue
            event.opened_at = now
            opened.append(event)
            record("handover.status_received", target=event.submission,
                   data={"submission_id": str(event.submission.submission_id),
                         "status": event.status})
        StatusEvent.objects.bulk_update(opened, ["status", "text", "reference", "url",
                                                 "sent_at", "opened_at"])
        StatusEvent.objects.bulk_update(refused, ["failure"])
    if len(events) == STATUS_BATCH:
        from .tasks import receive_status

        enqueue_once(receive_status, authority_id=current_authority().pk)
    if refused:
        raise StatusEventsRefused("; ".join(f"{event.pk}: {event.failure}"
                                            for event in refused))


def _fill_in(event: StatusEvent, opened_keys: dict) -> None:
    """The event's fields from its decrypted content; raises if it cannot be believed."""
    kid = jose.header_kid(event.jwe)
    if kid not in opened_keys:
        opened_keys[kid] = keys.private_key(kid)
    if opened_keys[kid] is None:
        raise jose.PartRefused("unknown_key", "encrypted to a key this authority lacks")
    content = json.loads(jose.decrypt(event.jwe, key=opened_keys[kid]))
    if content.get("submission_id") != str(event.submission.submission_id):
        raise ValueError("the event names another hand-over")
    if content.get("status") not in StatusEvent.Status.values:
        raise ValueError(f"unknown status {content.get('status')!r}")
    event.status = content["status"]
    event.text = str(content.get("text", ""))
    event.reference = str(content.get("reference", ""))[:200]
    event.url = _https_or_http(content.get("url", ""))
    event.sent_at = datetime.datetime.fromisoformat(
        content["sent_at"].replace("Z", "+00:00"))


def _https_or_http(url) -> str:
    """A link the sender will show the citizen: only a web address, never javascript:."""
    url = str(url or "")[:500]
    return url if url.startswith(("https://", "http://")) else ""
