"""Delivery is one transaction: message, files, receipts, audit entry and queued e-mail
commit together or not at all."""

import json

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from rathaus.audit.models import AuditEntry
from rathaus.mailbox.models import Message, Receipt
from rathaus.mailbox.services import NewAttachment
from rathaus.outbound_email.models import OutgoingEmail

from .conftest import BODY, PDF, PDF_NAME, REFERENCE, SUBJECT, deliver

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_TASKS


def test_delivery_queues_the_notification_with_the_message(town, citizen, database_queue):
    message = deliver(town, citizen)
    task = DBTaskResult.objects.get()
    assert task.task_path == "rathaus.outbound_email.send_email"
    queued = json.dumps(task.args_kwargs, ensure_ascii=False)
    email = OutgoingEmail.objects.get()  # the outbox row the task names
    assert task.args_kwargs["kwargs"] == {"email_id": email.pk}
    assert str(message.pk) in email.body
    for secret in (SUBJECT, BODY, REFERENCE, PDF_NAME):
        assert secret not in queued
        assert secret not in email.subject and secret not in email.body
    entry = AuditEntry.all_authorities.get(action="mailbox.message_delivered")
    assert entry.object_id == str(message.pk)


def test_a_rolled_back_delivery_leaves_nothing_behind(town, citizen, database_queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        deliver(town, citizen)
        raise RuntimeError("the notice could not be filed")
    assert not Message.all_authorities.exists()
    assert not Receipt.all_authorities.exists()
    assert not DBTaskResult.objects.exists()
    assert not OutgoingEmail.objects.exists()
    assert not AuditEntry.all_authorities.filter(action__startswith="mailbox.").exists()


def test_attachments_need_a_name_and_a_media_type(town, citizen):
    for bad in (NewAttachment(filename="", media_type="application/pdf", content=PDF),
                NewAttachment(filename="a.pdf", media_type="pdf", content=PDF),
                NewAttachment(filename="a.txt", media_type="text/plain\r\nX: y", content=PDF)):
        with pytest.raises(ValueError), transaction.atomic():
            deliver(town, citizen, attachments=[bad])
    text = NewAttachment(filename="a.txt", media_type="text/plain; charset=utf-8", content=b"x")
    deliver(town, citizen, attachments=[text])
