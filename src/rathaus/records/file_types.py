"""What a file is, judged by its first bytes (magic numbers), never by its name.

PDF, JPEG and PNG are accepted from citizens, TIFF too from scanners, Office documents
where a caller allows them (incoming mail); the other types are recognised so that a
refusal can tell the citizen what they tried to upload ("a Word document").

An Office document is a ZIP archive whose members say what it is: Office Open XML
(.docx, .xlsx, .pptx) declares its main part's type in `[Content_Types].xml`,
OpenDocument (.odt, .ods, .odp) writes its type into the member `mimetype`. Whether the
rest of its structure holds is `office_inspection`'s question.
"""

import codecs
import io
import zipfile
import zlib
from dataclasses import dataclass

from defusedxml import ElementTree
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FileType:
    media_type: str
    name: str  # short, for lists of what is accepted: "PDF"
    description: str | Promise  # for "This file is a …"
    suffixes: tuple[str, ...] = ()


PDF = FileType("application/pdf", "PDF", _("PDF document"), (".pdf",))
JPEG = FileType("image/jpeg", "JPEG", _("JPEG image"), (".jpg", ".jpeg"))
PNG = FileType("image/png", "PNG", _("PNG image"), (".png",))
# What scanners write; accepted where the caller allows it (incoming mail), never by
# default.
TIFF = FileType("image/tiff", "TIFF", _("TIFF image"), (".tif", ".tiff"))
# The Office formats whose text the eAkte reads (records.text_extraction); accepted
# where the caller allows them, never by default.
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "DOCX", _("Word document"), (".docx",))
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "XLSX", _("Excel spreadsheet"), (".xlsx",))
PPTX = FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation",
                "PPTX", _("PowerPoint presentation"), (".pptx",))
ODT = FileType("application/vnd.oasis.opendocument.text", "ODT",
               _("LibreOffice or OpenOffice document"), (".odt",))
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", "ODS",
               _("LibreOffice or OpenOffice spreadsheet"), (".ods",))
ODP = FileType("application/vnd.oasis.opendocument.presentation", "ODP",
               _("LibreOffice or OpenOffice presentation"), (".odp",))
OFFICE_OPEN_XML_TYPES = frozenset(t.media_type for t in (DOCX, XLSX, PPTX))
OPEN_DOCUMENT_TYPES = frozenset(t.media_type for t in (ODT, ODS, ODP))
OFFICE_TYPES = OFFICE_OPEN_XML_TYPES | OPEN_DOCUMENT_TYPES
# The same Office Open XML formats with macros (programs that may run when the document
# is opened): never accepted, and refused with their own reason where the form without
# macros is allowed (see `uploads.check_upload`).
DOCM = FileType("application/vnd.ms-word.document.macroEnabled.12", "DOCM",
                _("Word document with macros"), (".docm",))
XLSM = FileType("application/vnd.ms-excel.sheet.macroEnabled.12", "XLSM",
                _("Excel spreadsheet with macros"), (".xlsm",))
PPTM = FileType("application/vnd.ms-powerpoint.presentation.macroEnabled.12", "PPTM",
                _("PowerPoint presentation with macros"), (".pptm",))
# By media type: a FileType's hash takes in its lazy description, which changes with the
# active language, so FileTypes are no dictionary keys.
WITH_MACROS = {DOCM.media_type: DOCX, XLSM.media_type: XLSX, PPTM.media_type: PPTX}
ACCEPTABLE = {file_type.media_type: file_type
              for file_type in (PDF, JPEG, PNG, TIFF, DOCX, XLSX, PPTX, ODT, ODS, ODP)}


def _other(description) -> FileType:
    return FileType("application/octet-stream", "", description)


ZIP = _other(_("ZIP archive"))
OPEN_DOCUMENT = _other(_("LibreOffice or OpenOffice document"))
HTML = _other(_("web page (HTML)"))
SVG = _other(_("vector graphic (SVG)"))
TEXT = _other(_("text file"))
HEIC = _other(_("HEIC photo (please save it as JPEG)"))

