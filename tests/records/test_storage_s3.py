"""Document storage through the real S3 protocol (moto's server on loopback, ADR 0036),
and the streaming that keeps memory bounded on both backends."""

import datetime
import hashlib
import os
import subprocess
import sys
import tracemalloc
from functools import partial

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from rathaus.records import blobs, housekeeping
from rathaus.records.blobs import blob_name, open_verified, read_blob, store_blob, store_stream
from rathaus.records.errors import ContentIntegrityError
from rathaus.records.housekeeping import keep_blobs_named_by, sweep_orphan_blobs
from rathaus.records.responses import document_response
from rathaus.records.services import add_document, add_version, open_case_file
from rathaus.storage_sweep import sweep

from . import samples
from .s3_server import CREDENTIALS, REGION


@pytest.fixture
def case_file(dog_tax_plan):
    return open_case_file(plan_code="32.41.01", title="Hundeanmeldung")


def add(case_file, content):
    return add_document(case_file=case_file, title="Dokument", kind="upload", content=content,
                        media_type="application/pdf", filename="dokument.pdf")


def test_documents_are_stored_and_read_through_s3(in_town, case_file, s3_storage):
    version = add(case_file, samples.pdf())
    again = add(case_file, samples.pdf())
    assert version.storage_name == again.storage_name == blob_name(
        authority_slug="leichlingen", sha256=hashlib.sha256(samples.pdf()).hexdigest())
    assert s3_storage.object_names() == [version.storage_name]  # identical content stored once
    assert read_blob(version.storage_name, sha256=version.sha256) == samples.pdf()


def test_downloads_stream_from_s3_and_refuse_changed_or_missing_objects(
    in_town, case_file, s3_storage, monkeypatch
):
    monkeypatch.setattr(blobs, "CHUNK_SIZE", 1024)
    content = samples.pdf() + b"%" * 10_000
    version = add(case_file, content)
    chunks = list(document_response(version).streaming_content)
    assert len(chunks) > 5 and b"".join(chunks) == content
    s3_storage.put(version.storage_name, content.replace(b"%", b"#"))
    with pytest.raises(ContentIntegrityError, match="does not match"):
        document_response(version)
    s3_storage.delete(version.storage_name)
    with pytest.raises(ContentIntegrityError, match="missing"):
        document_response(version)


def test_a_changed_object_is_never_reused_for_new_content(in_town, case_file, s3_storage):
    version = add(case_file, b"erste Fassung")
    s3_storage.put(version.storage_name, b"untergeschoben")
    with pytest.raises(ContentIntegrityError):
        add_version(document=version.document, content=b"erste Fassung",
                    media_type="application/pdf", filename="dokument.pdf")
    assert s3_storage.client.get_object(  # the evidence stays as it was found
        Bucket=s3_storage.name, Key=version.storage_name)["Body"].read() == b"untergeschoben"


def test_uploaded_files_are_stored_from_their_start(in_town, case_file, s3_storage, tmp_path):
    upload = SimpleUploadedFile("scan.pdf", samples.pdf(), content_type="application/pdf")
    upload.read()  # the upload checks read it once already
    version = add(case_file, upload)
    assert (version.size, version.sha256) == (
        len(samples.pdf()), hashlib.sha256(samples.pdf()).hexdigest())
    path = tmp_path / "brief.pdf"
    path.write_bytes(b"%PDF- vom Scanner")
    stored = store_stream(path, authority_slug="leichlingen")
    assert read_blob(stored.name, sha256=stored.sha256) == b"%PDF- vom Scanner"
    with pytest.raises(ValueError, match="needs content"):
        add(case_file, SimpleUploadedFile("leer.pdf", b""))


