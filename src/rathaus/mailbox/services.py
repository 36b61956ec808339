"""Delivering into the mailbox and opening from it. Each write is one transaction with
its receipts, its audit entry and its notification e-mail.

Everything works for the active authority and needs no request, so the worker that
renders notices can deliver them too.
"""

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import urljoin

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from rathaus.accounts.permissions import unguarded
from rathaus.audit.services import record
from rathaus.authorities.tenancy import current_authority
from rathaus.outbound_email import queue_email

from . import keys, receipts, sealing
from .models import Attachment, Message, Receipt

NOTIFICATION_PRIORITY = -10  # django-tasks: -100 … 100, default 0


class MessageNotFound(Exception):
    """No such message for this user: unknown, someone else's, or another authority's."""


class ReceiptNotFound(MessageNotFound):
    """The message has no receipt for this event (yet)."""


@dataclass(frozen=True)
class NewAttachment:
    filename: str
    media_type: str
    content: bytes


@dataclass(frozen=True)
class AttachmentInfo:
    id: object
    filename: str
    media_type: str
    size: int


@dataclass(frozen=True)
class OpenedMessage:
    id: object
    subject: str
    body: str
    reference: str
    created_at: datetime
    first_retrieved_at: datetime
    content_sha256: str
    attachments: Sequence[AttachmentInfo]
    receipts: Sequence[Receipt]


@dataclass(frozen=True)
class AttachmentFile:
    filename: str
    media_type: str
    content: bytes


@unguarded("a building block: called inside guarded services and tasks, which asked their rule")
@transaction.atomic(savepoint=False)  # no savepoint: callers never carry on after an error
def deliver_message(
    *,
    recipient,
    subject: str,
    body: str,
    attachments: Sequence[NewAttachment] = (),
    reference: str = "",
    link_for: str | Callable[[Message], str],
    actor=None,
) -> Message:
    """Put a message into the citizen's mailbox of the active authority.

    Writes the "sent" and "delivered" receipts and enqueues an e-mail that says only
    that there is a message, with a link. `link_for` is either the portal's absolute
    base URL (the message's path is joined to it) or a callable that gets the message
    and returns the absolute link.
    """
    if not recipient.acts_in_portal:
        raise ValueError("Only citizens and firm accounts have a mailbox.")
    authority = current_authority()
    files = [_checked(item) for item in attachments]
    key_version, key = keys.active_data_key()
    message = Message(authority=authority, recipient=recipient, reference=reference)
    message.content_sha256 = receipts.content_sha256(
        subject=subject, body=body, attachments=[vars(f) for f in files]
    )
    sealing.seal_text(message, subject=subject, body=body, key_version=key_version, key=key)
    message.save()
    for position, item in enumerate(files):
        attachment = Attachment(
            authority=authority, message=message, position=position,
            media_type=item.media_type, size=len(item.content), sha256=item.sha256,
        )
        sealing.store_attachment(attachment, filename=item.filename, content=item.content,
                                 authority_slug=authority.slug, key_version=key_version, key=key)
        attachment.save()
    signing_key = keys.active_signing_key()  # one key for both: one query, one unwrap
    Receipt.objects.bulk_create([
        _signed_receipt(message, event, signing_key=signing_key)
        for event in (Receipt.Event.SENT, Receipt.Event.DELIVERED)
    ])
    record("mailbox.message_delivered", actor=actor, target=message,
           data={"reference": reference, "attachments": len(files)})
    _notify(message, link=_link(message, link_for))
    return message


@unguarded("the recipient's own message: _own_message answers 404 for anyone else's")
def open_message(*, user, message_id) -> OpenedMessage:
    """The user's message, decrypted. The first opening writes the "retrieved" receipt."""
    message = _own_message(user=user, message_id=message_id)
    # Decrypted first: a message that cannot be opened has not been retrieved.
    key = keys.data_key(message.key_version)
    subject, body = sealing.open_subject(message, key=key), sealing.open_body(message, key=key)
    attachments = [
        AttachmentInfo(id=a.pk, filename=sealing.open_filename(a, key=key),
                       media_type=a.media_type, size=a.size)
        for a in Attachment.objects.filter(message=message)
    ]
    if message.first_retrieved_at is None:
        message = _record_retrieval(message=message, user=user)
    return OpenedMessage(
        id=message.pk, subject=subject, body=body, reference=message.reference,
        created_at=message.created_at, first_retrieved_at=message.first_retrieved_at,
        content_sha256=message.content_sha256,
        attachments=attachments,
        receipts=list(Receipt.objects.filter(message=message)),
    )


