"""Reading the mailbox of the active authority. Opening a message is a service
(services.open_message), because the first opening writes a receipt."""

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator

from . import keys, sealing
from .models import Attachment, Message, Receipt


@dataclass(frozen=True)
class InboxEntry:
    id: object
    subject: str
    reference: str
    created_at: datetime
    unread: bool


PAGE_SIZE = 20


def inbox(*, user, page: object = 1) -> tuple[list[InboxEntry], Page | None]:
    """One page of the user's messages, newest first, with only its subjects decrypted.
    Any `page` value is taken: a wrong one gives the first or the last page."""
    if not (user.is_authenticated and user.acts_in_portal):
        return [], None
    messages = (Message.objects.filter(recipient=user).defer("body_ciphertext", "body_nonce")
                .order_by("-created_at", "-pk"))
    current = Paginator(messages, PAGE_SIZE).get_page(page)
    data_keys: dict[int, bytes] = {}  # a handful of versions at most; unwrap each once
    entries = []
    for message in current.object_list:
        if message.key_version not in data_keys:
            data_keys[message.key_version] = keys.data_key(message.key_version)
        entries.append(InboxEntry(
            id=message.pk,
            subject=sealing.open_subject(message, key=data_keys[message.key_version]),
            reference=message.reference,
            created_at=message.created_at,
            unread=message.first_retrieved_at is None,
        ))
    return entries, current


def unread_count(*, user) -> int:
    if not (user.is_authenticated and user.acts_in_portal):
        return 0
    return Message.objects.filter(recipient=user, first_retrieved_at__isnull=True).count()


def delivery_times(*, recipient, reference: str) -> dict[str, datetime]:
    """When each file sent to `recipient` under `reference` was delivered into the
    mailbox (its signed "delivered" receipt), by the file's SHA-256: a case's history
    tells from it that a notice in the file reached the citizen."""
    delivered = dict(Receipt.objects.filter(
        message__recipient=recipient, message__reference=reference,
        event=Receipt.Event.DELIVERED).values_list("message_id", "created_at"))
    times: dict[str, datetime] = {}
    for message_id, sha256 in Attachment.objects.filter(
            message_id__in=delivered).values_list("message_id", "sha256"):
        times.setdefault(sha256, delivered[message_id])
    return times


@dataclass(frozen=True)
class DeliveredFile:
    message_id: object
    attachment_id: object
    size: int
    media_type: str


def delivered_files(*, user, sha256s) -> dict[str, DeliveredFile]:
    """Where files with these hashes (e.g. the notices of a case, from the eAkte) lie in
    the user's mailbox: hash -> the message and attachment that carry it, the newest if
    one was sent twice."""
    if not (user.is_authenticated and user.acts_in_portal) or not sha256s:
        return {}
    found = (Attachment.objects.filter(message__recipient=user, sha256__in=list(sha256s))
             .order_by("message__created_at", "position"))
    return {a.sha256: DeliveredFile(a.message_id, a.pk, a.size, a.media_type) for a in found}
