"""The nightly integrity check finds every document version whose stored bytes were
changed or removed, on the local filesystem and on an S3 object store."""

import datetime
import logging
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from rathaus.audit.models import AuditEntry
from rathaus.authorities.tenancy import authority_context
from rathaus.background.housekeeping import nightly_integrity_check
from rathaus.background.management.commands import worker
from rathaus.records import integrity
from rathaus.records.integrity import check_integrity
from rathaus.records.models import IntegrityRun
from rathaus.records.services import add_document, open_case_file

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def case_file(dog_tax_plan):
    return open_case_file(plan_code="32.41.01", title="Hundeanmeldung")


def add(case_file, content: bytes):
    return add_document(case_file=case_file, title="Dokument", kind="upload",
                        content=content, media_type="application/pdf",
                        filename="dokument.pdf")


@pytest.fixture
def three_versions(case_file):
    return [add(case_file, f"Inhalt {n}".encode()) for n in range(3)]


def test_a_clean_store_reports_nothing(in_town, three_versions):
    [run] = check_integrity(authority=in_town)
    assert (run.checked, run.mismatches) == (3, [])
    assert run.finished_at is not None
    assert not AuditEntry.objects.filter(action="records.integrity_mismatch").exists()


def test_changed_and_deleted_documents_are_reported(
    in_town, case_file, three_versions, storage_dir, caplog
):
    changed, intact, deleted = three_versions
    (storage_dir / changed.storage_name).write_bytes(b"Inhalt 0, nachtraeglich geaendert")
    (storage_dir / deleted.storage_name).unlink()
    with caplog.at_level(logging.ERROR, logger="rathaus.records.integrity"):
        [run] = check_integrity(authority=in_town)
    assert run.checked == 3
    assert sorted(run.mismatches, key=lambda m: m["problem"]) == [
        {"version": str(changed.uuid), "aktenzeichen": case_file.aktenzeichen,
         "problem": "changed"},
        {"version": str(deleted.uuid), "aktenzeichen": case_file.aktenzeichen,
         "problem": "missing"},
    ]
    assert IntegrityRun.objects.get() == run
    audited = AuditEntry.objects.filter(action="records.integrity_mismatch")
    assert sorted(e.object_id for e in audited) == sorted([str(changed.pk), str(deleted.pk)])
    assert {e.data["problem"] for e in audited} == {"changed", "missing"}
    assert str(changed.uuid) in caplog.text and "missing" in caplog.text
    assert str(intact.uuid) not in caplog.text


def test_each_authority_gets_its_own_run_and_sees_only_its_documents(
    town, district, case_file, three_versions, storage_dir
):
    (storage_dir / three_versions[0].storage_name).unlink()
    runs = {run.authority: run for run in check_integrity()}
    assert runs[town].checked == 3 and len(runs[town].mismatches) == 1
    assert (runs[district].checked, runs[district].mismatches) == (0, [])
    with authority_context(district):
        assert not AuditEntry.objects.filter(action="records.integrity_mismatch").exists()


def test_documents_are_read_in_batches(in_town, case_file, storage_dir, monkeypatch):
    monkeypatch.setattr(integrity, "BATCH_SIZE", 2)
    versions = [add(case_file, f"Stapel {n}".encode()) for n in range(5)]
    (storage_dir / versions[4].storage_name).write_bytes(b"anders")
    [run] = check_integrity(authority=in_town)
    assert run.checked == 5
    assert [m["version"] for m in run.mismatches] == [str(versions[4].uuid)]


def test_a_worker_shutting_down_leaves_the_run_unfinished(in_town, three_versions):
    asked = iter([False, True])
    [run] = check_integrity(authority=in_town, should_stop=lambda: next(asked))
    assert run.checked == 1 and run.finished_at is None
    assert IntegrityRun.objects.get().checked == 1


def test_the_command_prints_the_mismatches_and_fails(in_town, three_versions, storage_dir,
                                                     capsys):
    call_command("check_integrity", "--authority", in_town.slug)
    assert "3 checked, 0 mismatches" in capsys.readouterr().out
    (storage_dir / three_versions[1].storage_name).unlink()
    with pytest.raises(CommandError, match="1 document versions"):
        call_command("check_integrity")
    assert f"missing: version {three_versions[1].uuid}" in capsys.readouterr().out
    with pytest.raises(CommandError, match="No authority"):
        call_command("check_integrity", "--authority", "nirgendwo")


def _at(hour: int, minute: int = 0, day: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=BERLIN)


def test_the_check_runs_once_a_night_after_two_oclock(in_town, three_versions, storage_dir):
    (storage_dir / three_versions[2].storage_name).unlink()
    assert nightly_integrity_check(now=_at(2, 5)) == 1  # the first round after two
    assert nightly_integrity_check(now=_at(3, 5)) is None  # done tonight
    assert nightly_integrity_check(now=_at(23, 5)) is None  # still tonight's
    assert nightly_integrity_check(now=_at(1, 5, day=11)) is None  # not two yet
    assert nightly_integrity_check(now=_at(2, 5, day=11)) == 1  # the next night
    assert IntegrityRun.objects.count() == 2


def test_a_worker_down_at_two_catches_up_in_its_first_round(in_town, three_versions):
    assert nightly_integrity_check(now=_at(2, 5)) == 0
    assert nightly_integrity_check(now=_at(11, 0, day=12)) == 0  # missed the 11th
    assert nightly_integrity_check(now=_at(12, 0, day=12)) is None
    assert IntegrityRun.objects.count() == 2


def test_the_worker_runs_the_check_in_a_thread_of_its_own_one_at_a_time(monkeypatch):
    release, calls = threading.Event(), []

    def nightly(*, should_stop):
        calls.append(should_stop)
        release.wait(10)

    monkeypatch.setattr(worker, "nightly_integrity_check", nightly)
    monkeypatch.setattr(worker.connections, "close_all", lambda: None)
    stop = threading.Event()
    checker = worker._start_integrity_check(None, stop)
    assert worker._start_integrity_check(checker, stop) is checker  # still running
    release.set()
    checker.join(timeout=10)
    assert calls == [stop.is_set]  # a worker stopping stops the check too
    later = worker._start_integrity_check(checker, stop)
    later.join(timeout=10)
    assert later is not checker and len(calls) == 2


def test_changed_bytes_in_an_s3_bucket_are_reported(in_town, case_file, s3_storage):
    changed, deleted, intact = [add(case_file, f"S3 Inhalt {n}".encode()) for n in range(3)]
    assert s3_storage.object_names() == sorted(v.storage_name for v in (changed, deleted, intact))
    s3_storage.put(changed.storage_name, b"ausgetauscht")
    s3_storage.delete(deleted.storage_name)
    [run] = check_integrity(authority=in_town)
    assert run.checked == 3
    assert {m["version"]: m["problem"] for m in run.mismatches} == {
        str(changed.uuid): "changed", str(deleted.uuid): "missing"}
