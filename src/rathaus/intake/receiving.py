"""Checking what arrives before it becomes an item: the eAkte's upload checks (type by
content, scripts and passwords in PDFs, damaged images, the structure, encryption and
macros of Office documents, size), plus e-mails (.eml), with German messages that say
what the intake accepts."""

from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from rathaus.records.file_types import OFFICE_TYPES
from rathaus.records.filenames import sanitize_filename, with_suffix_for
from rathaus.records.uploads import UploadRejected, check_upload

from .emails import EML_MEDIA_TYPE, looks_like_email

SCAN_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/tiff")
# Office documents a town receives daily, whose text the eAkte reads (no OCR).
ACCEPTED_TYPES = SCAN_TYPES + tuple(sorted(OFFICE_TYPES))
_READ_CHUNK = 64 * 1024
_TYPE_CODES = {"type_not_allowed", "type_unknown"}
WRONG_TYPE = _("Only scans (PDF, PNG, JPEG, TIFF), Office documents (Word, Excel, "
               "PowerPoint, OpenDocument) and e-mails (.eml) can be put into the incoming "
               "mail. This file is a %(kind)s.")
UNKNOWN_TYPE = _("Only scans (PDF, PNG, JPEG, TIFF), Office documents (Word, Excel, "
                 "PowerPoint, OpenDocument) and e-mails (.eml) can be put into the incoming "
                 "mail. The type of this file is unknown.")


@dataclass(frozen=True)
class Arrival:
    content: bytes
    media_type: str
    filename: str


class NotAccepted(Exception):
    """A file the intake does not take; `str()` says why, in the reader's language."""

    def __init__(self, message, **params):
        super().__init__(message)
        self.message, self.params = message, params

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


def check_arrival(file, *, name: str | None = None) -> Arrival:
    """`file` (anything with read()) as an `Arrival`, or `NotAccepted`."""
    name = sanitize_filename(name or getattr(file, "name", "") or "")
    content = _read_at_most(file, settings.RATHAUS_INTAKE_MAX_FILE_BYTES)
    if 0 < len(content) <= settings.RATHAUS_INTAKE_MAX_FILE_BYTES and looks_like_email(content):
        return Arrival(content, EML_MEDIA_TYPE, with_suffix_for(name, (".eml",)))
    try:
        checked = check_upload(ContentFile(content, name=name), allowed_types=ACCEPTED_TYPES,
                               max_bytes=settings.RATHAUS_INTAKE_MAX_FILE_BYTES)
    except UploadRejected as rejected:
        if rejected.code in _TYPE_CODES:
            kind = rejected.params.get("kind")
            raise (NotAccepted(WRONG_TYPE, kind=kind) if kind
                   else NotAccepted(UNKNOWN_TYPE)) from rejected
        raise NotAccepted(rejected.message, **rejected.params) from rejected
    return Arrival(checked.content, checked.media_type, checked.filename)


def check_bytes(content: bytes, *, name: str) -> Arrival:
    return check_arrival(ContentFile(content, name=name), name=name)


def _read_at_most(file, max_bytes: int) -> bytes:
    """At most max_bytes + 1 bytes: enough for `check_upload` to tell a file that is
    too large, whatever its real size."""
    seekable = getattr(file, "seekable", None)
    if seekable is not None and seekable():
        file.seek(0)
    content = bytearray()
    while len(content) <= max_bytes:
        chunk = file.read(min(_READ_CHUNK, max_bytes + 1 - len(content)))
        if not chunk:
            break
        content += chunk
    return bytes(content)
