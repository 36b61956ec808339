"""Killing the worker in the middle of a hand-over loses nothing and duplicates
nothing: the restarted worker receives it once."""

import subprocess
import sys
import time

import pytest
from django_tasks_db.models import DBTaskResult

from rathaus.authorities.tenancy import authority_context
from rathaus.handover.models import Submission
from rathaus.handover.services import send_submission
from tests.background.test_worker_crash import _environment
from tests.factories import CHECKOUT
from tests.handover.conftest import DATABASE_TASKS, SERVICE, results_in

WORKER = [sys.executable, "-m", "tests.handover.receiving_worker"]


def _receiving_task() -> DBTaskResult:
    return DBTaskResult.objects.get(task_path__endswith="receive_submission")


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_receiving_leaves_one_result_after_restart(
        sender, destination, settings, tmp_path):
    settings.TASKS = DATABASE_TASKS
    with authority_context(sender):
        sent = send_submission(destination=destination, service_id=SERVICE,
                               data={"fin": "WVWZZZ1JZXW000001"},
                               attachments=[("a.pdf", "application/pdf", b"%PDF-1.7")],
                               reference="LE-2026-0099")

    marker = tmp_path / "marker"
    worker = subprocess.Popen(WORKER, cwd=CHECKOUT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE,
                              env=_environment(tmp_path, RECEIVER_HANGS="1",
                                               MARKER_FILE=str(marker)))
    try:
        deadline = time.monotonic() + 90
        while not marker.exists():
            assert worker.poll() is None, worker.stderr.read().decode()[-3000:]
            assert time.monotonic() < deadline, "the worker never reached the receiver"
            time.sleep(0.1)
    finally:
        worker.kill()  # SIGKILL: no clean-up, as in a power cut
        worker.wait(timeout=30)

    with authority_context(destination):
        (row,) = Submission.objects.filter(submission_id=sent.submission_id)
    assert row.state == Submission.State.QUEUED and results_in(destination) == 0
    assert _receiving_task().status == "RUNNING"

    restarted = subprocess.run(WORKER, cwd=CHECKOUT, capture_output=True, text=True,
                               timeout=180,
                               env=_environment(tmp_path, RATHAUS_TASK_LEASE_SECONDS="0"))
    assert restarted.returncode == 0, restarted.stderr[-3000:]

    assert _receiving_task().status == "SUCCESSFUL"
    with authority_context(destination):
        (row,) = Submission.objects.filter(submission_id=sent.submission_id)
    assert row.state == Submission.State.RECEIVED and results_in(destination) == 1
