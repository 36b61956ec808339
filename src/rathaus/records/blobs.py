"""Content-addressed storage of document bytes in Django's default storage.

A blob's name is its SHA-256 under the authority's folder, so the same content is
stored once and a stored blob is never overwritten. Callers write the blob before the
database row that points to it: a rolled-back transaction can leave an orphan blob
behind (the next identical content reuses it, and `housekeeping.sweep_orphan_blobs`
removes it after a day), but a row never points to a blob that was not written.

Content moves in chunks of `CHUNK_SIZE`, never whole: storing hashes while copying to a
temporary file, reading hashes before handing out the first byte. The local filesystem
and object stores (S3 through django-storages, where `path()` does not exist) both work.
"""

import contextlib
import hashlib
import io
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage

from .errors import ContentIntegrityError

CHUNK_SIZE = 1024 * 1024
MISSING, CHANGED = "missing", "changed"


@dataclass(frozen=True)
class StoredBlob:
    name: str
    sha256: str
    size: int


def blob_name(*, authority_slug: str, sha256: str) -> str:
    return f"records/{authority_slug}/{sha256[:2]}/{sha256}"


def store_blob(content: bytes, *, authority_slug: str) -> tuple[str, str]:
    """Store `content` unless it is there already; return (storage name, sha256)."""
    stored = store_stream(content, authority_slug=authority_slug)
    return stored.name, stored.sha256


def store_stream(source, *, authority_slug: str) -> StoredBlob:
    """Store what `source` (bytes, a path, or a binary file-like object such as an
    UploadedFile, read from its start when it can seek) holds, in chunks, unless it is
    there already."""
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)  # shares the bytes' buffer until written to
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as opened:
            return store_stream(opened, authority_slug=authority_slug)
    # An upload has usually been read once by its checks already.
    if getattr(source, "seekable", lambda: False)():
        source.seek(0)
    try:
        folder = Path(default_storage.path(f"records/{authority_slug}"))
    except NotImplementedError:
        return _store_in_object_store(source, authority_slug=authority_slug)
    return _store_in_filesystem(source, folder=folder, authority_slug=authority_slug)


def read_blob(name: str, *, sha256: str) -> bytes:
    """The blob's bytes, after checking them against the hash recorded for them. For
    small content only (notices, receipts); anything a reader downloads goes through
    `open_verified`."""
    with open_verified(name, sha256=sha256) as blob:
        return b"".join(blob.chunks())


def blob_problem(name: str, *, sha256: str) -> str | None:
    """`MISSING`, `CHANGED` or None (intact), found by streaming the blob through its
    hash: the integrity check's question, which never holds a whole blob in memory."""
    try:
        with default_storage.open(name, "rb") as blob:
            digest = _digest_of(blob)
    except FileNotFoundError:
        return MISSING
    return None if digest == sha256 else CHANGED


@contextlib.contextmanager
def open_verified(name: str, *, sha256: str) -> Iterator["VerifiedBlob"]:
    """The open blob, checked against `sha256` before the caller reads a byte; raises
    `ContentIntegrityError` when it is missing or changed. Its `chunks()` hash again
    while they are read, so bytes changed in the moment between the check and the
    reading break off the stream instead of completing a tampered copy."""
    blob = VerifiedBlob.open(name, sha256=sha256)
    try:
        yield blob
    finally:
        blob.close()


class VerifiedBlob:
    """A stored blob whose bytes matched their hash when it was opened."""

    def __init__(self, handle, *, name: str, sha256: str, size: int):
        self._handle, self.name, self.sha256, self.size = handle, name, sha256, size

    @classmethod
    def open(cls, name: str, *, sha256: str) -> "VerifiedBlob":
        try:
            handle = default_storage.open(name, "rb")
        except FileNotFoundError as exc:
            raise ContentIntegrityError(f"Blob {name} is missing.") from exc
        try:
            digest, size = _digest_and_size(handle)
            if digest != sha256:
                raise ContentIntegrityError(f"Blob {name} does not match its SHA-256 {sha256}.")
            handle.seek(0)
        except BaseException:
            handle.close()
            raise
        return cls(handle, name=name, sha256=sha256, size=size)

    def chunks(self) -> Iterator[bytes]:
        """The bytes in chunks; raises `ContentIntegrityError` after the last chunk if
        they no longer match (a consumer that sends them on is cut off before the end:
        the reader's copy is incomplete, and the response's Content-Length says so)."""
        digest, size = hashlib.sha256(), 0
        while chunk := self._handle.read(CHUNK_SIZE):
            digest.update(chunk)
            size += len(chunk)
            if size > self.size:
                break
            yield chunk
        if size != self.size or digest.hexdigest() != self.sha256:
            raise ContentIntegrityError(f"Blob {self.name} changed while it was read.")

    def stream(self) -> Iterator[bytes]:
        """`chunks()` that closes the blob when done or abandoned, for a response that
        sends the bytes after the view has returned."""
        try:
            yield from self.chunks()
        finally:
            self.close()

    def close(self) -> None:
        self._handle.close()


def _store_in_filesystem(source, *, folder: Path, authority_slug: str) -> StoredBlob:
    """Copy into a temporary file beside the blobs while hashing, then link it into
    place: a crash mid-write must not leave a truncated blob under the final name,
    where every later identical upload would find it damaged."""
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as incoming:
            digest, size = _copy_hashing(source, incoming)
            incoming.flush()
            os.fsync(incoming.fileno())
        stored = _stored(digest, size, authority_slug=authority_slug)
        path = Path(default_storage.path(stored.name))
        if path.exists():
            _check_existing(stored)
            return stored
        # mkstemp creates the file readable by its owner only, which suits personal
        # data; FILE_UPLOAD_PERMISSIONS widens it where web and worker users differ.
        if default_storage.file_permissions_mode is not None:
            os.chmod(temporary, default_storage.file_permissions_mode)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Unlike rename, link never replaces an existing file. If it exists, another
        # process stored the same content a moment earlier.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
        return stored
    finally:
        os.unlink(temporary)


def _store_in_object_store(source, *, authority_slug: str) -> StoredBlob:
    """Spool to a local temporary file while hashing (the name is the hash, known only
    at the end), then upload. Object stores make an object visible only once it is
    complete; two processes storing the same content at once write the same bytes."""
    with tempfile.SpooledTemporaryFile(max_size=CHUNK_SIZE) as spool:
        digest, size = _copy_hashing(source, spool)
        stored = _stored(digest, size, authority_slug=authority_slug)
        if default_storage.exists(stored.name):
            _check_existing(stored)
        else:
            spool.seek(0)
            default_storage.save(stored.name, File(spool, name=stored.name))
    return stored


def _check_existing(stored: StoredBlob) -> None:
    # A new version must not point at damaged bytes, and the damaged blob is evidence,
    # so it is reported rather than replaced.
    if blob_problem(stored.name, sha256=stored.sha256):
        raise ContentIntegrityError(
            f"Blob {stored.name} does not match its SHA-256 {stored.sha256}.")


def _stored(digest, size: int, *, authority_slug: str) -> StoredBlob:
    sha256 = digest.hexdigest()
    return StoredBlob(name=blob_name(authority_slug=authority_slug, sha256=sha256),
                      sha256=sha256, size=size)


def _copy_hashing(source, target):
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK_SIZE):
        digest.update(chunk)
        target.write(chunk)
        size += len(chunk)
    return digest, size


def _digest_of(handle) -> str:
    return _digest_and_size(handle)[0]


def _digest_and_size(handle) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK_SIZE):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size

