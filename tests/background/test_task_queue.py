"""The queue lives in the database: follow-up work commits or rolls back with the change."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from rathaus.outbound_email import send_email

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_queue(settings, db):
    settings.TASKS = DATABASE_TASKS


def test_task_enqueued_in_a_rolled_back_transaction_disappears(database_queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_email.enqueue(to="a@example.org", subject="s", body="b")
        raise RuntimeError("the change failed")
    assert DBTaskResult.objects.count() == 0


# The worker closes database connections between tasks, as a separate process would, so
# this test commits for real instead of running inside a rolled-back test transaction.
@pytest.mark.django_db(transaction=True)
def test_worker_sends_queued_email_through_smtp(database_queue, smtp_inbox):
    with transaction.atomic():
        send_email.enqueue(to="bettina@example.org", subject="Hallo", body="Ein Link")
    assert DBTaskResult.objects.count() == 1
    call_command("db_worker", "--batch", "--interval", "0")
    message = smtp_inbox.wait_for()
    assert message["To"] == "bettina@example.org"
    assert smtp_inbox.body(message).strip() == "Ein Link"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
