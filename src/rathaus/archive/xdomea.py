"""xdomea 3.0.0 for the Aussonderung: the schema, writing elements in its namespace,
validating what Rathaus writes and reading what the archive sends.

The XSDs the messages need ship in `xsd/` (MIT, Landesarchiv Thüringen's toolkit);
tests validate against the full copy in tests/standards/xdomea/.
"""

import functools
import xml.etree.ElementTree as ET
from pathlib import Path

import xmlschema
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from .errors import BadMessage

NS = "urn:xoev-de:xdomea:schema:3.0.0"
SCHEMA_FILE = (Path(__file__).resolve().parent / "xsd" / "xdomea_3.0.0"
               / "xdomea-Nachrichten-AussonderungDurchfuehren.xsd")
MAX_MESSAGE_BYTES = 10 * 1024 * 1024

# Root element of each message of the Aussonderung, by its code.
ELEMENTS = {
    "0501": "Aussonderung.Anbieteverzeichnis.0501",
    "0502": "Aussonderung.Bewertungsverzeichnis.0502",
    "0503": "Aussonderung.Aussonderung.0503",
    "0504": "Aussonderung.AnbietungEmpfangBestaetigen.0504",
    "0505": "Aussonderung.BewertungEmpfangBestaetigen.0505",
    "0506": "Aussonderung.AussonderungImportBestaetigen.0506",
    "0507": "Aussonderung.AussonderungEmpfangBestaetigen.0507",
}
CODES = {element: code for code, element in ELEMENTS.items()}

ET.register_namespace("xdomea", NS)


def q(name: str) -> str:
    """The qualified name of an xdomea element."""
    return f"{{{NS}}}{name}"


def sub(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, q(name))
    if text is not None:
        element.text = text
    return element


def code(parent: ET.Element, name: str, value: str, **attributes) -> ET.Element:
    """A code list value (xoev-code:Code): its `code` child is unqualified."""
    element = sub(parent, name)
    element.attrib.update(attributes)
    ET.SubElement(element, "code").text = value
    return element


def file_name(process_id, code_: str) -> str:
    """`<ProzessID>_<message element>` without an extension, as xdomea names the
    message's XML and ZIP files."""
    return f"{process_id}_{ELEMENTS[code_]}"


@functools.cache
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA_FILE))


def serialize(root: ET.Element) -> str:
    """The message as text, after validating it: a message Rathaus writes that the
    schema refuses is a programming error and must never reach the archive."""
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode", xml_declaration=False)
    error = next(schema().iter_errors(text), None)
    if error is not None:
        raise ValueError(f"xdomea message does not validate: {error.path}: {error.reason}")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"


def parse(content: bytes) -> tuple[str, ET.Element]:
    """Read an uploaded message: its code and its root element, after checking it is
    well-formed XML without DTD or entities, an Aussonderung message and valid against
    the schema. Raises `BadMessage` with a German message."""
    if len(content) > MAX_MESSAGE_BYTES:
        raise BadMessage(_("The file is larger than 10 MB; an xdomea message of the archive "
                           "is much smaller. Choose the message file (.xml)."))
    if not content.strip():
        raise BadMessage(_("The file is empty. Choose the message file (.xml)."))
    try:
        root = fromstring(content, forbid_dtd=True)
    except DefusedXmlException:
        raise BadMessage(_("The file contains a DTD or entities, which xdomea messages "
                           "never do; it was not read.")) from None
    except ET.ParseError as error:
        line = error.position[0]
        raise BadMessage(_("The file is not well-formed XML (line %(line)s).")
                         % {"line": line}) from None
    namespace, _sep, local = root.tag[1:].partition("}") if root.tag.startswith("{") else (
        "", "", root.tag)
    if namespace != NS or local not in CODES:
        raise BadMessage(_("The file is no xdomea 3.0.0 message of the Aussonderung "
                           "(its root element is „%(element)s“).") % {"element": local})
    error = next(schema().iter_errors(root), None)
    if error is not None:
        raise BadMessage(_("The message does not conform to the xdomea 3.0.0 schema: "
                           "%(path)s: %(reason)s")
                         % {"path": (error.path or "/").replace(f"{{{NS}}}", ""),
                            "reason": error.reason or error.message})
    return CODES[local], root


def text_of(element: ET.Element, *path: str) -> str:
    """The text of the descendant at `path` (xdomea element names), or ""."""
    found = element.find("/".join(q(name) for name in path))
    return (found.text or "").strip() if found is not None else ""


def process_id_of(root: ET.Element) -> str:
    return text_of(root, "Kopf", "ProzessID").lower()