@unguarded("the recipient's own message: _own_message answers 404 for anyone else's")
def attachment_content(*, user, message_id, attachment_id) -> AttachmentFile:
    """An attachment of the user's message, decrypted. Fetching it counts as retrieval."""
    message = _own_message(user=user, message_id=message_id)
    try:
        attachment = Attachment.objects.get(pk=attachment_id, message=message)
    except (Attachment.DoesNotExist, ValidationError, ValueError) as error:
        raise MessageNotFound(attachment_id) from error
    key = keys.data_key(attachment.key_version)
    filename = sealing.open_filename(attachment, key=key)
    content = sealing.open_attachment(attachment, key=key)
    if message.first_retrieved_at is None:
        _record_retrieval(message=message, user=user)
    return AttachmentFile(filename=filename, media_type=attachment.media_type, content=content)


@unguarded("the recipient's own message: _own_message answers 404 for anyone else's")
def receipt_document(*, user, message_id, event: str) -> bytes:
    """The signed receipt file of one event of the user's message."""
    message = _own_message(user=user, message_id=message_id)
    receipt = Receipt.objects.filter(message=message, event=event).first()
    if receipt is None:
        raise ReceiptNotFound(f"{message_id}/{event}")
    return receipts.document_file(receipts.document(
        signed_bytes=receipt.signed_bytes, signature=receipt.signature, kid=receipt.kid
    ))


# --- helpers -----------------------------------------------------------------------------

@dataclass(frozen=True)
class _CheckedFile:
    filename: str
    media_type: str
    content: bytes
    sha256: str


def _checked(item: NewAttachment) -> _CheckedFile:
    # Only the last path component: the name ends up in a download header.
    filename = PureWindowsPath(PurePosixPath(item.filename).name).name.strip()
    media_type = item.media_type.strip().lower()
    if not filename or "/" not in media_type or any(c in media_type for c in "\r\n"):
        raise ValueError(f"Attachment needs a file name and a media type: {item.filename!r}")
    return _CheckedFile(filename=filename, media_type=media_type, content=bytes(item.content),
                        sha256=hashlib.sha256(item.content).hexdigest())


def _own_message(*, user, message_id) -> Message:
    if not (user and user.is_authenticated and user.acts_in_portal):
        raise MessageNotFound(message_id)
    try:
        # The tenant manager adds the active authority; the filter adds the recipient.
        return Message.objects.get(pk=message_id, recipient=user)
    except (Message.DoesNotExist, ValidationError, ValueError) as error:
        raise MessageNotFound(message_id) from error


@transaction.atomic
def _record_retrieval(*, message: Message, user) -> Message:
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.first_retrieved_at is None:  # another request may have been first
        now = timezone.now().replace(microsecond=0)
        message.first_retrieved_at = now
        message.save(update_fields=["first_retrieved_at"])
        _write_receipt(message, Receipt.Event.RETRIEVED, at=now)
        record("mailbox.message_retrieved", actor=user, target=message)
    return message


def _write_receipt(message: Message, event: str, *, at: datetime | None = None) -> Receipt:
    receipt = _signed_receipt(message, event, at=at)
    receipt.save()
    return receipt


def _signed_receipt(message: Message, event: str, *, at: datetime | None = None,
                    signing_key=None) -> Receipt:
    """The receipt of `event`, signed, not saved yet."""
    # Receipts state whole seconds; the stored time is the signed time.
    at = at or timezone.now().replace(microsecond=0)
    kid, private_key = signing_key or keys.active_signing_key()
    claims = receipts.receipt_claims(
        message_id=message.pk, content_sha256=message.content_sha256, event=event,
        time=at, authority=current_authority(), kid=kid,
    )
    signed, signature = receipts.sign(claims, private_key)
    return Receipt(message=message, event=event, signed_bytes=signed, signature=signature,
                   kid=kid, created_at=at)


def _link(message: Message, link_for) -> str:
    if callable(link_for):
        return link_for(message)
    return urljoin(link_for, reverse("mailbox:message", args=[message.pk]))


def _notify(message: Message, *, link: str) -> None:
    """The e-mail says that there is a message and where; never what it says. An
    account without an e-mail address (created by the online ID card) gets none."""
    if not message.recipient.has_email:
        return
    authority = current_authority()
    body = render_to_string("mailbox/email/new_message.txt", {
        "name": message.recipient.full_name, "authority_name": authority.name, "link": link,
    })
    subject = gettext("New message in your mailbox at %(authority)s") % {
        "authority": authority.name
    }
    # Behind the work that people wait for (notices, sign-up e-mails): the message is
    # in the mailbox already, the notice about it can follow a few seconds later.
    queue_email(to=message.recipient.email, subject=subject, body=body,
                priority=NOTIFICATION_PRIORITY)
