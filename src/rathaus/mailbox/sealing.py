"""Sealing message content under the authority's data key, and opening it again.

Every ciphertext is bound (as AES-GCM associated data) to its authority, its message,
its field and, for files, its attachment. A ciphertext copied into another row, another
field or another authority's data therefore does not open; nor does a swapped file.
Callers unwrap the data key of the row's `key_version` once (keys.data_key) and pass it
to every seal/open call for that message.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from . import crypto
from .models import Attachment, Message


def _aad(*, authority_id: int, message_id, field: str) -> bytes:
    return f"rathaus/mailbox/v1|authority={authority_id}|message={message_id}|{field}".encode()


def seal_text(message: Message, *, subject: str, body: str, key_version: int, key: bytes):
    message.key_version = key_version
    message.subject_nonce, message.subject_ciphertext = crypto.seal(
        key=key, plaintext=subject.encode(), aad=_text_aad(message, "subject")
    )
    message.body_nonce, message.body_ciphertext = crypto.seal(
        key=key, plaintext=body.encode(), aad=_text_aad(message, "body")
    )


def _open_text(message: Message, part: str, *, key: bytes) -> str:
    return crypto.unseal(
        key=key,
        nonce=getattr(message, f"{part}_nonce"),
        ciphertext=getattr(message, f"{part}_ciphertext"),
        aad=_text_aad(message, part),
    ).decode()


def open_subject(message: Message, *, key: bytes) -> str:
    return _open_text(message, "subject", key=key)


def open_body(message: Message, *, key: bytes) -> str:
    return _open_text(message, "body", key=key)


def store_attachment(attachment: Attachment, *, filename: str, content: bytes,
                     authority_slug: str, key_version: int, key: bytes) -> None:
    """Seal name and file; the file goes into the default storage (disk or object store)."""
    attachment.key_version = key_version
    attachment.filename_nonce, attachment.filename_ciphertext = crypto.seal(
        key=key, plaintext=filename.encode(), aad=_attachment_aad(attachment, "filename")
    )
    attachment.nonce, ciphertext = crypto.seal(
        key=key, plaintext=content, aad=_attachment_aad(attachment, "content")
    )
    name = f"mailbox/{authority_slug}/{attachment.message_id}/{attachment.id}"
    attachment.storage_name = default_storage.save(name, ContentFile(ciphertext))


def open_filename(attachment: Attachment, *, key: bytes) -> str:
    return crypto.unseal(
        key=key,
        nonce=attachment.filename_nonce,
        ciphertext=attachment.filename_ciphertext,
        aad=_attachment_aad(attachment, "filename"),
    ).decode()


def open_attachment(attachment: Attachment, *, key: bytes) -> bytes:
    with default_storage.open(attachment.storage_name, "rb") as stored:
        ciphertext = stored.read()
    return crypto.unseal(
        key=key,
        nonce=attachment.nonce,
        ciphertext=ciphertext,
        aad=_attachment_aad(attachment, "content"),
    )


def _text_aad(message: Message, field: str) -> bytes:
    return _aad(authority_id=message.authority_id, message_id=message.pk, field=field)


def _attachment_aad(attachment: Attachment, part: str) -> bytes:
    return _aad(
        authority_id=attachment.authority_id,
        message_id=attachment.message_id,
        field=f"attachment={attachment.pk}|{part}",
    )
