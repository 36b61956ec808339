"""Handing a stored document version to a browser. Access checks are the caller's job."""

import unicodedata
from urllib.parse import quote

from django.http import HttpResponse

from .selectors import read_content

# Types a browser may show inline. Anything else is always downloaded, so that content
# stored under an active type (HTML, SVG) can never run on our origin.
_INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})
_ASCII_REPLACEMENTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe",
                                     "Ü": "Ue", "ß": "ss", '"': "_", "\\": "_"})


def document_response(version, *, as_attachment: bool = True) -> HttpResponse:
    """The verified bytes of `version` with safe headers.

    The content is read and checked against its hash before the first byte is sent
    (uploads are limited in size, so this fits in memory); a tampered blob raises
    `ContentIntegrityError` instead of reaching the reader.
    """
    content = read_content(version)
    inline = not as_attachment and version.media_type in _INLINE_TYPES
    response = HttpResponse(content, content_type=version.media_type)
    response["Content-Length"] = str(len(content))
    response["Content-Disposition"] = content_disposition(
        version.original_filename, inline=inline
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = f'"{version.sha256}"'
    # Personal data: no copies in shared or browser caches. The ETag still lets a
    # reader compare the hash with the one on their receipt.
    response["Cache-Control"] = "private, no-store"
    if inline:
        # Set here so the site-wide policy (django-csp leaves an existing header alone)
        # does not apply: no scripts, forms or same-origin access for the document.
        response["Content-Security-Policy"] = "sandbox"
    return response


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """RFC 6266: an ASCII `filename` for old clients and the exact UTF-8 `filename*`."""
    disposition = "inline" if inline else "attachment"
    return (f'{disposition}; filename="{_ascii_fallback(filename)}"; '
            f"filename*=UTF-8''{quote(filename, safe='')}")


def _ascii_fallback(filename: str) -> str:
    """German letters spelt out, accents dropped ("é" → "e"), anything else "_"."""
    decomposed = unicodedata.normalize("NFKD", filename.translate(_ASCII_REPLACEMENTS))
    return "".join(
        char if char.isascii() and char.isprintable() else "_"
        for char in decomposed
        if not unicodedata.combining(char)
    ) or "document"
