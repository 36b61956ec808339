"""`rathaus backup`: the database, the documents and the key material in one file.

The database is copied first and the documents after it: documents are written before
the rows that point to them and never changed in place, so every row in the dump finds
its file, and a file without a row (written after the dump) is harmless. The backup is
written under a temporary name beside its target and renamed when complete, so a
backup file that exists is whole.
"""

import datetime
import importlib.metadata
import io
import os
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from rathaus.accounts.permissions import unguarded_module

from . import database_copy, file_stores, key_material, sealing
from .backup_archive import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    OPENDATA_PREFIX,
    SEALED_KEYS,
    STORAGE_PREFIX,
    HashingReader,
    manifest_bytes,
    manifest_digest,
)

unguarded_module(__name__, "the operator's backup command: no person acts")


class BackupError(Exception):
    pass


@dataclass
class BackupSummary:
    path: Path
    size: int = 0
    database_bytes: int = 0
    documents: int = 0
    document_bytes: int = 0
    opendata_files: int = 0
    opendata_bytes: int = 0
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0


def target_path(output: Path, *, now: datetime.datetime | None = None) -> Path:
    """A directory gets a file named by the time; a file name must end in .tar. An
    existing backup is never replaced."""
    if output.is_dir():
        stamp = (now or timezone.now()).strftime("%Y%m%dT%H%M%SZ")
        output = output / f"rathaus-backup-{stamp}.tar"
    elif output.suffix != ".tar":
        raise BackupError(f"{output}: give a directory or a file name ending in .tar.")
    if output.exists():
        raise BackupError(f"{output} exists already; a backup never replaces another.")
    if not output.parent.is_dir():
        raise BackupError(f"{output.parent} is not a directory.")
    return output


def write_backup(output: Path, *, passphrase: str) -> BackupSummary:
    sealing.check_passphrase(passphrase)
    started = time.monotonic()
    path = target_path(Path(output))
    summary = BackupSummary(path=path)
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                       suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as stream:
            with tarfile.open(fileobj=stream, mode="w", format=tarfile.PAX_FORMAT) as archive:
                _write_parts(archive, summary, passphrase=passphrase)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(partial, path)
        _sync_directory(path.parent)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    summary.size = path.stat().st_size
    summary.seconds = time.monotonic() - started
    return summary


def _write_parts(archive: tarfile.TarFile, summary: BackupSummary, *, passphrase: str):
    created_at = timezone.now()
    parts: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(dir=summary.path.parent, prefix=".rathaus-dump-") as work:
        dump = Path(work) / database_copy.part_name()
        facts = database_copy.dump(dump)
        with open(dump, "rb") as opened:
            parts[dump.name] = _add(archive, dump.name, opened, dump.stat().st_size,
                                    mtime=created_at)
        summary.database_bytes = parts[dump.name]["size"]
    # After the dump: every row in it has its file by now.
    for name in file_stores.storage_names():
        try:
            opened = default_storage.open(name, "rb")
        except FileNotFoundError:
            continue  # a draft upload deleted since it was listed
        with opened:
            part = _add(archive, STORAGE_PREFIX + name, opened, opened.size,
                        mtime=created_at)
        parts[STORAGE_PREFIX + name] = part
        summary.documents += 1
        summary.document_bytes += part["size"]
    for name, path in file_stores.opendata_files():
        with open(path, "rb") as opened:
            part = _add(archive, OPENDATA_PREFIX + name, opened, os.fstat(opened.fileno()).st_size,
                        mtime=created_at)
        parts[OPENDATA_PREFIX + name] = part
        summary.opendata_files += 1
        summary.opendata_bytes += part["size"]
    summary.counts = facts.counts
    manifest = manifest_bytes({
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "created_at": created_at.isoformat(),
        "rathaus_version": _version(),
        "database_vendor": database_copy.vendor(),
        "storage_backend": settings.RATHAUS_STORAGE_BACKEND,
        "migrations": facts.migrations,
        "counts": facts.counts,
        "parts": parts,
        "sealed_keys": SEALED_KEYS,
    })
    sealed = sealing.seal(key_material.current().to_bytes(), passphrase=passphrase,
                          associated_data=manifest_digest(manifest))
    _add_bytes(archive, MANIFEST, manifest, mtime=created_at)
    _add_bytes(archive, SEALED_KEYS, sealed, mtime=created_at)


def _add(archive: tarfile.TarFile, name: str, stream, size: int, *, mtime) -> dict:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(mtime.timestamp())
    reader = HashingReader(stream)
    archive.addfile(info, reader)  # reads exactly `size` bytes, or fails
    return {"sha256": reader.digest.hexdigest(), "size": reader.size}


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes, *, mtime) -> None:
    _add(archive, name, io.BytesIO(data), len(data), mtime=mtime)


def _version() -> str:
    try:
        return importlib.metadata.version("rathaus")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _sync_directory(directory: Path) -> None:
    handle = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def describe(summary: BackupSummary) -> str:
    counts = ", ".join(f"{label} {count}" for label, count in summary.counts.items())
    return "\n".join([
        f"Backup written: {summary.path} ({_size(summary.size)}) in {summary.seconds:.1f} s",
        f"  database: {_size(summary.database_bytes)} ({counts})",
        f"  documents: {summary.documents} objects, {_size(summary.document_bytes)}",
        f"  open data files: {summary.opendata_files}, {_size(summary.opendata_bytes)}",
        "  key material: sealed with the passphrase (scrypt, AES-256-GCM)",
    ])


def _size(count: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count} B"
