"""No lost work: a worker killed in the middle of notice generation, then restarted,
leaves exactly one notice."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from rathaus.authorities.tenancy import authority_context
from rathaus.cases.models import Case
from rathaus.dogs.models import Dog
from rathaus.mailbox.models import Message
from rathaus.records.models import Document
from tests.factories import (
    CHECKOUT,
    approve_in_the_office,
    send_application,
)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}")


def _decision_task() -> DBTaskResult:
    return DBTaskResult.objects.get(task_path__endswith="issue_decision")


def _environment(storage: Path, **extra) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "TASK_BACKEND": "database",
        "RATHAUS_STORAGE_DIR": str(storage),
        # The worker's housekeeping sweeps this folder: never the checkout's var/.
        "RATHAUS_OPENDATA_DIR": str(storage / "opendata"),
        "SECRET_KEY": django_settings.SECRET_KEY,
        "RATHAUS_MASTER_KEY": django_settings.RATHAUS_MASTER_KEY,
        "PYTHONPATH": str(CHECKOUT),
        **extra,
    }


@pytest.mark.django_db(transaction=True)
def test_killed_worker_leaves_exactly_one_notice_after_restart(
    dog_town, citizen_client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    case_id = send_application(citizen_client)
    settings.TASKS = DATABASE_TASKS
    approve_in_the_office(dog_town, case_id)
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    marker = tmp_path / "marker"
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.background.slow_notice_worker"], cwd=CHECKOUT,
        env=_environment(tmp_path, MARKER_FILE=str(marker)),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 90
        while not marker.exists():
            assert worker.poll() is None, worker.stderr.read().decode()[-3000:]
            assert time.monotonic() < deadline, "the worker never reached notice generation"
            time.sleep(0.1)
    finally:
        worker.kill()  # SIGKILL: no clean-up, as in a power cut
        worker.wait(timeout=30)

    with authority_context(dog_town):
        case = Case.objects.get(pk=case_id)
        assert not Document.objects.filter(case_file=case.case_file, kind="notice").exists()
        assert not Dog.objects.exists()
    assert _decision_task().status == "RUNNING"

    restarted = subprocess.run(
        [sys.executable, "-m", "rathaus", "worker", "--batch", "--interval", "0.1"],
        cwd=CHECKOUT, env=_environment(tmp_path, RATHAUS_TASK_LEASE_SECONDS="0"),
        capture_output=True, text=True, timeout=180,
    )
    assert restarted.returncode == 0, restarted.stderr[-3000:]

    assert _decision_task().status == "SUCCESSFUL"
    with authority_context(dog_town):
        assert Document.objects.filter(case_file=case.case_file, kind="notice").count() == 1
        assert Dog.objects.count() == 1
        assert Message.objects.filter(reference=case.reference).count() == 1
