"""The scanner folder: read by the worker's hourly pass and `rathaus read_scan_folder`;
files leave the folder only once their item is committed."""

import os
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from rathaus.authorities.tenancy import authority_context
from rathaus.background.housekeeping import tidy_up
from rathaus.intake.models import IncomingItem

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


def test_the_workers_hourly_pass_reads_the_folder(inbox, office):
    _write(inbox / "steueramt" / "brief.pdf", scanned_pdf(["Ein Brief"]))
    assert tidy_up()["incoming mail scanned or read again"] == 1
