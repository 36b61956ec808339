"""How many files and how many bytes one request may bring (OWASP ASVS 12.1, issue 11).

A request that brought 100 files of 10 MB each held them all in a web worker's memory;
now the citizen's answer takes at most RATHAUS_UPLOAD_MAX_FILES files and
RATHAUS_UPLOAD_MAX_TOTAL_MB together, uploads are streamed to temporary files, and a
request beyond the hard limits gets a German error page, never a 500.
"""

import pytest
from django.conf import settings as django_settings

from rathaus.authorities.tenancy import authority_context
from rathaus.cases import actions
from rathaus.cases.models import Case
from rathaus.records.models import Document
from tests.factories import citizen_logged_in, make_case, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(dog_town, people):
    """A case of the citizen `people.owner` that waits for their answer, and their client."""
    with authority_context(dog_town):
        case = make_case(people.owner)
        actions.request_information(case=case, staff=people.decider, text="Bitte Nachweis.")
    return case, citizen_logged_in(people.owner)


def _state(case):
    with authority_context(case.authority):
        return (Case.objects.get(pk=case.pk).status,
                Document.objects.filter(case_file=case.case_file).count())


def test_the_limits_are_ten_files_and_fifty_megabytes_unless_configured():
    assert django_settings.RATHAUS_UPLOAD_MAX_FILES == 10
    assert django_settings.RATHAUS_UPLOAD_MAX_TOTAL_BYTES == 50 * 1024 * 1024


def test_uploads_are_streamed_to_temporary_files_not_held_in_memory():
    assert django_settings.FILE_UPLOAD_HANDLERS == [
        "django.core.files.uploadhandler.TemporaryFileUploadHandler"]


def test_an_answer_with_too_many_files_is_refused_in_german_and_nothing_is_saved(waiting):
    case, client = waiting
    before = _state(case)
    files = [pdf_upload(f"nachweis-{n}.pdf") for n in range(11)]
    response = client.post(f"/vorgaenge/{case.pk}/", {"text": "Anbei.", "files": files})
    assert response.status_code == 200
    assert "Bitte wählen Sie höchstens 10 Dateien auf einmal." in response.text
    assert _state(case) == before


def test_an_answer_larger_than_the_total_limit_is_refused_in_german(waiting, settings):
    case, client = waiting
    settings.RATHAUS_UPLOAD_MAX_TOTAL_BYTES = 1024
    before = _state(case)
    files = [pdf_upload(f"nachweis-{n}.pdf") for n in range(3)]
    assert sum(f.size for f in files) > 1024
    response = client.post(f"/vorgaenge/{case.pk}/", {"text": "Anbei.", "files": files})
    assert response.status_code == 200
    assert "Die Dateien sind zusammen größer als" in response.text
    assert _state(case) == before


def test_an_answer_within_the_limits_is_saved(waiting):
    case, client = waiting
    files = [pdf_upload(f"nachweis-{n}.pdf") for n in range(10)]
    response = client.post(f"/vorgaenge/{case.pk}/", {"text": "Anbei.", "files": files})
    assert response.status_code == 302
    assert _state(case)[0] == "in_review"


def test_more_files_than_any_page_takes_get_the_german_error_page(waiting):
    case, client = waiting
    before = _state(case)
    files = [pdf_upload(f"nachweis-{n}.pdf") for n in range(25)]
    response = client.post(f"/vorgaenge/{case.pk}/", {"text": "Anbei.", "files": files})
    assert response.status_code == 400
    assert "Zu viele Dateien" in response.text
    assert _state(case) == before


def test_a_request_larger_than_any_page_takes_gets_the_german_413_page(waiting):
    case, client = waiting
    before = _state(case)
    # Only the announced length counts: the page refuses before it reads the body.
    response = client.post(f"/vorgaenge/{case.pk}/", {"text": "Anbei.",
                                                      "files": [pdf_upload()]},
                           CONTENT_LENGTH=str(200 * 1024 * 1024))
    assert response.status_code == 413
    assert "Zu viele Daten" in response.text
    assert _state(case) == before
