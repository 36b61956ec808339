"""Office documents in the upload checks: recognised by their structure, never by name;
accepted only where a caller allows them (the incoming mail), with their parts intact,
nothing encrypted and no macros; citizens' uploads still take PDF and images only."""

import io
import zipfile

import pytest
from django.utils import translation

from rathaus.records import office_inspection
from rathaus.records.file_types import DOCM, DOCX, ODT, OFFICE_TYPES, XLSX, identify
from rathaus.records.uploads import UploadRejected, check_upload
from tests.intake.office_files import docx, odt
from tests.records import documents_with_text
from tests.records.samples import zip_archive

MB = 1024 * 1024
OFFICE = ("application/pdf", *sorted(OFFICE_TYPES))


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


class Named(io.BytesIO):
    def __init__(self, content: bytes, name: str):
        super().__init__(content)
        self.name = name


def check(content: bytes, name="dokument", allowed_types=OFFICE):
    return check_upload(Named(content, name), allowed_types=allowed_types, max_bytes=20 * MB)


def refusal(content: bytes, name="dokument", allowed_types=OFFICE) -> UploadRejected:
    with pytest.raises(UploadRejected) as refused:
        check(content, name, allowed_types)
    return refused.value


def _rewritten(content: bytes, change) -> bytes:
    """The archive with its members passed through `change(name, data)`, which returns
    the members to write instead (a list of (name, data), empty to drop it)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            for name, data in change(info.filename, source.read(info)):
                target.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(("content", "media_type", "name"), [
    (docx(["Sehr geehrte Damen und Herren"]), DOCX.media_type, "brief.docx"),
    (odt(["Sehr geehrte Damen und Herren"]), ODT.media_type, "brief.odt"),
    (documents_with_text.xlsx("Hundesteuer"), XLSX.media_type, "brief.xlsx"),
])
def test_office_documents_are_accepted_where_allowed_and_named_for_their_type(
        content, media_type, name):
    checked = check(content, "brief")
    assert (checked.media_type, checked.filename) == (media_type, name)
    assert check(content, "brief.pdf").media_type == media_type  # the name changes nothing


def test_citizens_uploads_still_refuse_a_real_word_document():
    refused = refusal(docx(["Antrag"]), allowed_types=("application/pdf",))
    assert str(refused) == "Only PDF files can be uploaded. This file is a Word document."


def test_a_macro_enabled_word_file_is_refused_for_its_macros_where_word_is_welcome():
    docm = docx(["Antrag"], macros=True)
    assert identify(docm) == DOCM
    refused = refusal(docm, "antrag.docx")
    assert refused.code == "office_macros"
    assert str(refused).startswith("Office documents with macros (such as .docm or .xlsm")
    # Where no Office file is allowed, it is what it is: a file of another type.
    assert str(refusal(docm, allowed_types=("application/pdf",))) == (
        "Only PDF files can be uploaded. This file is a Word document with macros.")


def test_a_vba_project_in_a_file_that_calls_itself_docx_is_refused():
    def add_macros(name, data):
        return [(name, data), ("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")] \
            if name == "word/document.xml" else [(name, data)]

    renamed = _rewritten(docx(["Antrag"]), add_macros)
    assert identify(renamed) == DOCX
    assert refusal(renamed).code == "office_macros"


@pytest.mark.parametrize("content", [
    odt(["Brief"], basic_macro=True),
    # An event of the text that calls a script of the office program (CVE-2019-9848).
    _rewritten(odt(["Brief"]), lambda name, data: [(name, data.replace(
        b"<text:p>Brief</text:p>",
        b'<text:p><text:a xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="vnd.sun.'
        b'star.script:LibreLogo|LibreLogo.py$run?language=Python&amp;location=share">'
        b"Brief</text:a></text:p>"))]),
])
def test_an_opendocument_file_with_macros_is_refused(content):
    assert identify(content) == ODT
    assert refusal(content).code == "office_macros"


def test_an_encrypted_opendocument_file_is_refused():
    def encrypt(name, data):
        if name == "META-INF/manifest.xml":
            data = data.replace(b'manifest:media-type="text/xml"/>',
                                b'manifest:media-type="text/xml"><manifest:encryption-data/>'
                                b"</manifest:file-entry>")
        return [(name, data)]

    refused = refusal(_rewritten(odt(["Geheim"]), encrypt))
    assert refused.code == "office_encrypted"
    assert str(refused).startswith("Password-protected Office documents")


def test_a_zip_member_marked_encrypted_is_refused():
    # zipfile writes no encryption; the flag is set in the headers as an encrypting
    # program sets it (bit 0 of the flags, local header +6, central directory +8).
    content = bytearray(docx(["Geheim"]))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = content.find(signature)
        while start != -1:
            content[start + offset] |= 0x1
            start = content.find(signature, start + 4)
    assert refusal(bytes(content)).code == "office_encrypted"


def _stored(content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
    return buffer.getvalue()


@pytest.mark.parametrize("content", [
    # A changed byte: the member's checksum no longer matches.
    _stored(docx(["Stadtpark"])).replace(b"Stadtpark", b"Stadtpurk"),
    # The main part its relationships name is missing.
    _rewritten(docx(["Brief"]), lambda n, d: [] if n == "word/document.xml" else [(n, d)]),
    # The relationships are missing.
    _rewritten(docx(["Brief"]), lambda n, d: [] if n == "_rels/.rels" else [(n, d)]),
    # An entity bomb in the declaration of content types.
    _rewritten(docx(["Brief"]), lambda n, d: [(n, (
        b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;'
        b'&a;&a;&a;&a;&a;">]><Types>&b;</Types>') if n == "[Content_Types].xml" else d)]),
    # OpenDocument without its content.
    _rewritten(odt(["Brief"]), lambda n, d: [] if n == "content.xml" else [(n, d)]),
    # A ZIP truncated on the way.
    docx(["Brief"] * 50)[:-200],
    # The smallest shape of a Word file, with none of the parts Word writes.
    zip_archive({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
])
def test_a_damaged_office_document_is_refused(content):
    refused = refusal(content)
    assert refused.code in {"office_broken", "type_not_allowed"}
    if refused.code == "type_not_allowed":  # too damaged to tell the format: a ZIP
        assert refused.params["kind"] == "ZIP archive"
    else:
        assert str(refused).startswith("The Office document is damaged")


def test_an_office_document_that_unpacks_to_too_much_is_refused(monkeypatch):
    monkeypatch.setattr(office_inspection, "MAX_UNPACKED_BYTES", 2000)
    refused = refusal(docx(["Zeile"] * 200))
    assert refused.code == "office_too_large"
    assert str(refused).startswith("The Office document unpacks to more than")


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_macro_reason_does_not_depend_on_the_language_active_at_import(language):
    # A FileType's hash takes in its lazy description; a table keyed by FileType
    # once missed when the language changed after the import.
    with translation.override(language):
        assert refusal(docx(["Antrag"], macros=True), "antrag.docx").code == "office_macros"
