"""Message content is encrypted at rest, bound to its place, and survives key rotation."""

import base64
import io
import secrets

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from rathaus.authorities.tenancy import authority_context
from rathaus.mailbox import crypto
from rathaus.mailbox.models import Attachment, DataKey, Message, Receipt, SigningKey
from rathaus.mailbox.services import attachment_content, open_message

from .conftest import BODY, PDF, SUBJECT, deliver

PLAINTEXT_MARKERS = ["Bello", "96,00", "Hundesteuer"]


def _raw_rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (fixed table names)
        return cursor.fetchall()


def _as_bytes(value) -> bytes:
    if isinstance(value, bytes | memoryview | bytearray):
        return bytes(value)
    return str(value).encode()


def test_subject_body_and_attachment_are_not_stored_in_plaintext(town, citizen):
    message = deliver(town, citizen)
    for table in ("mailbox_message", "mailbox_attachment", "mailbox_receipt",
                  "audit_auditentry"):
        for row in _raw_rows(table):
            for value in row:
                for marker in PLAINTEXT_MARKERS:
                    assert marker.encode() not in _as_bytes(value), (table, marker)
    attachment = Attachment.all_authorities.get(message=message)
    with default_storage.open(attachment.storage_name, "rb") as stored:
        on_disk = stored.read()
    assert attachment.storage_name.startswith(f"mailbox/{town.slug}/")
    assert PDF not in on_disk and b"Bello" not in on_disk
    assert len(on_disk) == len(PDF) + 16, "ciphertext plus the GCM tag"


def test_the_recipient_reads_the_plaintext_back(town, citizen):
    message = deliver(town, citizen)
    with authority_context(town):
        opened = open_message(user=citizen, message_id=message.pk)
        file = attachment_content(user=citizen, message_id=message.pk,
                                  attachment_id=opened.attachments[0].id)
    assert (opened.subject, opened.body) == (SUBJECT, BODY)
    assert file.content == PDF


def test_a_ciphertext_moved_to_another_message_does_not_decrypt(town, citizen):
    first = deliver(town, citizen, body="Erster Bescheid")
    second = deliver(town, citizen, body="Zweiter Bescheid")
    Message.all_authorities.filter(pk=second.pk).update(
        body_nonce=first.body_nonce, body_ciphertext=first.body_ciphertext
    )
    with authority_context(town), pytest.raises(crypto.DecryptionFailed):
        open_message(user=citizen, message_id=second.pk)
    # A message that could not be opened was not retrieved.
    assert not Receipt.all_authorities.filter(message=second, event="retrieved").exists()


def test_subject_and_body_cannot_be_swapped_within_a_message(town, citizen):
    message = deliver(town, citizen)
    Message.all_authorities.filter(pk=message.pk).update(
        subject_nonce=message.body_nonce, subject_ciphertext=message.body_ciphertext
    )
    with authority_context(town), pytest.raises(crypto.DecryptionFailed):
        open_message(user=citizen, message_id=message.pk)


def test_an_attachment_file_swapped_with_another_does_not_decrypt(town, citizen):
    first, second = deliver(town, citizen), deliver(town, citizen)
    a1 = Attachment.all_authorities.get(message=first)
    a2 = Attachment.all_authorities.get(message=second)
    with default_storage.open(a1.storage_name, "rb") as stored:
        ciphertext = stored.read()
    default_storage.delete(a2.storage_name)
    default_storage.save(a2.storage_name, ContentFile(ciphertext))
    Attachment.all_authorities.filter(pk=a2.pk).update(nonce=a1.nonce)
    with authority_context(town), pytest.raises(crypto.DecryptionFailed):
        attachment_content(user=citizen, message_id=second.pk, attachment_id=a2.pk)


def test_rotation_keeps_old_messages_readable_and_new_ones_use_the_new_key(town, citizen):
    old = deliver(town, citizen, subject="Vor der Rotation")
    call_command("rotate_mailbox_keys", stdout=io.StringIO())
    new = deliver(town, citizen, subject="Nach der Rotation")
    assert (old.key_version, new.key_version) == (1, 2)
    versions = DataKey.all_authorities.filter(authority=town).order_by("version")
    assert [(k.version, k.is_active) for k in versions] == [(1, False), (2, True)]
    with authority_context(town):
        assert open_message(user=citizen, message_id=old.pk).subject == "Vor der Rotation"
        assert open_message(user=citizen, message_id=new.pk).subject == "Nach der Rotation"
        old_file = Attachment.all_authorities.get(message=old)
        assert attachment_content(user=citizen, message_id=old.pk,
                                  attachment_id=old_file.pk).content == PDF


def test_rotation_of_one_authority_leaves_the_others_alone(town, district, citizen):
    deliver(town, citizen)
    deliver(district, citizen)
    call_command("rotate_mailbox_keys", "--authority", "rbk", stdout=io.StringIO())
    assert DataKey.all_authorities.get(authority=town, is_active=True).version == 1
    assert DataKey.all_authorities.get(authority=district, is_active=True).version == 2


def test_after_a_new_master_key_the_keys_are_rewrapped_and_everything_opens(
    town, district, citizen, settings
):
    message = deliver(town, citizen)
    deliver(district, citizen)
    kid_before = SigningKey.all_authorities.get(authority=town).kid
    old_master = settings.RATHAUS_MASTER_KEY
    settings.RATHAUS_MASTER_KEY = base64.b64encode(secrets.token_bytes(32)).decode()
    with authority_context(town), pytest.raises(crypto.DecryptionFailed):
        open_message(user=citizen, message_id=message.pk)

    call_command("rotate_mailbox_keys", "--rewrap-from-master-key", old_master,
                 stdout=io.StringIO())

    with authority_context(town):
        assert open_message(user=citizen, message_id=message.pk).body == BODY
    # The retrieval receipt was signed with the same, re-wrapped signing key.
    retrieved = Receipt.all_authorities.get(message=message, event="retrieved")
    assert retrieved.kid == kid_before
    # Running it again changes nothing: every key already opens under the new master key.
    wrapped = list(DataKey.all_authorities.values_list("wrapped_key", flat=True))
    call_command("rotate_mailbox_keys", "--rewrap-from-master-key", old_master,
                 stdout=io.StringIO())
    assert list(DataKey.all_authorities.values_list("wrapped_key", flat=True)) == wrapped


def test_rewrap_with_a_wrong_old_master_key_fails_and_changes_nothing(town, citizen, settings):
    deliver(town, citizen)
    wrapped = bytes(DataKey.all_authorities.get().wrapped_key)
    settings.RATHAUS_MASTER_KEY = base64.b64encode(secrets.token_bytes(32)).decode()
    wrong = base64.b64encode(secrets.token_bytes(32)).decode()
    with pytest.raises(CommandError, match="neither"):
        call_command("rotate_mailbox_keys", "--rewrap-from-master-key", wrong)
    assert bytes(DataKey.all_authorities.get().wrapped_key) == wrapped


def test_a_wrapped_data_key_copied_to_another_authority_does_not_open(town, district, citizen):
    deliver(town, citizen)
    deliver(district, citizen)
    town_key = DataKey.all_authorities.get(authority=town)
    DataKey.all_authorities.filter(authority=district).update(wrapped_key=town_key.wrapped_key)
    message = Message.all_authorities.get(authority=district)
    with authority_context(district), pytest.raises(crypto.DecryptionFailed):
        open_message(user=citizen, message_id=message.pk)
