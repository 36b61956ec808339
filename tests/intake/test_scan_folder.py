"""The scanner folder: read by the worker about once a minute and by `rathaus
read_scan_folder`; files leave the folder only once their item is committed."""

import fcntl
import os
import threading
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from rathaus.authorities.tenancy import authority_context
from rathaus.background.housekeeping import tidy_up
from rathaus.intake.models import IncomingItem
from rathaus.intake.scan_folder import LOCK_FILE, read_all_scan_folders

from .letters import letter, scanned_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(settings, tmp_path, office):
    settings.RATHAUS_SCAN_INBOX_DIR = tmp_path / "scans"
    folder = settings.RATHAUS_SCAN_INBOX_DIR / office.town.slug
    (folder / "steueramt").mkdir(parents=True)
    return folder


def _write(path, content: bytes, *, age: float = 60):
    path.write_bytes(content)
    then = time.time() - age
    os.utime(path, (then, then))


def test_a_scan_in_a_departments_folder_becomes_its_item_and_is_moved(inbox, office):
    scan = scanned_pdf(letter(aktenzeichen=office.dog_file.aktenzeichen))
    _write(inbox / "steueramt" / "scan-0001.pdf", scan)
    _write(inbox / "notiz.txt", b"nur eine Notiz")
    _write(inbox / "steueramt" / "scan-0002.pdf", scan, age=0)  # still being written

    call_command("read_scan_folder")

    with authority_context(office.town):
        item = IncomingItem.objects.get()
    assert item.source == "scan_folder" and item.department == office.steueramt
    assert item.status == "ready" and item.suggested_case_file == office.dog_file
    today = timezone.localdate().isoformat()
    assert (inbox / "verarbeitet" / today / "scan-0001.pdf").read_bytes() == scan
    assert not (inbox / "steueramt" / "scan-0001.pdf").exists()
    assert (inbox / "abgelehnt" / today / "notiz.txt").exists()
    assert (inbox / "abgelehnt" / today / "notiz.txt.grund.txt").read_text().strip()
    assert (inbox / "steueramt" / "scan-0002.pdf").exists()  # left for the next pass


def test_a_file_whose_move_was_lost_is_not_taken_twice(inbox, office):
    scan = scanned_pdf(["Ein Brief"])
    _write(inbox / "brief.pdf", scan)
    call_command("read_scan_folder")
    _write(inbox / "brief.pdf", scan)  # as if the move after the commit had failed
    call_command("read_scan_folder")
    with authority_context(office.town):
        item = IncomingItem.objects.get()
    assert item.department is None  # for the records managers to sort
    assert not (inbox / "brief.pdf").exists()


def _one_worker_round(monkeypatch):
    """The worker's watch loop, one round: what it does every minute, then it stops."""
    from rathaus.background.management.commands import worker

    # The test's connection holds its transaction; the worker's would be closed.
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
    stop = threading.Event()
    stop.set()
    worker.Command._watch(stop)


def test_the_workers_round_reads_the_folder_so_a_scan_arrives_within_a_minute(
        inbox, office, monkeypatch, settings):
    settings.RATHAUS_TASK_LEASE_SECONDS = 300  # the round comes every min(60, lease) s
    _write(inbox / "steueramt" / "brief.pdf",
           scanned_pdf(letter(aktenzeichen=office.dog_file.aktenzeichen)))
    _one_worker_round(monkeypatch)
    with authority_context(office.town):
        item = IncomingItem.objects.get()
    assert item.status == "ready" and item.suggested_case_file == office.dog_file
    assert not (inbox / "steueramt" / "brief.pdf").exists()
    # The hourly housekeeping no longer reads the folder, only what waited for a package.
    _write(inbox / "steueramt" / "zweiter.pdf", scanned_pdf(["Ein zweiter Brief"]))
    assert "incoming mail read again" in tidy_up()
    assert (inbox / "steueramt" / "zweiter.pdf").exists()


def test_a_failing_folder_does_not_stop_the_workers_round(inbox, office, monkeypatch,
                                                         caplog):
    from rathaus.intake import scan_folder

    def unreachable(**kwargs):
        raise PermissionError("the share is gone")

    monkeypatch.setattr(scan_folder, "read_scan_folder", unreachable)
    _one_worker_round(monkeypatch)  # logged, not raised: the loop goes on
    assert "Reading the scanner folders failed." in caplog.text


def test_empty_or_missing_folders_cost_no_query_per_department(
        inbox, office, settings, django_assert_num_queries):
    settings.RATHAUS_SCAN_INBOX_DIR = inbox.parent.parent / "nicht-da"
    with django_assert_num_queries(0):
        assert read_all_scan_folders() == 0
    settings.RATHAUS_SCAN_INBOX_DIR = inbox.parent
    (inbox / "verarbeitet").mkdir()
    with django_assert_num_queries(1):  # the authorities with a folder; no department
        assert read_all_scan_folders() == 0


def test_a_folder_another_worker_reads_is_left_to_it(inbox, office):
    _write(inbox / "brief.pdf", scanned_pdf(["Ein Brief"]))
    with open(inbox / LOCK_FILE, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as another worker holds it
        assert read_all_scan_folders() == 0
        assert (inbox / "brief.pdf").exists()
    assert read_all_scan_folders() == 1  # released: the next round takes it
