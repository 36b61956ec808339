import io

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from rathaus.records.fields import DocumentUploadField
from rathaus.records.uploads import CheckedUpload, UploadRejected, check_upload

from . import samples

MB = 1024 * 1024
NOT_ALLOWED = "Only PDF, JPEG and PNG files can be uploaded."
JAVASCRIPT = (
    "PDF files with embedded programs (JavaScript) cannot be accepted. "
    "Please print the document to a new PDF and upload that."
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def rejection(content_or_file, name="datei.pdf", **options) -> UploadRejected:
    uploaded = (upload(content_or_file, name) if isinstance(content_or_file, bytes)
                else content_or_file)
    options.setdefault("max_bytes", 5 * MB)
    with pytest.raises(UploadRejected) as caught:
        check_upload(uploaded, **options)
    return caught.value


def test_real_pdf_is_accepted():
    checked = check_upload(upload(samples.pdf(), "Hundeanmeldung.pdf"), max_bytes=MB)
    assert checked == CheckedUpload(samples.pdf(), "application/pdf", "Hundeanmeldung.pdf")


def test_pdf_from_a_real_producer_is_accepted():
    content = samples.producer_pdf()
    assert check_upload(upload(content, "a.pdf"), max_bytes=MB).content == content


def test_pdf_with_harmless_actions_is_accepted():
    assert check_upload(upload(samples.pdf_with_link(), "a.pdf"), max_bytes=MB).content


@pytest.mark.parametrize(("kind", "media_type", "name"), [
    ("PNG", "image/png", "Impfpass.png"),
    ("JPEG", "image/jpeg", "Impfpass.jpg"),
])
def test_png_and_jpeg_images_are_accepted(kind, media_type, name):
    checked = check_upload(upload(samples.image(kind), name), max_bytes=MB)
    assert (checked.media_type, checked.filename) == (media_type, name)


@pytest.mark.parametrize("build", [
    samples.pdf_with_open_action_javascript,
    samples.pdf_with_javascript_names_tree,
    samples.pdf_with_page_additional_action,
    samples.pdf_with_form_field_script,
    samples.pdf_with_launch_action,
    samples.pdf_with_escaped_javascript_names,
], ids=lambda build: build.__name__)
def test_pdf_with_javascript_is_refused(build):
    refused = rejection(build())
    assert refused.code == "pdf_javascript"
    assert str(refused) == JAVASCRIPT


@pytest.mark.parametrize("user_password", ["geheim", ""])
def test_encrypted_pdf_is_refused_even_without_an_opening_password(user_password):
    refused = rejection(samples.encrypted_pdf(user_password))
    assert refused.code == "pdf_encrypted"
    assert str(refused).startswith("Password-protected PDF files cannot be accepted.")


def test_damaged_pdf_is_refused():
    refused = rejection(samples.broken_pdf())
    assert refused.code == "pdf_broken"
    assert str(refused).startswith("The PDF file is damaged")


@pytest.mark.parametrize(("content", "name", "kind"), [
    (samples.HTML, "foto.png", "web page (HTML)"),
    (samples.zip_archive({"a.txt": b"hallo"}), "antrag.pdf", "ZIP archive"),
    (samples.docx(), "antrag.pdf", "Word document"),
    (samples.WINDOWS_PROGRAM, "rechnung.pdf", "Windows program"),
    (b"Sehr geehrte Damen und Herren,\n", "brief.pdf", "text file"),
    (samples.image("GIF"), "bild.png", "GIF image"),
])
def test_file_of_another_type_is_refused_whatever_its_name(content, name, kind):
    refused = rejection(content, name)
    assert refused.code == "type_not_allowed"
    assert str(refused) == f"{NOT_ALLOWED} This file is a {kind}."


def test_file_of_unknown_type_is_refused():
    refused = rejection(samples.UNKNOWN, "scan.jpg")
    assert str(refused) == f"{NOT_ALLOWED} This file is of an unknown type."


def test_allowed_types_can_be_narrowed():
    refused = rejection(samples.image("PNG"), "foto.png", allowed_types=("application/pdf",))
    assert str(refused) == "Only PDF files can be uploaded. This file is a PNG image."


def test_types_without_a_content_check_cannot_be_allowed():
    with pytest.raises(ValueError, match="image/gif"):
        check_upload(upload(samples.pdf(), "a.pdf"), allowed_types=("image/gif",), max_bytes=MB)


def test_empty_file_is_refused():
    refused = rejection(b"", "leer.pdf")
    assert (refused.code, str(refused)) == ("empty", "The file is empty.")


def test_file_over_the_limit_is_refused_without_reading_it_whole():
    endless = samples.EndlessFile()
    refused = rejection(endless, max_bytes=2 * MB)
    assert str(refused) == "The file is larger than 2 MB."
    assert endless.bytes_read == 2 * MB + 1


class Unreadable:
    name = "gross.pdf"
    size = 3 * MB  # as Django reports for an upload it spooled to disk

    def read(self, size=-1):
        raise AssertionError("read although the size was known to be too large")


def test_file_declaring_a_size_over_the_limit_is_refused_before_reading():
    assert rejection(Unreadable(), max_bytes=MB).code == "too_large"


def test_file_exactly_at_the_limit_is_accepted():
    content = samples.pdf()
    assert check_upload(io.BytesIO(content), max_bytes=len(content)).content == content


def test_size_limit_is_written_in_the_readers_language():
    refused = rejection(samples.EndlessFile(), max_bytes=int(2.5 * MB))
    assert str(refused) == "The file is larger than 2.5 MB."
    with translation.override("de"):
        assert "2,5" in str(refused)


def test_damaged_image_is_refused():
    png = bytearray(samples.image("PNG"))
    png[-20] ^= 0xFF  # inside the image data: its checksum no longer matches
    assert rejection(bytes(png), "foto.png").code == "image_broken"
    assert rejection(b"\xff\xd8\xff\xe0" + b"kaputt" * 10, "foto.jpg").code == "image_broken"


def test_image_with_too_many_pixels_is_refused():
    refused = rejection(samples.image("PNG", size=(8000, 8000), mode="1"), "riesig.png")
    assert refused.code == "image_too_large"
    assert "more than 60 megapixels" in str(refused)


@pytest.mark.parametrize(("name", "expected"), [
    ("C:\\Users\\Bettina\\Desktop\\Impfpass Bello.pdf", "Impfpass Bello.pdf"),
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("Hundeanmeldung Müller – Größe.pdf", "Hundeanmeldung Müller – Größe.pdf"),
    ("Mu\u0308ller.pdf", "M\u00fcller.pdf"),  # macOS decomposes umlauts
    ("a\x00b\nc\td.pdf", "abcd.pdf"),
    ("rechnung\u202efdp.exe.pdf", "rechnungfdp.exe.pdf"),  # right-to-left override
    ('a<b>c:"d"|e?f*.pdf', "a_b_c__d__e_f_.pdf"),
    ("  .versteckt.pdf. ", "versteckt.pdf"),
    ("Scan", "Scan.pdf"),
    ("ANTRAG.PDF", "ANTRAG.PDF"),
])
def test_file_names_are_sanitised(name, expected):
    assert check_upload(upload(samples.pdf(), name), max_bytes=MB).filename == expected


def test_file_without_a_name_gets_one():
    assert check_upload(io.BytesIO(samples.pdf()), max_bytes=MB).filename == "document.pdf"


def test_long_file_names_are_shortened_keeping_the_extension():
    filename = check_upload(upload(samples.pdf(), "ä" * 300 + ".pdf"), max_bytes=MB).filename
    assert len(filename) == 120
    assert filename.endswith("ää.pdf")


def test_extension_follows_the_content():
    checked = check_upload(upload(samples.image("PNG"), "foto.jpg"), max_bytes=MB)
    assert checked.filename == "foto.jpg.png"


class UploadForm(forms.Form):
    nachweis = DocumentUploadField(max_bytes=MB)


def test_form_field_cleans_to_a_checked_upload():
    form = UploadForm(files={"nachweis": upload(samples.pdf(), "nachweis.pdf")})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["nachweis"].media_type == "application/pdf"


@pytest.mark.parametrize(("content", "message"), [
    (samples.pdf_with_open_action_javascript(), JAVASCRIPT),
    (b"", "The file is empty."),
    (samples.HTML, f"{NOT_ALLOWED} This file is a web page (HTML)."),
])
def test_form_field_shows_why_a_file_was_refused(content, message):
    form = UploadForm(files={"nachweis": upload(content, "nachweis.pdf")})
    assert not form.is_valid()
    assert form.errors["nachweis"] == [message]


def test_form_field_tells_the_file_picker_what_is_accepted():
    html = str(UploadForm()["nachweis"])
    assert 'accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"' in html