_PREFIXES = [
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", _other(_("GIF image"))),
    (b"GIF89a", _other(_("GIF image"))),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"MZ", _other(_("Windows program"))),
    (b"\x7fELF", _other(_("Linux program"))),
    (b"#!", _other(_("program or script"))),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", _other(_("Microsoft Office document"))),
    (b"{\\rtf", _other(_("rich text document (RTF)"))),
    (b"7z\xbc\xaf\x27\x1c", _other(_("7-Zip archive"))),
    (b"Rar!\x1a\x07", _other(_("RAR archive"))),
    (b"\x1f\x8b", _other(_("gzip archive"))),
]
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe")
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"}


def identify(content: bytes) -> FileType | None:
    """The type of `content`, or None when it is not one we know."""
    for prefix, file_type in _PREFIXES:
        if content.startswith(prefix):
            return file_type
    if content.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_based(content)
    if content[4:8] == b"ftyp":
        return HEIC if content[8:12] in _HEIF_BRANDS else _other(_("video"))
    if content.startswith(b"RIFF") and content[8:12] == b"WEBP":
        return _other(_("WebP image"))
    return _markup_or_text(content[:4096])


def _zip_based(content: bytes) -> FileType:
    """Office documents are ZIP archives; tell them apart by their members."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                return _open_document(archive, names)
            return _office_open_xml(archive, names)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError,
            RuntimeError, zlib.error):  # damaged, or a member encrypted: a ZIP, no more
        return ZIP


# A family of Office Open XML by its folder, with its type without and with macros.
_OOXML_FAMILIES = (("word/", DOCX, DOCM), ("xl/", XLSX, XLSM), ("ppt/", PPTX, PPTM))
# The content type of each family's main part (wordprocessingml.document.main+xml …).
_OOXML_MAIN_PARTS = {f"{file_type.media_type}.main+xml".casefold(): file_type
                     for file_type in (DOCX, XLSX, PPTX)}
# A member that only says what the archive is; larger ones are not read here.
_MAX_DECLARATION_BYTES = 1024 * 1024


def _office_open_xml(archive: zipfile.ZipFile, names: list[str]) -> FileType:
    """Word, Excel or PowerPoint by the content types the archive declares, with
    macros when any of its parts is declared macro-enabled (.docm, .xlsm, .xltm, .xlsb,
    .pptm …); by its folders where it declares none we know."""
    family = next((family for family in _OOXML_FAMILIES
                   if any(name.startswith(family[0]) for name in names)), None)
    declared = _content_types(archive) if "[Content_Types].xml" in names else set()
    for content_type in declared:
        if content_type in _OOXML_MAIN_PARTS:
            family = next(f for f in _OOXML_FAMILIES if f[1] == _OOXML_MAIN_PARTS[content_type])
    if family is None:
        return ZIP
    _folder, without_macros, with_macros = family
    if any("macroenabled" in content_type for content_type in declared):
        return with_macros
    return without_macros


def _content_types(archive: zipfile.ZipFile) -> set[str]:
    """The content types `[Content_Types].xml` declares (folded); none if unreadable."""
    if archive.getinfo("[Content_Types].xml").file_size > _MAX_DECLARATION_BYTES:
        return set()
    try:
        root = ElementTree.fromstring(archive.read("[Content_Types].xml"))
    except Exception:  # noqa: BLE001  (malformed or hostile XML declares nothing)
        return set()
    return {element.get("ContentType", "").casefold() for element in root.iter()
            if element.get("ContentType")}


_OPEN_DOCUMENTS = {file_type.media_type: file_type for file_type in (ODT, ODS, ODP)}


def _open_document(archive: zipfile.ZipFile, names: list[str]) -> FileType:
    """Text, spreadsheet or presentation by the type the `mimetype` member names; other
    OpenDocument kinds (drawings, templates) as one that is not accepted."""
    if archive.getinfo("mimetype").file_size <= 200:
        declared = archive.read("mimetype").decode("ascii", "replace").strip()
        if declared in _OPEN_DOCUMENTS:
            return _OPEN_DOCUMENTS[declared]
        if declared.startswith("application/vnd.oasis.opendocument."):
            return OPEN_DOCUMENT
    return OPEN_DOCUMENT if "content.xml" in names else ZIP


def _markup_or_text(head: bytes) -> FileType | None:
    try:
        # Incremental, so a character cut in half at the end of `head` is no error.
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        return None
    if "\x00" in text:
        return None
    start = text.lstrip().lower().encode()
    if start.startswith(_HTML_STARTS):
        return HTML
    if (start.startswith(b"<?xml") and b"<svg" in start) or start.startswith(b"<svg"):
        return SVG
    return TEXT
