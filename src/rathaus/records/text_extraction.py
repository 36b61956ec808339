"""What a document version says, as plain text for the search (docs/decisions/0032).

- PDF: its text layer, read with pypdf. A scan without one gets no text here: the
  intake's OCR records it (source "ocr").
- Plain text, CSV, JSON (its values: the application data's answers, not the keys),
  XML (its text), e-mails (.eml: subject, sender, recipients and text parts).
- Office files (Word, Excel, PowerPoint, OpenDocument): Kreuzberg.
- Anything else (images, archives): no text (source "none").

The content is copied from storage to a temporary file, checked against its hash on
the way, and read from there: never whole into memory. A file that cannot be read
(broken, encrypted) gets no text and a warning in the log, not a failed task: the same
bytes would fail again.
"""

import contextlib
import email
import email.policy
import json
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

import kreuzberg
import pypdf
from defusedxml import ElementTree

from .blobs import open_verified
from .models import DocumentText, DocumentVersion

logger = logging.getLogger(__name__)
Source = DocumentText.Source

# Longer texts are cut: nobody searches the millionth character of a file.
MAX_TEXT_LENGTH = 1_000_000
# Plain text read at most (bytes); more is cut like MAX_TEXT_LENGTH.
MAX_PLAIN_BYTES = 4 * MAX_TEXT_LENGTH

PLAIN = frozenset({"text/plain", "text/csv", "text/markdown"})
JSON = frozenset({"application/json"})
XML = frozenset({"application/xml", "text/xml"})
EMAIL = frozenset({"message/rfc822"})
OFFICE = frozenset({
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",  # .docx
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",  # .xlsx
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",  # .pptx
    "application/vnd.oasis.opendocument.text",  # .odt
    "application/vnd.oasis.opendocument.spreadsheet",  # .ods
    "application/vnd.oasis.opendocument.presentation",  # .odp
})


@dataclass(frozen=True)
class Extracted:
    text: str
    source: str


NOTHING = Extracted("", Source.NONE)


def extract_version(version: DocumentVersion) -> Extracted:
    """The text of `version`'s stored content."""
    if _reader(version.media_type) is None:
        return NOTHING
    with _local_copy(version) as path:
        try:
            return extract_file(path, media_type=version.media_type)
        except Exception:  # a broken or hostile file: no text, and a note for the admins
            logger.warning("No text read from version %s (%s).", version.uuid,
                           version.media_type, exc_info=True)
            return NOTHING


def extract_file(path: Path, *, media_type: str) -> Extracted:
    """The text of the file at `path`, read as `media_type` (for a file not yet in the
    eAkte: the intake reads an Office document's text with it before it is filed).
    Raises what the reader raises for a file it cannot read."""
    reader = _reader(media_type)
    if reader is None:
        return NOTHING
    extracted = reader(path)
    text = extracted.text[:MAX_TEXT_LENGTH].replace("\x00", "")
    return Extracted(text, extracted.source) if text.strip() else NOTHING


def _reader(media_type: str):
    media_type = media_type.split(";")[0].strip().lower()
    if media_type == "application/pdf":
        return _pdf
    if media_type in PLAIN:
        return _plain
    if media_type in JSON:
        return _json
    if media_type in XML:
        return _xml
    if media_type in EMAIL:
        return _email
    if media_type in OFFICE:
        return lambda path: _office(path, media_type)
    return None


@contextlib.contextmanager
def _local_copy(version: DocumentVersion):
    with (tempfile.NamedTemporaryFile(prefix="rathaus-text-") as handle,
          open_verified(version.storage_name, sha256=version.sha256) as blob):
        for chunk in blob.chunks():
            handle.write(chunk)
        handle.flush()
        yield Path(handle.name)


def _pdf(path: Path) -> Extracted:
    reader = pypdf.PdfReader(path)
    parts, length = [], 0
    for page in reader.pages:
        text = page.extract_text() or ""
        parts.append(text)
        length += len(text)
        if length >= MAX_TEXT_LENGTH:
            break
    return Extracted("\n".join(parts), Source.TEXT_LAYER)


def _decoded(path: Path) -> str:
    with open(path, "rb") as handle:
        data = handle.read(MAX_PLAIN_BYTES)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older Windows programs write Windows-1252; every byte decodes there.
        return data.decode("cp1252", errors="replace")


def _plain(path: Path) -> Extracted:
    return Extracted(_decoded(path), Source.PLAIN)


def _json(path: Path) -> Extracted:
    return Extracted("\n".join(_values(json.loads(_decoded(path)))), Source.PLAIN)


def _values(data) -> list[str]:
    """The strings and numbers of JSON data, in their order; keys say nothing that
    staff search for ("family_name")."""
    if isinstance(data, dict):
        return [value for item in data.values() for value in _values(item)]
    if isinstance(data, list):
        return [value for item in data for value in _values(item)]
    if isinstance(data, bool) or data is None:
        return []
    return [str(data)]


def _xml(path: Path) -> Extracted:
    root = ElementTree.parse(path).getroot()
    return Extracted("\n".join(" ".join(part.split()) for part in root.itertext()
                               if part.strip()), Source.PLAIN)


def _email(path: Path) -> Extracted:
    with open(path, "rb") as handle:
        message = email.message_from_binary_file(handle, policy=email.policy.default)
    parts = [str(message.get(header, "")) for header in ("subject", "from", "to", "date")]
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not part.is_attachment():
            parts.append(part.get_content())
    return Extracted("\n".join(filter(None, parts)), Source.PLAIN)


def _office(path: Path, media_type: str) -> Extracted:
    result = kreuzberg.extract_file_sync(str(path), mime_type=media_type)
    return Extracted(result.content, Source.OFFICE)
