"""Incoming mail in the office: upload, recognition in the worker (run at once in
tests), the suggestion, filing in one click or by Aktenzeichen, discarding, refusals."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from rathaus.audit.models import AuditEntry
from rathaus.authorities.tenancy import authority_context
from rathaus.intake import errors
from rathaus.intake.models import IncomingItem
from rathaus.intake.receiving import WRONG_TYPE
from rathaus.records.file_types import ZIP
from rathaus.records.models import Document, DocumentText
from tests.factories import blank_pdf

from .letters import eml_with_attachment, letter, scanned_pdf

pytestmark = pytest.mark.django_db

URL = "/verwaltung/posteingang/"


def _upload(client, department, *files, status=302):
    response = client.post(URL, {"files": list(files), "department": department.pk})
    assert response.status_code == status, response.content.decode()[:2000]
    return response


def _scan(name="brief.pdf", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, scanned_pdf(letter(**kwargs)),
                              content_type="application/pdf")


def _only_item(town) -> IncomingItem:
    with authority_context(town):
        return IncomingItem.objects.get(email__isnull=True)


def _german(message, **params) -> str:
    """A lazy message as German readers see it (lazy texts translate when read)."""
    with translation.override("de"):
        return str(message) % params if params else str(message)


def test_a_scan_naming_an_aktenzeichen_is_read_suggested_and_filed_in_one_click(office):
    client = office.client()
    reference = office.dog_file.aktenzeichen
    _upload(client, office.steueramt, _scan(aktenzeichen=reference,
                                             body="Der Hund Bello ist ein Therapiehund."))
    item = _only_item(office.town)
    assert item.status == IncomingItem.Status.READY
    assert item.text_source == "ocr" and "Therapiehund" in item.recognised_text
    assert (item.suggested_case_file, item.suggestion) == (office.dog_file, "aktenzeichen")

    page = client.get(f"{URL}{item.pk}/").content.decode()
    assert reference in page and "Hundesteuer Bello" in page
    assert client.get(f"{URL}{item.pk}/pdf/")["Content-Type"] == "application/pdf"

    response = client.post(f"{URL}{item.pk}/ablegen/", {"case_file": office.dog_file.uuid})
    assert response.status_code == 302
    with authority_context(office.town):
        item.refresh_from_db()
        document = Document.objects.get(case_file=office.dog_file)
        text = DocumentText.objects.get(document=document)
        media_type = document.versions.get().media_type
        actions = list(AuditEntry.objects.filter(object_id=str(item.pk)).order_by("seq")
                       .values_list("action", flat=True))
    assert item.status == IncomingItem.Status.FILED and item.filed_document == document
    assert document.kind == Document.Kind.INCOMING
    assert media_type == "application/pdf"
    assert text.source == "ocr" and "Therapiehund" in text.text
    assert actions == ["intake.item_received", "intake.item_recognised", "intake.item_filed"]
    assert item.pk not in {i.pk for i in client.get(URL).context["items"]}


def test_staff_file_by_typing_another_aktenzeichen(office):
    client = office.client()
    _upload(client, office.steueramt, _scan(subject="Ohne Bezug", sender="Max Muster"))
    item = _only_item(office.town)
    assert item.suggested_case_file is None
    spaced = office.dog_file.aktenzeichen.replace("-", " - ")
    response = client.post(f"{URL}{item.pk}/ablegen/", {"aktenzeichen": spaced})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.filed_document.case_file_id == office.dog_file.pk


def test_an_unknown_aktenzeichen_is_named_and_nothing_is_filed(office):
    client = office.client()
    _upload(client, office.steueramt, _scan())
    item = _only_item(office.town)
    response = client.post(f"{URL}{item.pk}/ablegen/", {"aktenzeichen": "99.99-2026-000001"})
    assert response.status_code == 400
    assert _german(errors.NO_SUCH_FILE, reference="99.99-2026-000001") in \
        response.content.decode()
    item.refresh_from_db()
    assert item.status == IncomingItem.Status.READY


def test_another_departments_staff_neither_see_nor_file_the_item(office):
    _upload(office.client(), office.steueramt, _scan())
    item = _only_item(office.town)
    other = office.client("other_clerk")
    assert other.get(f"{URL}{item.pk}/").status_code == 404
    assert other.post(f"{URL}{item.pk}/ablegen/",
                      {"case_file": office.other_file.uuid}).status_code == 404
    assert item.pk not in {i.pk for i in other.get(URL).context["items"]}
    # The records manager sees every department's mail.
    assert item.pk in {i.pk for i in office.client("records_manager").get(URL)
                       .context["items"]}


def test_the_departments_staff_cannot_file_into_a_file_they_may_not_work_on(office):
    client = office.client()
    _upload(client, office.steueramt, _scan())
    item = _only_item(office.town)
    client.post(f"{URL}{item.pk}/ablegen/", {"aktenzeichen": office.other_file.aktenzeichen})
    item.refresh_from_db()
    assert item.status == IncomingItem.Status.READY
    with authority_context(office.town):
        assert not Document.objects.filter(case_file=office.other_file).exists()


def test_discarding_needs_a_reason_and_is_audited(office):
    client = office.client()
    _upload(client, office.steueramt, _scan())
    item = _only_item(office.town)
    response = client.post(f"{URL}{item.pk}/verwerfen/", {"reason": "other"})
    assert response.status_code == 400  # "other" needs an explanation
    item.refresh_from_db()
    assert item.status == IncomingItem.Status.READY
    client.post(f"{URL}{item.pk}/verwerfen/", {"reason": "advertising"})
    item.refresh_from_db()
    assert (item.status, item.discard_reason) == (IncomingItem.Status.DISCARDED, "advertising")
    with authority_context(office.town):
        entry = AuditEntry.objects.get(action="intake.item_discarded")
    assert entry.data == {"reason": "advertising", "sha256": item.sha256}
    assert client.get(f"{URL}{item.pk}/original/").status_code == 200  # still kept


def _zip_file() -> bytes:
    """A ZIP archive of some files: not a document the eAkte takes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in (("rechnung.txt", b"Rechnung 2026-17"), ("foto.jpg", b"\xff\xd8")):
            # A fixed date: the same bytes each time it is made.
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 5, 9, 0, 0)), content)
    return buffer.getvalue()


