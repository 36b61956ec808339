"""Stored files that no row points to go after a day; everything else stays."""

import datetime
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from rathaus.authorities.tenancy import authority_context
from rathaus.records.blobs import store_blob
from rathaus.storage_sweep import sweep


def _age(path: Path, days: float) -> None:
    then = time.time() - days * 86400
    os.utime(path, (then, then))


def test_only_old_unreferenced_files_are_swept(town):
    root = Path(settings.MEDIA_ROOT)
    with authority_context(town):
        kept_name, _ = store_blob(b"referenced", authority_slug=town.slug)
        orphan_name, _ = store_blob(b"rolled back", authority_slug=town.slug)
        young_name, _ = store_blob(b"still being written", authority_slug=town.slug)
    for name in (kept_name, orphan_name):
        _age(root / name, 2)
    assert sweep("records", {kept_name}) == 1
    assert (root / kept_name).exists() and (root / young_name).exists()
    assert not (root / orphan_name).exists()
    assert sweep("nothing-here", set()) == 0  # a prefix never written is fine
    assert sweep("records", {kept_name}, min_age=datetime.timedelta(0)) == 1  # the young one


def test_tidy_up_command_reports_each_part(town, capsys):
    call_command("tidy_up")
    out = capsys.readouterr().out
    for part in ("expired drafts", "orphan eAkte blobs", "orphan mailbox files",
                 "orphan draft uploads", "orphan open data files", "spent account tokens"):
        assert f"{part}: 0" in out


def test_the_worker_signs_the_audit_tree_heads_at_start(town, monkeypatch):
    import threading

    from rathaus.audit.models import AuditTreeHead
    from rathaus.audit.services import record
    from rathaus.authorities.tenancy import authority_context
    from rathaus.background.management.commands import worker
    from rathaus.background.management.commands.worker import Command

    with authority_context(town):
        record("test.event")
    # The test's connection holds its transaction; the worker's would be closed.
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
    stop = threading.Event()
    stop.set()  # one round, then stop
    Command._watch(stop)
    assert AuditTreeHead.objects.get().tree_size == 1
