"""Through the office pages, the worker checks an upload and writes its version: a
file of a million rows takes longer than a web request may (gunicorn stops a request
after 30 seconds). Staff see what is happening; a crash loses nothing and never
publishes half a version."""

import pytest
from django.core.management import call_command

from rathaus.authorities.tenancy import authority_context
from rathaus.opendata.models import DatasetVersion, Upload
from rathaus.opendata.publish import tasks
from rathaus.opendata.store import files as store
from tests.factories import DISPENSERS, create_dataset_in_office, upload_in_office

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
COLUMNS = {f"c{i}-public": "on" for i in range(7)} | {
    f"c{i}-type": t for i, t in enumerate(
        ["text", "text", "decimal", "decimal", "date", "decimal", "boolean"])}
DATASET_PAGE = "/verwaltung/offene-daten/hundekotbeutelspender/"


def _run_worker():
    call_command("worker", "--batch", "--interval", "0")


def _upload_checked(lead):
    create_dataset_in_office(lead)
    page = upload_in_office(lead, DISPENSERS.encode())
    assert "Die Datei wird geprüft" in page.text
    assert 'http-equiv="refresh"' in page.text  # reloads itself meanwhile
    assert "Wird geprüft" in lead.get(DATASET_PAGE).text  # listed on the dataset's page
    _run_worker()
    return page.redirect_chain[-1][0]


@pytest.mark.django_db(transaction=True)
def test_the_worker_checks_the_upload_and_writes_the_version(settings, town, lead):
    settings.TASKS = DATABASE_TASKS
    upload_url = _upload_checked(lead)
    page = lead.get(upload_url)
    assert "Die Datei ist gültig: 3 Zeilen." in page.text
    assert 'http-equiv="refresh"' not in page.text

    asked = lead.post(upload_url, COLUMNS, follow=True)
    assert "Die Version wird gespeichert" in asked.text
    assert 'http-equiv="refresh"' in asked.text
    with authority_context(town):
        assert not DatasetVersion.objects.exists()  # nothing until the worker has run

    _run_worker()
    done = lead.get(upload_url)
    assert "Als Version 1 gespeichert" in done.text
    with authority_context(town):
        upload = Upload.objects.get()
        assert upload.status == Upload.Status.CONFIRMED
        assert upload.version.created_by.email == "erika@leichlingen.example"
        # A worker restarted after a crash runs the task again: still one version.
        tasks.publish_upload.call(authority_id=town.pk, upload_id=str(upload.pk))
        assert upload.version.dataset.versions.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_failed_writing_publishes_nothing_and_can_be_confirmed_again(
        settings, town, lead, monkeypatch):
    settings.TASKS = DATABASE_TASKS
    upload_url = _upload_checked(lead)
    lead.post(upload_url, COLUMNS)

    def disk_full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(store, "write_version", disk_full)
    _run_worker()
    page = lead.get(upload_url)
    assert "Die Version konnte nicht gespeichert werden" in page.text
    assert "Als Version" not in page.text
    with authority_context(town):
        assert Upload.objects.get().status == Upload.Status.CHECKED
        assert not DatasetVersion.objects.exists()

    monkeypatch.undo()
    lead.post(upload_url, COLUMNS)
    _run_worker()
    assert "Als Version 1 gespeichert" in lead.get(upload_url).text


@pytest.mark.django_db(transaction=True)
def test_a_broken_check_asks_for_the_file_again(settings, town, lead, monkeypatch):
    settings.TASKS = DATABASE_TASKS
    create_dataset_in_office(lead)
    page = upload_in_office(lead, DISPENSERS.encode())
    upload_url = page.redirect_chain[-1][0]

    def broken(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr("rathaus.opendata.publish.services.inspect_file", broken)
    _run_worker()
    page = lead.get(upload_url)
    assert "technischen Fehlers nicht geprüft werden" in page.text
    with authority_context(town):
        assert Upload.objects.get().status == Upload.Status.INVALID
    assert not list(store.uploads_dir().iterdir())  # the kept file is gone


@pytest.mark.django_db(transaction=True)
def test_an_upload_discarded_while_waiting_is_not_checked(settings, town, lead):
    settings.TASKS = DATABASE_TASKS
    create_dataset_in_office(lead)
    page = upload_in_office(lead, DISPENSERS.encode())
    upload_url = page.redirect_chain[-1][0]
    lead.post(upload_url.rstrip("/") + "/verwerfen/")
    _run_worker()
    with authority_context(town):
        assert Upload.objects.get().status == Upload.Status.DISCARDED