def test_wrong_empty_and_huge_files_are_refused_with_a_message(office, settings):
    client = office.client()
    response = _upload(client, office.steueramt,
                       SimpleUploadedFile("unterlagen.zip", _zip_file()),
                       SimpleUploadedFile("leer.pdf", b""), status=400)
    page = response.content.decode()
    expected = _german(WRONG_TYPE, kind=_german(ZIP.description))
    assert "unterlagen.zip" in page and expected in page
    assert "leer.pdf" in page
    settings.RATHAUS_INTAKE_MAX_FILE_BYTES = 1000
    response = _upload(client, office.steueramt,
                       SimpleUploadedFile("gross.pdf", blank_pdf() + b" " * 2000), status=400)
    assert "gross.pdf" in response.content.decode()
    with authority_context(office.town):
        assert not IncomingItem.objects.exists()


def test_good_files_are_kept_when_another_of_the_same_upload_is_refused(office):
    client = office.client()
    _upload(client, office.steueramt, SimpleUploadedFile("unterlagen.zip", _zip_file()),
            SimpleUploadedFile("leer.pdf", blank_pdf()))
    with authority_context(office.town):
        assert IncomingItem.objects.get().original_filename == "leer.pdf"


def test_no_file_chosen_is_a_form_error(office):
    response = _upload(office.client(), office.steueramt, status=400)
    assert 'id="id_files"' in response.content.decode()


