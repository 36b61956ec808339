"""The hourly housekeeping discards uploads never confirmed, and removes store files
that nothing points to: those of a rolled-back or broken-off writing and raw uploads
without a waiting row. Versions, superseded ones too, and anything younger than a day
stay."""

import datetime
import os
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from rathaus.audit.models import AuditEntry
from rathaus.authorities.tenancy import authority_context
from rathaus.opendata.models import Upload
from rathaus.opendata.publish import services
from rathaus.opendata.publish.housekeeping import expire_uploads, sweep_orphan_store_files
from rathaus.opendata.store import files as store
from tests.factories import DISPENSERS, publish_csv

TWO_DAYS = 2 * 24 * 3600


def _age(path, seconds=TWO_DAYS):
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def _all_aged():
    for path in [*store.root().iterdir(), *store.uploads_dir().iterdir()]:
        _age(path)


def test_orphans_go_and_versions_stay(town, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # raw files of versions go
        dataset, first = publish_csv(town, DISPENSERS)
        _dataset, second = publish_csv(town, DISPENSERS.replace("Marktplatz", "Markt"),
                                       name="spender-2")
    with authority_context(town):  # a file checked and waiting to be confirmed
        waiting = services.receive_upload(
            dataset=dataset, actor=first.created_by,
            file=SimpleUploadedFile("neu.csv", DISPENSERS.encode()))
    orphan_key = "ab" * 32
    for suffix in (".csv", ".csv.gz", ".sqlite"):
        store.path_for(orphan_key, suffix).write_bytes(b"rolled back")
    broken = store.root() / f"{store.WORK_PREFIX}x1y2"
    broken.mkdir()
    (broken / "rows.csv").write_bytes(b"half")
    (store.uploads_dir() / "0b9c1c43-6a8e-4a62-9d3f-2f0c1f6e0c11.csv").write_bytes(b"no row")
    _all_aged()
    fresh = store.path_for("cd" * 32, ".csv")
    fresh.write_bytes(b"its transaction may still run")

    assert sweep_orphan_store_files() == 5  # 3 version files, a folder, an upload

    assert not store.path_for(orphan_key, ".sqlite").exists() and not broken.exists()
    assert fresh.exists()
    for version in (first, second):
        for suffix in (".csv", ".csv.gz", ".sqlite"):
            assert store.path_for(version.sha256, suffix).exists()
    assert (store.uploads_dir() / f"{waiting.pk}.csv").exists()
    assert sweep_orphan_store_files() == 0


def test_an_upload_never_confirmed_expires_with_its_file(town):
    dataset, version = publish_csv(town, DISPENSERS)
    with authority_context(town):
        old, recent = (services.receive_upload(
            dataset=dataset, actor=version.created_by,
            file=SimpleUploadedFile(name, DISPENSERS.encode())) for name in ("a.csv", "b.csv"))
        Upload.objects.filter(pk=old.pk).update(
            uploaded_at=timezone.now() - datetime.timedelta(days=31))

        assert expire_uploads() == 1

        old.refresh_from_db()
        recent.refresh_from_db()
        assert old.status == Upload.Status.DISCARDED
        assert recent.status == Upload.Status.CHECKED
        assert not (store.uploads_dir() / f"{old.pk}.csv").exists()
        assert (store.uploads_dir() / f"{recent.pk}.csv").exists()
        entry = AuditEntry.objects.get(action="opendata.upload_discarded")
        assert entry.actor is None and entry.data["filename"] == "a.csv"
