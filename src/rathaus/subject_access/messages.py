"""The citizen's mailbox for the copy: every message opened as the mailbox opens it for
its owner, with its attachments and its signed receipts.

Reading for the copy is not the citizen's opening of a message, so it writes no
"retrieved" receipt (mailbox.services.open_message would): the mailbox's own keys and
sealing open the content directly.
"""

from collections.abc import Callable
from dataclasses import dataclass

from rathaus.mailbox import keys, receipts, sealing
from rathaus.mailbox.models import Attachment, Message, Receipt

from .names import message_folder, safe_component

RECEIPT_FILES = {"sent": "quittung-versand.json", "delivered": "quittung-zustellung.json",
                 "retrieved": "quittung-abruf.json"}


@dataclass(frozen=True)
class MessageFile:
    path: str
    content: Callable[[], bytes]  # read when written, one file at a time


def messages_of(citizen) -> list[Message]:
    return list(Message.objects.filter(recipient=citizen).order_by("created_at", "pk"))


def describe(messages: list[Message], *, earlier_copies: set,
             ) -> tuple[list[dict], list[MessageFile]]:
    """(the JSON of every message, the files to write). The ZIP of an earlier copy is
    listed but not put in again: each copy would otherwise hold all earlier ones."""
    entries, files = [], []
    data_keys: dict[int, bytes] = {}
    for message in messages:
        if message.key_version not in data_keys:
            data_keys[message.key_version] = keys.data_key(message.key_version)
        key = data_keys[message.key_version]
        entry, message_files = _message(message, key=key,
                                        with_files=message.pk not in earlier_copies)
        entries.append(entry)
        files.extend(message_files)
    return entries, files


def _message(message: Message, *, key: bytes, with_files: bool,
             ) -> tuple[dict, list[MessageFile]]:
    folder = message_folder(message)
    files: list[MessageFile] = []
    attachments = []
    for attachment in Attachment.objects.filter(message=message).order_by("position"):
        filename = sealing.open_filename(attachment, key=key)
        path = f"{folder}/{attachment.position + 1:02d}-{safe_component(filename)}"
        if with_files:
            files.append(MessageFile(path, _opener(attachment, key)))
        attachments.append({
            "dateiname": filename, "medientyp": attachment.media_type,
            "groesse_bytes": attachment.size, "sha256": attachment.sha256,
            "datei": path if with_files else None})
    quittungen = []
    for receipt in Receipt.objects.filter(message=message).order_by("created_at", "pk"):
        path = f"{folder}/{RECEIPT_FILES[receipt.event]}"
        files.append(MessageFile(path, _receipt_file(receipt)))
        quittungen.append({"ereignis": receipt.get_event_display(),
                           "zeitpunkt": receipt.created_at, "datei": path})
    return {
        "kennung": str(message.pk),
        "aktenzeichen": message.reference or None,
        "zugestellt_am": message.created_at,
        "erstmals_geoeffnet_am": message.first_retrieved_at,
        "betreff": sealing.open_subject(message, key=key),
        "text": sealing.open_body(message, key=key),
        "inhalt_sha256": message.content_sha256,
        "anhaenge": attachments,
        "quittungen": quittungen,
    }, files


def _opener(attachment: Attachment, key: bytes) -> Callable[[], bytes]:
    # AES-GCM opens a file in one piece: an attachment is in memory while it is
    # written, one at a time.
    return lambda: sealing.open_attachment(attachment, key=key)


def _receipt_file(receipt: Receipt) -> Callable[[], bytes]:
    return lambda: receipts.document_file(receipts.document(
        signed_bytes=receipt.signed_bytes, signature=receipt.signature, kid=receipt.kid))
