"""A worker killed with SIGKILL in the middle of sending e-mails, then two workers
that run every task again (each e-mail's task twice): every e-mail reaches the real
SMTP server exactly once, counted by its Message-ID, and every row is marked sent."""

import asyncio
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from rathaus.background.recovery import requeue_abandoned
from rathaus.outbound_email import queue_email, send_email
from rathaus.outbound_email.models import OutgoingEmail
from tests.conftest import free_port
from tests.factories import CHECKOUT

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
EMAILS = 6
KILL_AFTER = 2  # e-mails accepted before the kill
RCPT_SECONDS = 0.3  # how long the server takes over each recipient


class _SlowMailServer:
    """Takes its time over RCPT, before any of the message is sent: a worker killed
    then has sent nothing, and the e-mail before was accepted and committed (the worker
    commits before it takes its next task)."""

    def __init__(self):
        self.recipients_seen = 0
        self.accepted: list[str] = []  # Message-IDs
        self._changed = threading.Condition()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self._changed:
            self.recipients_seen += 1
            self._changed.notify_all()
        await asyncio.sleep(RCPT_SECONDS)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._changed:
            self.accepted.append(message["Message-ID"])
            self._changed.notify_all()
        return "250 Message accepted for delivery"

    def wait_until(self, condition, *, timeout: float, worker: subprocess.Popen) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not condition():
                assert worker.poll() is None, worker.stderr.read().decode()[-3000:]
                assert time.monotonic() < deadline, "the worker did not get that far"
                self._changed.wait(timeout=0.2)


@pytest.fixture
def slow_mail_server():
    server = _SlowMailServer()
    controller = Controller(server, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield server, controller.port
    controller.stop()


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}")


def _environment(tmp_path, mail_port: int) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "TASK_BACKEND": "database",
        "RATHAUS_STORAGE_DIR": str(tmp_path),
        "RATHAUS_OPENDATA_DIR": str(tmp_path / "opendata"),  # never the checkout's var/
        "SECRET_KEY": django_settings.SECRET_KEY,
        "RATHAUS_MASTER_KEY": django_settings.RATHAUS_MASTER_KEY,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mail_port),
        "DEFAULT_FROM_EMAIL": "Rathaus <noreply@rathaus.example>",
        "PYTHONPATH": str(CHECKOUT),
    }


def _worker(tmp_path, mail_port: int, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "rathaus", "worker", "--interval", "0.1", *extra],
        cwd=CHECKOUT, env=_environment(tmp_path, mail_port),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_sends_each_email_once_and_the_rest_later(
    slow_mail_server, settings, tmp_path
):
    server, port = slow_mail_server
    settings.TASKS = DATABASE_TASKS
    for number in range(EMAILS):
        queue_email(to=f"person{number}@example.org", subject=f"Nachricht {number}",
                    body="Ein Link")
    message_ids = set(OutgoingEmail.objects.values_list("message_id", flat=True))

    worker = _worker(tmp_path, port)
    try:
        # The next e-mail's recipient is being sent: the ones before are committed.
        server.wait_until(lambda: server.recipients_seen > KILL_AFTER, timeout=120,
                          worker=worker)
    finally:
        worker.kill()  # SIGKILL: no clean-up, as in a power cut
        worker.wait(timeout=30)

    assert len(server.accepted) == KILL_AFTER
    assert OutgoingEmail.objects.filter(sent_at__isnull=False).count() == KILL_AFTER
    assert DBTaskResult.objects.filter(status="RUNNING").count() == 1

    assert requeue_abandoned(lease_seconds=0) == 1
    # Every e-mail's task queued a second time as well (as a failed task sent off again
    # or the hourly sending again would), and two workers at once take them.
    for email_id in OutgoingEmail.objects.values_list("pk", flat=True):
        send_email.enqueue(email_id=email_id)
    workers = [_worker(tmp_path, port, "--batch") for _ in range(2)]
    for restarted in workers:
        _out, errors = restarted.communicate(timeout=240)
        assert restarted.returncode == 0, errors.decode()[-3000:]

    assert Counter(server.accepted) == Counter(message_ids)  # each once, none missing
    assert not OutgoingEmail.objects.filter(sent_at__isnull=True).exists()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
