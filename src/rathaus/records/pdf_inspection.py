"""Looking inside an uploaded PDF before the eAkte accepts it."""

import io

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

# Keys that hold JavaScript wherever they appear: the document's names tree
# (/Names /JavaScript), actions (/OpenAction, /AA of pages, annotations and form
# fields) all end in a dictionary with /JS or under a /JavaScript key.
_SCRIPT_KEYS = frozenset({"/JS", "/JavaScript"})
# Action types that run code: JavaScript, and /Launch, which starts a program.
_SCRIPT_ACTIONS = frozenset({"/JavaScript", "/Launch"})
# A real document has far fewer; beyond this the file is treated as unreadable rather
# than walked for minutes.
_MAX_OBJECTS = 250_000


def pdf_problem(content: bytes) -> str | None:
    """None for a readable, unencrypted PDF without scripts; else what is wrong:
    "pdf_broken", "pdf_encrypted" or "pdf_javascript"."""
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            return "pdf_encrypted"
        if len(reader.pages) == 0:
            return "pdf_broken"
        if _contains_script(reader.trailer):
            return "pdf_javascript"
    except Exception:  # pypdf raises many kinds of errors for damaged files
        return "pdf_broken"
    return None


def _contains_script(trailer: DictionaryObject) -> bool:
    """Walk every object reachable from the trailer, so nothing can hide in a corner
    of the document structure. Stream contents are not decoded, except XFA forms."""
    pending, seen, visited = [trailer], set(), 0
    while pending:
        node = pending.pop()
        if isinstance(node, IndirectObject):
            if (node.idnum, node.generation) in seen:
                continue
            seen.add((node.idnum, node.generation))
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            visited += 1
            if visited > _MAX_OBJECTS:
                raise ValueError("too many objects")
            if _is_script(node):
                return True
            pending.extend(node.values())
        elif isinstance(node, ArrayObject):
            pending.extend(node)
    return False


def _is_script(dictionary: DictionaryObject) -> bool:
    if _SCRIPT_KEYS.intersection(dictionary.keys()):
        return True
    action = dictionary.get("/S")  # plain dict.get: may be an IndirectObject
    action = action.get_object() if action is not None else None
    if isinstance(action, str) and action in _SCRIPT_ACTIONS:
        return True
    return "/XFA" in dictionary and _xfa_has_script(dictionary["/XFA"])


def _xfa_has_script(xfa) -> bool:
    """XFA forms keep their scripts in XML packets: a stream, or [name, stream, …]."""
    packets = xfa if isinstance(xfa, ArrayObject) else [xfa]
    for packet in packets:
        packet = packet.get_object()
        if isinstance(packet, StreamObject) and b"<script" in packet.get_data().lower():
            return True
    return False
