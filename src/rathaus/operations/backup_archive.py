"""The backup file: one plain tar, whose members are the parts.

    database.pgdump | database.sqlite3   the database (pg_dump custom format, or a copy)
    storage/<name>                       every object of the document storage
    opendata/<name>                      the open data file store (RATHAUS_OPENDATA_DIR)
    manifest.json                        what the backup holds, with every part's SHA-256
    keys.sealed                          the key material, sealed with the passphrase

Uncompressed on purpose: the dump is compressed already, documents mostly are (PDF,
JPEG), and a plain tar can be read member by member, so a restore checks every part
before it writes anything and then copies each without unpacking the whole backup.
"""

import hashlib
import json

from rathaus.accounts.permissions import unguarded_module

unguarded_module(__name__, "the operator's backup and restore commands: no person acts")

FORMAT = "rathaus-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SEALED_KEYS = "keys.sealed"
STORAGE_PREFIX = "storage/"
OPENDATA_PREFIX = "opendata/"
CHUNK_SIZE = 1024 * 1024


class HashingReader:
    """A file-like object that hashes and counts what is read through it."""

    def __init__(self, stream):
        self._stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk


def manifest_bytes(manifest: dict) -> bytes:
    return json.dumps(manifest, indent=1, sort_keys=True).encode()


def manifest_digest(data: bytes) -> bytes:
    """The associated data the keys are sealed under: the manifest's SHA-256."""
    return hashlib.sha256(data).hexdigest().encode()


def sha256_of(stream) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK_SIZE):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size
