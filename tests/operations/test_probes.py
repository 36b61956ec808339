"""/healthz and /readyz: what a load balancer and the monitoring ask, by address and
over plain HTTP (docs/operations.md, "Health, metrics and logs")."""

import datetime

import boto3
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from moto import mock_aws

from rathaus.operations import heartbeat
from rathaus.operations.models import WorkerHeartbeat

# A load balancer asks by the web process's address, not an authority's host name.
BY_ADDRESS = {"HTTP_HOST": "10.0.0.7:8000"}
TOWN = "leichlingen.localhost"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def storage_dir(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "storage"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def worker_seen(db):
    heartbeat.beat("worker-host:4242")


def _ready(**extra):
    response = Client().get("/readyz", **extra)
    return response.status_code, response.content.decode()


def test_healthz_answers_ok_by_address_without_any_authority(db):
    response = Client().get("/healthz", **BY_ADDRESS)
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


def test_ready_when_database_storage_and_a_worker_answer(storage_dir, worker_seen):
    assert _ready(**BY_ADDRESS) == (200, "ready")


def test_ready_before_the_first_document_made_the_storage_directory(settings, tmp_path,
                                                                       worker_seen):
    settings.MEDIA_ROOT = tmp_path / "not-yet" / "storage"  # the storage creates it
    assert _ready() == (200, "ready")


def test_not_ready_without_a_worker(storage_dir, db):
    assert _ready() == (503, "worker: none seen in the last 180 s\n")


def test_not_ready_when_the_workers_were_last_seen_too_long_ago(settings, storage_dir, db):
    settings.RATHAUS_WORKER_SEEN_SECONDS = 60
    heartbeat.beat("worker-host:1")
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - datetime.timedelta(seconds=61))
    assert _ready() == (503, "worker: none seen in the last 60 s\n")
    heartbeat.beat("worker-host:2")  # another one is alive: stale rows do not matter
    assert _ready() == (200, "ready")


def test_not_ready_when_the_storage_directory_cannot_be(settings, tmp_path, worker_seen):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    settings.MEDIA_ROOT = blocker / "storage"
    assert _ready() == (503, "storage: not a directory\n")


def test_not_ready_when_the_storage_directory_is_a_file(settings, tmp_path, worker_seen):
    settings.MEDIA_ROOT = tmp_path / "storage"
    settings.MEDIA_ROOT.write_text("")
    assert _ready() == (503, "storage: not a directory\n")


def test_every_failed_check_has_its_line_and_nothing_more(settings, tmp_path, db):
    settings.MEDIA_ROOT = tmp_path / "storage"
    settings.MEDIA_ROOT.write_text("")
    status, text = _ready()
    assert status == 503
    assert text.splitlines() == ["storage: not a directory",
                                 "worker: none seen in the last 180 s"]


def test_not_ready_when_the_database_does_not_answer(storage_dir, worker_seen):
    def refuse(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused to db.internal")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(connection, "cursor", refuse)
        status, text = _ready()
    assert status == 503
    assert text.splitlines()[0] == "database: not reachable"
    assert "db.internal" not in text


BUCKET = "rathaus-readyz"


@pytest.fixture
def object_store(settings):
    """The S3 storage of RATHAUS_STORAGE_BACKEND=s3, against moto's S3 in this process."""
    with mock_aws():
        settings.STORAGES = {**settings.STORAGES, "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": BUCKET, "region_name": "eu-central-1",
                        "access_key": "test", "secret_key": "test"}}}
        yield boto3.client("s3", region_name="eu-central-1", aws_access_key_id="test",
                           aws_secret_access_key="test")


def test_ready_with_documents_in_an_object_store(object_store, worker_seen):
    object_store.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={
        "LocationConstraint": "eu-central-1"})
    assert _ready() == (200, "ready")
    # Nothing was written to find that out.
    assert object_store.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


def test_not_ready_when_the_bucket_is_missing(object_store, worker_seen):
    assert _ready() == (503, "storage: not reachable\n")


def test_probes_skip_the_https_redirect(settings, storage_dir, worker_seen):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = []
    assert Client().get("/readyz", **BY_ADDRESS).status_code == 200
    assert Client().get("/healthz", **BY_ADDRESS).status_code == 200
    # Pages are still redirected.
    assert Client().get("/impressum/", HTTP_HOST=TOWN).status_code == 301


def test_other_pages_by_address_are_still_refused(db):
    assert Client().get("/impressum/", **BY_ADDRESS).status_code == 400


@pytest.mark.django_db(transaction=True)
def test_the_worker_says_it_is_alive_and_goes_away_when_it_stops(settings, storage_dir,
                                                                 monkeypatch):
    settings.TASKS = DATABASE_TASKS
    answers = []
    beat = heartbeat.beat

    def beat_and_ask(name, **kwargs):
        beat(name, **kwargs)
        answers.append((list(WorkerHeartbeat.objects.values_list("name", flat=True)),
                        _ready()))

    monkeypatch.setattr(heartbeat, "beat", beat_and_ask)
    assert _ready()[0] == 503

    call_command("worker", "--batch", "--interval", "0")

    assert answers == [([heartbeat.worker_name()], (200, "ready"))]
    assert not WorkerHeartbeat.objects.exists()  # a clean stop removes it
    assert _ready()[0] == 503


def test_rows_of_long_dead_workers_go_when_a_worker_starts(db):
    heartbeat.beat("killed-host:1")
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - datetime.timedelta(days=2))
    heartbeat.beat("killed-host:2")  # seen just now: kept
    heartbeat.beat("new-host:3", started_at=timezone.now())
    assert sorted(WorkerHeartbeat.objects.values_list("name", flat=True)) == [
        "killed-host:2", "new-host:3"]
