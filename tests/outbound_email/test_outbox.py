"""The outbox: an e-mail is a row committed with the change that causes it, and it is
sent at most once however often its task runs."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from rathaus.outbound_email import queue_email, send_email
from rathaus.outbound_email.models import OutgoingEmail
from rathaus.outbound_email.outbox import (
    MAX_ATTEMPTS,
    forget_old,
    send_again,
    send_outgoing,
)
from tests.conftest import free_port

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_queue(settings, db):
    settings.TASKS = DATABASE_TASKS


def _work_off_the_queue():
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay")


def test_an_email_queued_in_a_rolled_back_transaction_leaves_nothing(database_queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_email(to="a@example.org", subject="s", body="b")
        raise RuntimeError("the change failed")
    assert not OutgoingEmail.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_the_queued_task_names_the_row_not_the_message(database_queue):
    queue_email(to="bettina@example.org", subject="Ihr Antrag", body="Geheimer Text",
                priority=-10)
    task = DBTaskResult.objects.get()
    assert task.task_path == "rathaus.outbound_email.send_email"
    assert task.priority == -10
    email = OutgoingEmail.objects.get()
    assert task.args_kwargs == {"args": [], "kwargs": {"email_id": email.pk}}
    assert email.message_id.startswith("<") and email.message_id.endswith("@rathaus.example>")
    assert email.sent_at is None


def test_an_email_is_sent_once_however_often_its_task_runs(db):
    queue_email(to="bettina@example.org", subject="Hallo", body="Ein Link")  # runs at once
    email = OutgoingEmail.objects.get()
    send_outgoing(email.pk)
    send_email.enqueue(email_id=email.pk)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["bettina@example.org"]
    assert sent.message()["Message-ID"] == email.message_id
    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.attempts == 1


def test_a_sent_email_keeps_only_its_message_id_and_times(db):
    queue_email(to="bettina@example.org", subject="Hallo", body="Ein Link")
    email = OutgoingEmail.objects.get()
    assert (email.to, email.subject, email.body, email.last_error) == ("", "", "", "")
    assert email.message_id and email.created_at and email.sent_at


@pytest.mark.django_db(transaction=True)
def test_the_message_id_travels_to_the_mail_server(database_queue, smtp_inbox):
    queue_email(to="bettina@example.org", subject="Hallo", body="Ein Link")
    _work_off_the_queue()
    message = smtp_inbox.wait_for()
    assert message["Message-ID"] == OutgoingEmail.objects.get().message_id
    assert smtp_inbox.body(message).strip() == "Ein Link"


@pytest.mark.django_db(transaction=True)
def test_a_task_queued_by_the_release_before_the_outbox_is_sent_once(database_queue,
                                                                    smtp_inbox):
    send_email.enqueue(to="bettina@example.org", subject="Hallo", body="Ein Link")
    task = DBTaskResult.objects.get()
    _work_off_the_queue()
    # The worker died after sending (as far as the queue knows): the task runs again.
    DBTaskResult.objects.filter(pk=task.pk).update(status="READY", started_at=None)
    _work_off_the_queue()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    message = smtp_inbox.wait_for()
    email = OutgoingEmail.objects.get()
    assert email.message_id == f"<{task.pk}.queued@rathaus.example>"
    assert message["Message-ID"] == email.message_id
    assert email.sent_at is not None
    assert len(smtp_inbox.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_a_failed_send_stays_in_the_outbox_and_is_sent_again_later(database_queue,
                                                                 smtp_inbox, settings):
    mail_server_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nobody listens: the mail server is down
    queue_email(to="bettina@example.org", subject="Hallo", body="Ein Link")
    _work_off_the_queue()
    assert DBTaskResult.objects.get().status == "FAILED"
    email = OutgoingEmail.objects.get()
    assert email.sent_at is None
    assert email.attempts == 1
    assert email.last_error.startswith("ConnectionRefusedError")
    assert email.to == "bettina@example.org"

    assert send_again() == 0  # not before an hour has passed
    settings.EMAIL_PORT = mail_server_port
    assert send_again(now=timezone.now() + datetime.timedelta(hours=2)) == 1
    _work_off_the_queue()
    smtp_inbox.wait_for()
    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.attempts == 2


def test_sending_again_gives_up_after_the_last_attempt(db):
    later = timezone.now() + datetime.timedelta(days=2)
    OutgoingEmail.objects.create(message_id="<a@x>", to="a@example.org",
                                 attempts=MAX_ATTEMPTS)
    assert send_again(now=later) == 0


def test_old_sent_and_given_up_rows_are_forgotten(db):
    long_ago = timezone.now() - datetime.timedelta(days=31)
    OutgoingEmail.objects.create(message_id="<sent@x>", created_at=long_ago,
                                 sent_at=long_ago)
    OutgoingEmail.objects.create(message_id="<given-up@x>", created_at=long_ago,
                                 attempts=MAX_ATTEMPTS, last_attempt_at=long_ago,
                                 to="a@example.org")
    OutgoingEmail.objects.create(message_id="<waiting@x>", created_at=long_ago,
                                 to="b@example.org")
    OutgoingEmail.objects.create(message_id="<recent@x>", sent_at=timezone.now())
    assert forget_old() == 2
    assert set(OutgoingEmail.objects.values_list("message_id", flat=True)) == {
        "<waiting@x>", "<recent@x>"}


def test_the_hourly_housekeeping_sends_again_and_forgets(db):
    from rathaus.background.housekeeping import tidy_up

    long_ago = timezone.now() - datetime.timedelta(days=31)
    OutgoingEmail.objects.create(message_id="<sent@x>", created_at=long_ago,
                                 sent_at=long_ago)
    OutgoingEmail.objects.create(message_id="<waiting@x>", created_at=long_ago,
                                 to="b@example.org", subject="s", body="b")
    done = tidy_up()
    assert done["old outbox rows deleted"] == 1
    assert done["unsent e-mails queued again"] == 1  # and sent at once, in tests
    assert OutgoingEmail.objects.get().message_id == "<waiting@x>"
    assert OutgoingEmail.objects.get().sent_at is not None
    assert len(mail.outbox) == 1


def test_the_outbox_command_lists_unsent_emails_without_addresses(db, capsys):
    OutgoingEmail.objects.create(message_id="<waiting@x>", to="b@example.org",
                                 subject="s", body="b", attempts=MAX_ATTEMPTS,
                                 last_error="SMTPServerDisconnected: gone")
    OutgoingEmail.objects.create(message_id="<sent@x>", sent_at=timezone.now())
    call_command("outbox")
    out = capsys.readouterr().out
    assert "<waiting@x>" in out and "(given up)" in out and "SMTPServerDisconnected" in out
    assert "<sent@x>" not in out and "b@example.org" not in out
    assert "unsent: 1" in out

    call_command("outbox", "--send-again")  # sent at once in tests
    assert "queued again: 1" in capsys.readouterr().out
    assert not OutgoingEmail.objects.filter(sent_at__isnull=True).exists()
    assert len(mail.outbox) == 1