def test_the_sweep_removes_only_old_orphans_from_the_bucket(
    in_town, case_file, s3_storage, monkeypatch
):
    monkeypatch.setattr(housekeeping, "_KEEPERS", [])
    kept = add(case_file, b"in einer Akte")
    orphan, _ = store_blob(b"zurueckgerollt", authority_slug="leichlingen")
    waiting, _ = store_blob(b"im Posteingang", authority_slug="leichlingen")
    keep_blobs_named_by(lambda: [waiting])
    # Everything is seconds old: the default minimum age of a day keeps it all.
    assert sweep_orphan_blobs() == 0
    monkeypatch.setattr(housekeeping, "sweep", partial(sweep, min_age=datetime.timedelta(0)))
    monkeypatch.setattr("rathaus.storage_sweep.BATCH_SIZE", 1)  # one question per name
    assert sweep_orphan_blobs() == 1
    assert s3_storage.object_names() == sorted([kept.storage_name, waiting])
    assert sweep("nothing-here", set()) == 0  # a prefix never written


def test_the_sweep_asks_the_database_in_batches(in_town, case_file, monkeypatch):
    versions = [add(case_file, f"Fassung {n}".encode()) for n in range(5)]
    orphan, _ = store_blob(b"verwaist", authority_slug="leichlingen")
    asked = []

    def referenced(names):
        asked.append(len(names))
        return {v.storage_name for v in versions} & set(names)

    monkeypatch.setattr("rathaus.storage_sweep.BATCH_SIZE", 2)
    assert sweep("records", referenced, min_age=datetime.timedelta(0)) == 1
    assert sum(asked) == 6 and max(asked) == 2


def test_storing_and_reading_a_large_file_keeps_memory_bounded(in_town, tmp_path):
    size = 24 * 1024 * 1024
    source = tmp_path / "gross.pdf"
    with source.open("wb") as out:
        for n in range(size // 65536):
            out.write(bytes([n % 251]) * 65536)
    upload = TemporaryUploadedFile("gross.pdf", "application/pdf", size, None)
    upload.file.write(source.read_bytes())
    upload.file.flush()
    tracemalloc.start()
    try:
        stored = store_stream(upload, authority_slug="leichlingen")
        with open_verified(stored.name, sha256=stored.sha256) as blob:
            streamed = sum(len(chunk) for chunk in blob.chunks())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        upload.close()
    assert stored.size == streamed == size
    assert peak < 4 * blobs.CHUNK_SIZE, peak  # a few chunks, never the 24 MB


_STORE_AND_READ = """
import django
django.setup()
from django.core.files.storage import default_storage
from rathaus.records.blobs import read_blob, store_blob
name, sha256 = store_blob(b"aus der Umgebung", authority_slug="leichlingen")
print(type(default_storage._wrapped).__name__, read_blob(name, sha256=sha256).decode())
"""


def _run_with(env: dict, tmp_path) -> subprocess.CompletedProcess:
    keep = {k: v for k, v in os.environ.items()
            if not k.startswith(("RATHAUS_S3_", "AWS_", "RATHAUS_STORAGE"))}
    return subprocess.run(
        [sys.executable, "-c", _STORE_AND_READ],
        env={**keep, "DJANGO_SETTINGS_MODULE": "rathaus.settings",
             "RATHAUS_VAR_DIR": str(tmp_path), **env},
        capture_output=True, text=True, timeout=120)


def test_the_environment_selects_the_s3_store(s3_storage, tmp_path):
    endpoint = s3_storage.client.meta.endpoint_url
    result = _run_with({
        "RATHAUS_STORAGE_BACKEND": "s3", "RATHAUS_S3_BUCKET": s3_storage.name,
        "RATHAUS_S3_ENDPOINT_URL": endpoint, "RATHAUS_S3_REGION": REGION,
        "RATHAUS_S3_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
        "RATHAUS_S3_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
        "RATHAUS_S3_ADDRESSING_STYLE": "path",
    }, tmp_path)
    assert result.stdout.split() == ["S3Storage", "aus", "der", "Umgebung"], result.stderr
    assert len(s3_storage.object_names()) == 1


def test_an_incomplete_storage_setting_stops_the_start(tmp_path):
    result = _run_with({"RATHAUS_STORAGE_BACKEND": "s3"}, tmp_path)
    assert result.returncode != 0 and "RATHAUS_S3_BUCKET" in result.stderr
    result = _run_with({"RATHAUS_STORAGE_BACKEND": "nfs"}, tmp_path)
    assert result.returncode != 0 and "'filesystem' or 's3'" in result.stderr
