"""A document's text is read in the worker when it is filed, from whatever it is: a
PDF's text layer, plain text, the application data's answers, XML, an e-mail, Office
files. What has no text (a scan, an image) is recorded as such, for the OCR to fill."""

import json

import pytest
from django.core.management import call_command

from rathaus.records.models import DocumentText
from rathaus.records.services import add_document, add_version, open_case_file
from rathaus.records.tasks import read_text
from rathaus.records.texts import record_text
from tests.factories import blank_pdf
from tests.records.documents_with_text import DOCX, ODT, XLSX, docx, odt, pdf_with_text, xlsx


@pytest.fixture
def case_file(dog_tax_plan):
    return open_case_file(plan_code="32.41.01", title="Hundesteuer Beispiel")


def _file(case_file, content: bytes, media_type: str, filename="dokument"):
    version = add_document(case_file=case_file, title="Dokument", kind="upload",
                           content=content, media_type=media_type, filename=filename)
    return DocumentText.objects.get(version=version)


def test_a_pdf_text_layer_is_read_when_the_document_is_filed(case_file):
    text = _file(case_file, pdf_with_text("Hundesteuer für die Straße"), "application/pdf")
    assert text.source == DocumentText.Source.TEXT_LAYER
    assert "Hundesteuer für die Straße" in text.text


def test_a_scan_without_text_layer_has_no_text_until_the_ocr_records_one(case_file):
    text = _file(case_file, blank_pdf(), "application/pdf")
    assert (text.source, text.text) == (DocumentText.Source.NONE, "")
    record_text(version=text.version, text="Eingescannter Brief", source="ocr")
    text.refresh_from_db()
    assert (text.source, text.text) == ("ocr", "Eingescannter Brief")
    # The worker running again keeps the OCR's text.
    assert read_text(version_id=text.version_id) is False
    text.refresh_from_db()
    assert text.source == "ocr"


@pytest.mark.parametrize(("make", "media_type"), [(docx, DOCX), (xlsx, XLSX), (odt, ODT)])
def test_office_files_are_read_by_the_extractor(case_file, make, media_type):
    text = _file(case_file, make("Widerspruch gegen den Hundesteuerbescheid"), media_type)
    assert text.source == DocumentText.Source.OFFICE
    assert "Widerspruch gegen den Hundesteuerbescheid" in text.text


def test_the_application_data_gives_its_answers_not_its_keys(case_file):
    answers = {"family_name": "Müller", "dog": {"name": "Bello", "breed": "Dackel"},
               "count": 2, "sepa": True, "files": [{"title": "Nachweis"}]}
    text = _file(case_file, json.dumps(answers).encode(), "application/json")
    assert text.source == DocumentText.Source.PLAIN
    assert text.text.split("\n") == ["Müller", "Bello", "Dackel", "2", "Nachweis"]


def test_plain_text_in_windows_encoding_and_xml_are_read(case_file):
    assert _file(case_file, "Grüße aus Köln".encode("cp1252"), "text/plain").text == (
        "Grüße aus Köln")
    xml = b"<?xml version='1.0'?><brief><betreff>Hundesteuer</betreff><text>Bello</text></brief>"
    assert _file(case_file, xml, "application/xml").text == "Hundesteuer\nBello"


def test_an_email_gives_its_subject_sender_and_text(case_file):
    message = (b"From: Bettina Beispiel <bettina@example.org>\r\nTo: post@leichlingen.example"
               b"\r\nSubject: Hundesteuer Bello\r\nContent-Type: text/plain; charset=utf-8\r\n"
               b"\r\nBitte um Erm\xc3\xa4\xc3\x9figung.\r\n")
    text = _file(case_file, message, "message/rfc822").text
    assert "Hundesteuer Bello" in text and "bettina@example.org" in text
    assert "Bitte um Ermäßigung." in text


def test_images_and_unknown_types_have_no_text(case_file):
    assert _file(case_file, b"\x89PNG\r\n\x1a\nrest", "image/png").source == "none"
    assert _file(case_file, b"PK\x03\x04 broken", DOCX).source == "none"


def test_a_new_version_replaces_the_searched_text(case_file):
    first = _file(case_file, b"Erste Fassung", "text/plain")
    second = add_version(document=first.document, content=b"Zweite Fassung",
                         media_type="text/plain", filename="v2.txt")
    texts = DocumentText.objects.filter(document=first.document)
    assert [(t.version_id, t.is_latest) for t in texts.order_by("version__number")] == [
        (first.version_id, False), (second.pk, True)]
    # The first version's text read again later (a slow worker) is not searched.
    read_text(version_id=first.version_id, again=True)
    assert texts.get(is_latest=True).version_id == second.pk


def test_index_documents_reads_the_documents_without_text(case_file):
    text = _file(case_file, b"Ein Brief", "text/plain")
    DocumentText.objects.filter(pk=text.pk).delete()
    call_command("index_documents", verbosity=0)
    assert DocumentText.objects.get(version=text.version_id).text == "Ein Brief"
