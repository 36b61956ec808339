"""Content-addressed storage of document bytes in Django's default storage.

A blob's name is its SHA-256 under the authority's folder, so the same content is
stored once and a stored blob is never overwritten. Callers write the blob before the
database row that points to it: a rolled-back transaction can leave an orphan blob
behind (the next identical content reuses it, and `housekeeping.sweep_orphan_blobs`
removes it after a day), but a row never points to a blob that was not written.
"""

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from .errors import ContentIntegrityError


def blob_name(*, authority_slug: str, sha256: str) -> str:
    return f"records/{authority_slug}/{sha256[:2]}/{sha256}"


def store_blob(content: bytes, *, authority_slug: str) -> tuple[str, str]:
    """Store `content` unless it is there already; return (storage name, sha256)."""
    sha256 = hashlib.sha256(content).hexdigest()
    name = blob_name(authority_slug=authority_slug, sha256=sha256)
    if default_storage.exists(name):
        # A new version must not point at damaged bytes, and the damaged blob is
        # evidence, so it is reported rather than replaced.
        read_blob(name, sha256=sha256)
    else:
        _write_new(name, content)
    return name, sha256


def read_blob(name: str, *, sha256: str) -> bytes:
    """The blob's bytes, after checking them against the hash recorded for them."""
    try:
        with default_storage.open(name, "rb") as blob:
            content = blob.read()
    except FileNotFoundError as exc:
        raise ContentIntegrityError(f"Blob {name} is missing.") from exc
    if hashlib.sha256(content).hexdigest() != sha256:
        raise ContentIntegrityError(f"Blob {name} does not match its SHA-256 {sha256}.")
    return content


def _write_new(name: str, content: bytes) -> None:
    try:
        path = Path(default_storage.path(name))
    except NotImplementedError:
        # Object stores make an object visible only once it is complete. Two processes
        # storing the same content at once write the same bytes.
        default_storage.save(name, ContentFile(content))
        return
    _write_file_atomically(path, content)


def _write_file_atomically(path: Path, content: bytes) -> None:
    """Write a complete file or none: a crash mid-write must not leave a truncated blob
    under the final name, where every later identical upload would find it damaged."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as incoming:
            incoming.write(content)
            incoming.flush()
            os.fsync(incoming.fileno())
        # mkstemp creates the file readable by its owner only, which suits personal
        # data; FILE_UPLOAD_PERMISSIONS widens it where web and worker users differ.
        if default_storage.file_permissions_mode is not None:
            os.chmod(temporary, default_storage.file_permissions_mode)
        # Unlike rename, link never replaces an existing file. If it exists, another
        # process stored the same content a moment earlier.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