def test_without_ocr_tools_items_wait_and_the_page_names_the_packages(office, monkeypatch,
                                                                      tmp_path):
    client = office.client()
    original_path = __import__("os").environ["PATH"]
    monkeypatch.setenv("PATH", str(tmp_path))
    _upload(client, office.steueramt, _scan(aktenzeichen=office.dog_file.aktenzeichen))
    item = _only_item(office.town)
    assert (item.status, item.waiting_for_package) == (IncomingItem.Status.WAITING, "ocrmypdf")
    page = client.get(URL).content.decode()
    assert "<code>ocrmypdf</code>" in page and "<code>tesseract-ocr-deu</code>" in page
    # The packages are installed: the next page load reads what waited.
    monkeypatch.setenv("PATH", original_path)
    page = client.get(URL).content.decode()
    item.refresh_from_db()
    assert item.status == IncomingItem.Status.READY
    assert item.suggested_case_file == office.dog_file
    assert "<code>ocrmypdf</code>" not in page


def test_a_failed_recognition_can_be_tried_again(office, settings):
    client = office.client()
    settings.RATHAUS_OCR_TIMEOUT_SECONDS = 0
    _upload(client, office.steueramt, _scan())
    item = _only_item(office.town)
    assert (item.status, item.failure_code) == (IncomingItem.Status.FAILED, "timeout")
    assert client.get(f"{URL}{item.pk}/").status_code == 200
    settings.RATHAUS_OCR_TIMEOUT_SECONDS = 300
    client.post(f"{URL}{item.pk}/erneut-lesen/")
    item.refresh_from_db()
    assert item.status == IncomingItem.Status.READY and item.failure_code == ""


def test_an_email_is_filed_with_its_attachment_into_the_same_file(office):
    client = office.client()
    eml = eml_with_attachment(
        subject=f"Hundesteuer, Az. {office.dog_file.aktenzeichen}",
        body="Anbei der Nachweis über die Sachkunde.",
        attachment=scanned_pdf(["Sachkundenachweis", "für den Hund Bello"]))
    _upload(client, office.steueramt, SimpleUploadedFile("mail.eml", eml))
    with authority_context(office.town):
        email = IncomingItem.objects.get(email__isnull=True)
        attachment = IncomingItem.objects.get(email=email)
    assert email.status == IncomingItem.Status.READY and email.media_type == "message/rfc822"
    assert email.suggested_case_file == office.dog_file
    assert attachment.status == IncomingItem.Status.READY
    assert "Sachkundenachweis" in attachment.recognised_text

    client.post(f"{URL}{email.pk}/ablegen/", {"case_file": office.dog_file.uuid})
    with authority_context(office.town):
        documents = {d.kind: d for d in Document.objects.filter(case_file=office.dog_file)}
        email_text = DocumentText.objects.get(document=documents["email"]).text
        email_type = documents["email"].versions.get().media_type
        attachment.refresh_from_db()
    assert set(documents) == {"email", "incoming"}
    assert email_type == "message/rfc822"
    assert "Betreff: Hundesteuer" in email_text and "Sachkunde" in email_text
    assert attachment.status == IncomingItem.Status.FILED


def test_an_attachment_the_eakte_does_not_take_is_kept_as_failed(office):
    client = office.client()
    eml = eml_with_attachment(subject="Antrag", body="Siehe Anhang.",
                              attachment=_zip_file(), attachment_name="unterlagen.zip",
                              attachment_type=("application", "octet-stream"))
    _upload(client, office.steueramt, SimpleUploadedFile("mail.eml", eml))
    with authority_context(office.town):
        attachment = IncomingItem.objects.get(email__isnull=False)
    assert (attachment.status, attachment.failure_code) == (
        IncomingItem.Status.FAILED, "refused")
    assert b"".join(client.get(f"{URL}{attachment.pk}/original/").streaming_content) == _zip_file()


def test_the_original_is_streamed_as_it_came_and_never_when_changed_on_disk(office):
    from django.core.files.storage import default_storage

    client = office.client()
    scan = scanned_pdf(letter(body="Ein Brief."))
    _upload(client, office.steueramt, SimpleUploadedFile("brief.pdf", scan,
                                                         content_type="application/pdf"))
    item = _only_item(office.town)
    response = client.get(f"{URL}{item.pk}/original/")
    assert response.streaming and b"".join(response.streaming_content) == scan
    assert "attachment" in response["Content-Disposition"]
    with open(default_storage.path(item.storage_name), "ab") as blob:
        blob.write(b"%changed")
    assert client.get(f"{URL}{item.pk}/original/").status_code == 404
