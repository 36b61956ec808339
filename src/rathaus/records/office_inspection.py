"""Looking inside an Office document (Word, Excel, PowerPoint, OpenDocument) before the
eAkte accepts it.

`file_types.identify` has named the format from the archive's declarations; here the
rest must hold: the parts the format requires, nothing encrypted, no macros (programs
that may run when staff open the document), a size the text extraction can unpack, and
every member intact (its checksum). Nothing is unpacked to disk; the members are read
in memory, at most `MAX_UNPACKED_BYTES` in all.
"""

import io
import posixpath
import zipfile
import zlib
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException, ElementTree

from .file_types import OPEN_DOCUMENT_TYPES, FileType

# A letter unpacks to well under a megabyte, a large spreadsheet to some dozens; more
# is a ZIP bomb, or a file the worker's text extraction should not hold in memory.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_MEMBERS = 10_000
_MAX_DECLARATION_BYTES = 1024 * 1024
_ENCRYPTED_FLAG = 0x1

_OFFICE_DOCUMENT_RELATION = "/officeDocument"
# OpenDocument keeps Basic macros in "Basic/", other script languages in "Scripts/";
# events and links call macros by these URLs (also macros of the office program
# itself, as in CVE-2019-9848).
_ODF_MACRO_FOLDERS = ("Basic/", "Scripts/")
_ODF_MACRO_CALLS = (b"vnd.sun.star.script:", b"macro://")
_ODF_PARTS_WITH_EVENTS = ("content.xml", "styles.xml")


def office_problem(content: bytes, file_type: FileType) -> str | None:
    """None for an intact Office document of `file_type` without macros; else what is
    wrong: "office_broken", "office_encrypted", "office_macros" or "office_too_large"."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return _problem(archive, file_type)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError,
            EOFError, ValueError, KeyError, RuntimeError, zlib.error, ParseError,
            DefusedXmlException):
        # Damaged, or in a form (compression, XML) no reader of ours takes.
        return "office_broken"


def _problem(archive: zipfile.ZipFile, file_type: FileType) -> str | None:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        return "office_too_large"
    if any(member.flag_bits & _ENCRYPTED_FLAG for member in members):
        return "office_encrypted"
    names = {member.filename for member in members}
    if file_type.media_type in OPEN_DOCUMENT_TYPES:
        problem = _open_document_problem(archive, names, file_type)
    else:
        problem = _office_open_xml_problem(archive, names)
    if problem:
        return problem
    # Every member read once and its CRC compared: a truncated or altered file stops here,
    # not in the worker.
    return "office_broken" if archive.testzip() is not None else None


def _office_open_xml_problem(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    declared = " ".join(_attribute_values(archive, "[Content_Types].xml", "ContentType"))
    if any(posixpath.basename(name).casefold() == "vbaproject.bin" for name in names) or \
            "vbaproject" in declared or "macro" in declared:
        return "office_macros"
    # The package's relationships name its main part, which must be there.
    targets = [target for relation_type, target in _relations(archive)
               if relation_type.endswith(_OFFICE_DOCUMENT_RELATION)]
    if not targets or any(posixpath.normpath(target.lstrip("/")) not in names
                          for target in targets):
        return "office_broken"
    return None


def _relations(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    root = _parse(archive, "_rels/.rels")
    return [(element.get("Type", ""), element.get("Target", "")) for element in root.iter()
            if element.tag.endswith("Relationship")]


def _open_document_problem(archive: zipfile.ZipFile, names: set[str],
                           file_type: FileType) -> str | None:
    if not {"mimetype", "content.xml", "META-INF/manifest.xml"} <= names:
        return "office_broken"
    manifest = _parse(archive, "META-INF/manifest.xml")
    if any(element.tag.endswith("encryption-data") for element in manifest.iter()):
        return "office_encrypted"  # OpenDocument encrypts parts, not the ZIP's members
    if any(name.startswith(_ODF_MACRO_FOLDERS) for name in names):
        return "office_macros"
    for part in _ODF_PARTS_WITH_EVENTS:
        if part in names and any(call in archive.read(part) for call in _ODF_MACRO_CALLS):
            return "office_macros"
    root_types = [element.get(_MANIFEST_MEDIA_TYPE) for element in manifest.iter()
                  if element.get(_MANIFEST_FULL_PATH) == "/"]
    if root_types and root_types[0] != file_type.media_type:
        return "office_broken"  # the manifest and the mimetype member disagree
    return None


_MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
_MANIFEST_MEDIA_TYPE = f"{_MANIFEST}media-type"
_MANIFEST_FULL_PATH = f"{_MANIFEST}full-path"


def _attribute_values(archive: zipfile.ZipFile, name: str, attribute: str) -> list[str]:
    return [element.get(attribute, "").casefold() for element in _parse(archive, name).iter()
            if element.get(attribute)]


def _parse(archive: zipfile.ZipFile, name: str):
    """A small declaration member as XML (defusedxml: no entities, no external
    references); KeyError when it is missing, ValueError when it is too large."""
    if archive.getinfo(name).file_size > _MAX_DECLARATION_BYTES:
        raise ValueError(f"{name} is larger than a declaration can be.")
    return ElementTree.fromstring(archive.read(name))
