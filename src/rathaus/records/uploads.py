"""Checking a citizen's upload before it may enter the eAkte.

The type is judged by content, never by the name or the browser's Content-Type;
PDFs are parsed and refused when they carry scripts or a password, images are
verified, Office documents (where a caller allows them) are checked for their
structure, encryption and macros. Refusals carry a message for the citizen (English
msgid, German catalogue).
"""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _

from .file_types import ACCEPTABLE, OFFICE_TYPES, PDF, WITH_MACROS, identify
from .filenames import sanitize_filename, with_suffix_for
from .image_inspection import MAX_MEGAPIXELS, image_problem
from .office_inspection import MAX_UNPACKED_BYTES, office_problem
from .pdf_inspection import pdf_problem

DEFAULT_ALLOWED_TYPES = ("application/pdf", "image/jpeg", "image/png")
_READ_CHUNK = 64 * 1024

_MESSAGES = {
    "empty": _("The file is empty."),
    "too_large": _("The file is larger than %(limit)s MB."),
    "type_not_allowed": _("Only %(types)s files can be uploaded. This file is a %(kind)s."),
    "type_unknown": _("Only %(types)s files can be uploaded. This file is of an unknown type."),
    "pdf_javascript": _(
        "PDF files with embedded programs (JavaScript) cannot be accepted. "
        "Please print the document to a new PDF and upload that."
    ),
    "pdf_encrypted": _(
        "Password-protected PDF files cannot be accepted. Please remove the protection "
        "or print the document to a new PDF, and upload that."
    ),
    "pdf_broken": _(
        "The PDF file is damaged and cannot be read. Please create it again and upload "
        "the new file."
    ),
    "image_broken": _(
        "The image is damaged and cannot be read. Please save it again and upload the "
        "new file."
    ),
    "image_too_large": _(
        "The image has more than %(megapixels)s megapixels. Please reduce its size and "
        "upload it again."
    ),
    "office_macros": _(
        "Office documents with macros (such as .docm or .xlsm files) cannot be accepted: "
        "macros are programs that could run when the document is opened. Please save the "
        "document without macros (for example as .docx or .xlsx) and upload that."
    ),
    "office_encrypted": _(
        "Password-protected Office documents cannot be accepted. Please remove the "
        "protection and upload the document again."
    ),
    "office_broken": _(
        "The Office document is damaged and cannot be read. Please save it again and "
        "upload the new file."
    ),
    "office_too_large": _(
        "The Office document unpacks to more than %(limit)s MB and cannot be accepted. "
        "Please save it as a PDF or in smaller parts."
    ),
}


class UploadRejected(Exception):
    """An upload the eAkte does not accept. `message % params` is for the citizen; it
    stays lazy so that it is shown in the language of whoever reads it."""

    def __init__(self, code: str, **params):
        self.code = code
        self.message = _MESSAGES[code]
        self.params = params
        super().__init__(code)

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes
    media_type: str
    filename: str


def check_upload(
    uploaded_file, *, allowed_types=DEFAULT_ALLOWED_TYPES, max_bytes: int
) -> CheckedUpload:
    """Read `uploaded_file` (any object with read(), e.g. Django's UploadedFile) and
    return its checked content, or raise `UploadRejected`."""
    unknown = set(allowed_types) - set(ACCEPTABLE)
    if unknown:
        raise ValueError(f"No content check exists for {', '.join(sorted(unknown))}.")
    content = _read_at_most(uploaded_file, max_bytes)
    if not content:
        raise UploadRejected("empty")
    file_type = identify(content)
    welcome_instead = WITH_MACROS.get(file_type.media_type) if file_type else None
    if welcome_instead and welcome_instead.media_type in allowed_types:
        # A .docm where .docx is welcome: say what to do, not only that it is refused.
        raise UploadRejected("office_macros")
    if file_type is None or file_type.media_type not in allowed_types:
        raise _not_allowed(file_type, allowed_types)
    if file_type.media_type == PDF.media_type:
        problem = pdf_problem(content)
    elif file_type.media_type in OFFICE_TYPES:
        problem = office_problem(content, file_type)
    else:
        problem = image_problem(content, file_type)
    if problem == "image_too_large":
        raise UploadRejected(problem, megapixels=MAX_MEGAPIXELS)
    if problem == "office_too_large":
        raise UploadRejected(problem, limit=_megabytes_lazy(MAX_UNPACKED_BYTES))
    if problem:
        raise UploadRejected(problem)
    filename = with_suffix_for(
        sanitize_filename(getattr(uploaded_file, "name", None) or ""), file_type.suffixes
    )
    return CheckedUpload(content=content, media_type=file_type.media_type, filename=filename)


def _read_at_most(uploaded_file, max_bytes: int) -> bytes:
    """The whole file, or `UploadRejected` as soon as it proves larger than `max_bytes`:
    at most max_bytes + 1 bytes are ever read, whatever the file's real size."""
    declared_size = getattr(uploaded_file, "size", None)
    if isinstance(declared_size, int) and declared_size > max_bytes:
        raise _too_large(max_bytes)
    seekable = getattr(uploaded_file, "seekable", None)
    if seekable is not None and seekable():
        uploaded_file.seek(0)  # a form or an earlier check may have read it already
    content = bytearray()
    while len(content) <= max_bytes:
        chunk = uploaded_file.read(min(_READ_CHUNK, max_bytes + 1 - len(content)))
        if not chunk:
            break
        content += chunk
    if len(content) > max_bytes:
        raise _too_large(max_bytes)
    return bytes(content)


def _megabytes(size: int) -> str:
    megabytes = size / (1024 * 1024)
    return number_format(megabytes, decimal_pos=0 if megabytes.is_integer() else 1)


_megabytes_lazy = lazy(_megabytes, str)  # formatted for the reader's language


def _too_large(max_bytes: int) -> UploadRejected:
    return UploadRejected("too_large", limit=_megabytes_lazy(max_bytes))


def _not_allowed(file_type, allowed_types) -> UploadRejected:
    types = get_text_list([ACCEPTABLE[media_type].name for media_type in allowed_types],
                          _("and"))
    if file_type is None:
        return UploadRejected("type_unknown", types=types)
    return UploadRejected("type_not_allowed", types=types, kind=file_type.description)
