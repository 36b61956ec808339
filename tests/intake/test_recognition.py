"""Text recognition with the real tools: OCRmyPDF, Tesseract's German model, pdftotext."""

import os

import pytest
from django.utils import translation
from django.utils.translation import gettext

from rathaus.intake.recognition import (
    MESSAGES,
    RecognitionFailed,
    ToolMissing,
    missing_packages,
    recognise,
)

from .letters import letter, scanned_pdf, scanned_png


def _words(text: str) -> set[str]:
    return set(text.split())


def test_a_scanned_letter_becomes_a_pdfa_with_its_german_text():
    result = recognise(scanned_pdf(letter(aktenzeichen="32.41.01-2026-000001")),
                       media_type="application/pdf")
    assert result.source == "ocr"
    assert result.pdfa.startswith(b"%PDF-")
    assert b"pdfaid:part" in result.pdfa  # the XMP metadata names the PDF/A part
    words = _words(result.text)
    assert {"Widerspruch", "Festsetzung", "Grüßen", "Hauptstraße"} <= words
    assert "32.41.01-2026-000001" in result.text


def test_a_pdf_with_a_text_layer_keeps_its_text():
    first = recognise(scanned_pdf(letter(subject="Hundesteuer für Bello")),
                      media_type="application/pdf")
    again = recognise(first.pdfa, media_type="application/pdf")
    assert again.source == "text_layer"
    assert "Hundesteuer für Bello" in again.text


def test_an_image_without_a_resolution_is_read_as_a_300_dpi_scan():
    result = recognise(scanned_png(letter(subject="Anmeldung eines Hundes"), dpi=False),
                       media_type="image/png")
    assert "Anmeldung eines Hundes" in result.text


def test_a_damaged_pdf_fails_with_a_reason_for_staff():
    with pytest.raises(RecognitionFailed) as failed:
        recognise(b"%PDF-1.4\n1 0 obj garbage\n%%EOF\n", media_type="application/pdf")
    assert failed.value.code == "broken"
    with translation.override("de"):
        assert str(failed.value) == gettext(MESSAGES["broken"])


def test_a_timeout_stops_the_tools(settings):
    settings.RATHAUS_OCR_TIMEOUT_SECONDS = 0
    with pytest.raises(RecognitionFailed) as failed:
        recognise(scanned_pdf(["Kurz"]), media_type="application/pdf")
    assert failed.value.code == "timeout"


def test_no_tools_on_the_path_names_the_debian_packages(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert missing_packages() == ["ocrmypdf", "tesseract-ocr-deu", "poppler-utils"]
    with pytest.raises(ToolMissing) as missing:
        recognise(scanned_pdf(["Kurz"]), media_type="application/pdf")
    assert missing.value.package == "ocrmypdf"


def test_tesseract_without_the_german_model_names_its_package(monkeypatch, tmp_path):
    for tool in ("ocrmypdf", "pdftotext"):
        (tmp_path / tool).symlink_to(f"/usr/bin/{tool}")
    fake = tmp_path / "tesseract"
    fake.write_text('#!/bin/sh\necho "List of available languages (2):"\necho eng\necho osd\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}/bin")
    assert missing_packages() == ["tesseract-ocr-deu"]
