"""What a file is, judged by its first bytes (magic numbers), never by its name.

PDF, JPEG and PNG are accepted from citizens, TIFF too from scanners; the other types
are recognised so that a refusal can tell the citizen what they tried to upload ("a
Word document").
"""

import codecs
import io
import zipfile
from dataclasses import dataclass

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
ACCEPTABLE = {file_type.media_type: file_type for file_type in (PDF, JPEG, PNG, TIFF)}


def _other(description) -> FileType:
    return FileType("application/octet-stream", "", description)


ZIP = _other(_("ZIP archive"))
WORD = _other(_("Word document"))
EXCEL = _other(_("Excel spreadsheet"))
POWERPOINT = _other(_("PowerPoint presentation"))
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
        names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return ZIP
    if "mimetype" in names and any(name == "content.xml" for name in names):
        return OPEN_DOCUMENT
    for folder, file_type in (("word/", WORD), ("xl/", EXCEL), ("ppt/", POWERPOINT)):
        if any(name.startswith(folder) for name in names):
            return file_type
    return ZIP


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
