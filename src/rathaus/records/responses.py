"""Handing a stored document version to a browser. Access checks are the caller's job."""

import unicodedata
from urllib.parse import quote

from django.http import StreamingHttpResponse

from .blobs import VerifiedBlob

# Types a browser may show inline. Anything else is always downloaded, so that content
# stored under an active type (HTML, SVG) can never run on our origin.
_INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})
_ASCII_REPLACEMENTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe",
                                     "Ü": "Ue", "ß": "ss", '"': "_", "\\": "_"})


def document_response(version, *, as_attachment: bool = True) -> StreamingHttpResponse:
    """The verified bytes of `version` with safe headers, streamed in chunks; see
    `stored_content_response`."""
    return stored_content_response(
        storage_name=version.storage_name, sha256=version.sha256,
        media_type=version.media_type, filename=version.original_filename,
        as_attachment=as_attachment)


def stored_content_response(*, storage_name: str, sha256: str, media_type: str,
                            filename: str, as_attachment: bool = True
                            ) -> StreamingHttpResponse:
    """A blob of the eAkte's store (a document version, a scan waiting to be filed)
    with safe headers, streamed in chunks.

    The blob is streamed through its hash before the first byte is sent, so a tampered
    blob raises `ContentIntegrityError` instead of reaching the reader; the chunks sent
    are hashed again, and a change in between cuts the download short of its
    Content-Length. Memory stays at one chunk whatever the document's size. (Not a
    FileResponse: its sendfile path would skip the second hash.)
    """
    blob = VerifiedBlob.open(storage_name, sha256=sha256)
    inline = not as_attachment and media_type in _INLINE_TYPES
    response = StreamingHttpResponse(blob.stream(), content_type=media_type)
    response["Content-Length"] = str(blob.size)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = f'"{sha256}"'
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
