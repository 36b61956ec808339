"""Office documents in the incoming mail: a Word or LibreOffice letter is read by the
eAkte's text extraction (no OCR), suggested like a scan, and filed as it came with its
text; an e-mail's .docx goes with the e-mail; documents with macros are refused with
their reason."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from rathaus.authorities.tenancy import authority_context
from rathaus.intake.models import IncomingItem
from rathaus.intake.receiving import ACCEPTED_TYPES
from rathaus.records import text_extraction
from rathaus.records.blobs import read_blob
from rathaus.records.file_types import OFFICE_TYPES
from rathaus.records.models import Document, DocumentText
from rathaus.records.uploads import UploadRejected

from .letters import eml_with_attachment, letter
from .office_files import DOCX, ODT, docx, odt
from .test_scan_folder import _write

pytestmark = pytest.mark.django_db

URL = "/verwaltung/posteingang/"
MACROS = UploadRejected("office_macros").message


def _upload(client, department, *files, status=302):
    response = client.post(URL, {"files": list(files), "department": department.pk})
    assert response.status_code == status, response.content.decode()[:2000]
    return response


def _german(message, **params) -> str:
    with translation.override("de"):
        return str(message) % params if params else str(message)


def test_a_word_letter_is_read_without_ocr_suggested_and_filed_as_it_came(
        office, monkeypatch, tmp_path):
    # No OCR tool on the PATH: a Word file does not need one.
    monkeypatch.setenv("PATH", str(tmp_path))
    client = office.client()
    reference = office.dog_file.aktenzeichen
    content = docx(letter(aktenzeichen=reference, subject="Hundemarke verloren",
                          body="Bello hat seine Hundemarke im Stadtpark verloren."))
    _upload(client, office.steueramt, SimpleUploadedFile("Brief", content,
                                                         content_type="text/plain"))
    with authority_context(office.town):
        item = IncomingItem.objects.get()
    assert (item.status, item.media_type) == (IncomingItem.Status.READY, DOCX)
    assert item.original_filename == "Brief.docx"  # named for the program that opens it
    assert item.text_source == "office" and "Stadtpark" in item.recognised_text
    assert (item.suggested_case_file, item.suggestion) == (office.dog_file, "aktenzeichen")
    assert item.detected_sender == "Bettina Beispiel"
    assert item.detected_subject == "Hundemarke verloren"
    assert not item.pdfa_storage_name  # no OCR, no PDF/A

    page = client.get(f"{URL}{item.pk}/").content.decode()
    assert _german(_("Office document")) in page and "Stadtpark" in page

    response = client.post(f"{URL}{item.pk}/ablegen/", {"case_file": office.dog_file.uuid})
    assert response.status_code == 302
    with authority_context(office.town):
        item.refresh_from_db()
        document = Document.objects.get(case_file=office.dog_file)
        version = document.versions.get()
        text = DocumentText.objects.get(document=document)
        stored = read_blob(version.storage_name, sha256=version.sha256)
    assert item.status == IncomingItem.Status.FILED and item.filed_document == document
    assert document.kind == Document.Kind.INCOMING
    assert document.title == "Eingang: Hundemarke verloren"
    assert (version.media_type, version.original_filename) == (DOCX, "Brief.docx")
    assert stored == content  # the original bytes, not a conversion
    assert text.source == "office" and "Stadtpark" in text.text


def test_an_opendocument_letter_is_suggested_by_its_subject(office):
    client = office.client()
    content = odt(letter(sender="Max Muster", subject="Hundesteuer Bello, neue Anschrift"))
    _upload(client, office.steueramt, SimpleUploadedFile("anschrift.odt", content))
    with authority_context(office.town):
        item = IncomingItem.objects.get()
    assert (item.status, item.media_type, item.text_source) == ("ready", ODT, "office")
    assert (item.suggested_case_file, item.suggestion) == (office.dog_file, "subject")
    assert item.detected_sender == "Max Muster"


def test_an_email_with_a_word_attachment_is_filed_with_it(office):
    client = office.client()
    attachment = docx(["Vollmacht", "Hiermit bevollmächtige ich Herrn Max Muster."])
    eml = eml_with_attachment(
        subject=f"Vollmacht zur Hundesteuer, Az. {office.dog_file.aktenzeichen}",
        body="Anbei die Vollmacht.", attachment=attachment, attachment_name="vollmacht.docx",
        attachment_type=("application", "octet-stream"))
    _upload(client, office.steueramt, SimpleUploadedFile("mail.eml", eml))
    with authority_context(office.town):
        email = IncomingItem.objects.get(email__isnull=True)
        word = IncomingItem.objects.get(email=email)
    assert (word.status, word.media_type, word.original_filename) == (
        "ready", DOCX, "vollmacht.docx")
    assert "bevollmächtige" in word.recognised_text

    client.post(f"{URL}{email.pk}/ablegen/", {"case_file": email.suggested_case_file.uuid})
    with authority_context(office.town):
        documents = {d.kind: d for d in Document.objects.filter(case_file=office.dog_file)}
        word.refresh_from_db()
        version = documents["incoming"].versions.get()
        text = DocumentText.objects.get(document=documents["incoming"])
    assert set(documents) == {"email", "incoming"}
    assert word.status == "filed" and word.filed_document == documents["incoming"]
    assert (version.media_type, version.sha256) == (DOCX, word.sha256)
    assert "bevollmächtige" in text.text


def test_a_word_file_with_macros_is_refused_with_its_reason(office):
    client = office.client()
    response = _upload(client, office.steueramt,
                       SimpleUploadedFile("antrag.docm", docm := docx(["Antrag"], macros=True)),
                       SimpleUploadedFile("antrag.docx", docm),  # the name changes nothing
                       status=400)
    page = response.content.decode()
    assert page.count(_german(MACROS).split(":")[0]) == 2
    with authority_context(office.town):
        assert not IncomingItem.objects.exists()


def test_an_opendocument_file_with_macros_is_refused(office):
    response = _upload(office.client(), office.steueramt,
                       SimpleUploadedFile("brief.odt", odt(["Brief"], basic_macro=True)),
                       status=400)
    assert _german(MACROS).split(":")[0] in response.content.decode()


def test_an_emails_attachment_with_macros_is_kept_and_cannot_be_filed(office):
    client = office.client()
    docm = docx(["Rechnung"], macros=True)
    eml = eml_with_attachment(subject="Rechnung", body="Siehe Anhang.", attachment=docm,
                              attachment_name="rechnung.docm",
                              attachment_type=("application", "octet-stream"))
    _upload(client, office.steueramt, SimpleUploadedFile("mail.eml", eml))
    with authority_context(office.town):
        attachment = IncomingItem.objects.get(email__isnull=False)
    assert (attachment.status, attachment.failure_code) == ("failed", "refused")
    with translation.override("de"):
        assert _german(MACROS) in attachment.failure_message
    assert _german(MACROS) in client.get(f"{URL}{attachment.pk}/").content.decode()
    original = client.get(f"{URL}{attachment.pk}/original/")
    assert b"".join(original.streaming_content) == docm  # nothing lost


def test_a_word_file_in_the_scanner_folder_is_taken_and_one_with_macros_refused(
        office, settings, tmp_path):
    from rathaus.intake.scan_folder import read_all_scan_folders

    settings.RATHAUS_SCAN_INBOX_DIR = tmp_path / "scans"
    folder = settings.RATHAUS_SCAN_INBOX_DIR / office.town.slug / "steueramt"
    folder.mkdir(parents=True)
    _write(folder / "brief.docx", docx(letter(aktenzeichen=office.dog_file.aktenzeichen)))
    _write(folder / "makro.docm", docx(["Makro"], macros=True))
    assert read_all_scan_folders() == 1
    with authority_context(office.town):
        item = IncomingItem.objects.get()
    assert (item.status, item.suggested_case_file) == ("ready", office.dog_file)
    refused = folder.parent / "abgelehnt" / timezone.localdate().isoformat()
    assert (refused / "makro.docm.grund.txt").read_text().strip() == _german(MACROS)


def test_every_office_type_the_intake_takes_is_one_the_eakte_reads_the_text_of():
    assert set(ACCEPTED_TYPES) >= OFFICE_TYPES
    assert OFFICE_TYPES == text_extraction.OFFICE
