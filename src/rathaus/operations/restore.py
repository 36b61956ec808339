"""`rathaus restore`: a backup brought back into an empty installation.

Nothing is written until everything that can be checked beforehand is: every part's
SHA-256 against the manifest, the passphrase (the sealed keys open), that the backup
fits this installation (database engine, migrations this release knows), and that the
installation is empty (no table, no stored object, no open data file, no other SAML
key). There is no option to overwrite: a restore over live data would mix two
histories. Then the database, the documents, the open data files and the keys are
written, and the checks of `restore_checks` run against the result.
"""

import contextlib
import json
import os
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db.migrations.loader import MigrationLoader
from django.test.utils import override_settings

from rathaus.accounts.permissions import unguarded_module

from . import database_copy, file_stores, key_material, restore_checks, sealing
from .backup_archive import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    OPENDATA_PREFIX,
    SEALED_KEYS,
    STORAGE_PREFIX,
    manifest_digest,
    sha256_of,
)

unguarded_module(__name__, "the operator's restore command: no person acts")


class RestoreRefused(Exception):
    """The backup is damaged or does not fit, or the installation is not empty: nothing
    was written."""


@dataclass
class RestoreResult:
    manifest: dict
    master_key: str = ""
    documents: int = 0
    opendata_files: int = 0
    key_files: list[Path] = field(default_factory=list)
    keys_for_secret_store: Path | None = None
    checks: list[restore_checks.Check] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)


def restore_backup(source: Path, *, passphrase: str, keys_to: Path | None = None,
                   report=lambda line: None) -> RestoreResult:
    source = Path(source)
    with _opened(source) as archive:
        members = {member.name: member for member in archive.getmembers()}
        manifest_data = _member_bytes(archive, members, MANIFEST)
        manifest = _manifest(manifest_data)
        report(f"Backup of {manifest['created_at']} (Rathaus {manifest['rathaus_version']}, "
               f"{manifest['database_vendor']}): checking {len(manifest['parts'])} parts")
        _check_parts(archive, members, manifest)
        try:
            material = key_material.KeyMaterial.from_bytes(sealing.unseal(
                _member_bytes(archive, members, SEALED_KEYS), passphrase=passphrase,
                associated_data=manifest_digest(manifest_data)))
        except sealing.WrongPassphrase as error:
            raise RestoreRefused(str(error)) from error
        keys_file = _keys_file(keys_to)
        _check_fits(manifest, material, keys_file=keys_file)
        report("Parts and passphrase checked; the installation is empty. Restoring.")

        result = RestoreResult(manifest=manifest, master_key=material.master_key)
        # The keys first: a restore broken off later leaves no database whose keys are
        # lost with the process.
        result.key_files = key_material.write_saml_files(material)
        if keys_file:
            result.keys_for_secret_store = key_material.write_environment_file(
                material, keys_file)
        else:
            result.key_files += key_material.write_development_keys(material)
        _restore_database(archive, members, manifest)
        report("Database restored.")
        result.documents = _restore_storage(archive, members)
        result.opendata_files = _restore_opendata(archive, members)
        report(f"{result.documents} stored objects and {result.opendata_files} open data "
               "files restored.")
    # The checks use the restored master key, whatever this process started with.
    with override_settings(RATHAUS_MASTER_KEY=material.master_key):
        result.checks = restore_checks.run_all(expected_counts=manifest.get("counts", {}))
    return result


@contextlib.contextmanager
def _opened(source: Path):
    try:
        archive = tarfile.open(source, mode="r:")  # noqa: SIM115 (closed below)
    except (OSError, tarfile.TarError) as error:
        raise RestoreRefused(f"{source}: not a readable backup ({error}).") from error
    with archive:
        yield archive


def _keys_file(keys_to: Path | None) -> Path | None:
    """Where the master key and SECRET_KEY go for the secret store, or None for var/.
    In production (and wherever the variables are set) the keys live in the
    environment, so a file for the secret store is written instead of var/."""
    if keys_to:
        return Path(keys_to)
    if getattr(settings, "PRODUCTION", False) or os.environ.get("RATHAUS_MASTER_KEY") or \
            os.environ.get("SECRET_KEY"):
        return Path(settings.VAR_DIR) / "restored-keys.env"
    return None


# --- Checks before anything is written ------------------------------------------------

def _member_bytes(archive: tarfile.TarFile, members: dict, name: str) -> bytes:
    member = members.get(name)
    if member is None or not member.isfile():
        raise RestoreRefused(f"The backup has no {name}: not a Rathaus backup, or cut short.")
    return archive.extractfile(member).read()


def _manifest(data: bytes) -> dict:
    try:
        manifest = json.loads(data)
    except ValueError as error:
        raise RestoreRefused(f"The manifest is not JSON ({error}).") from error
    if manifest.get("format") != FORMAT:
        raise RestoreRefused("Not a Rathaus backup (the manifest names another format).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise RestoreRefused(f"Backup format version {manifest.get('format_version')} is not "
                             f"known to this release (it reads {FORMAT_VERSION}).")
    return manifest


def _check_parts(archive: tarfile.TarFile, members: dict, manifest: dict) -> None:
    expected = manifest["parts"]
    problems = [f"{name}: missing" for name in expected if name not in members]
    unknown = set(members) - set(expected) - {MANIFEST, SEALED_KEYS}
    problems += [f"{name}: not in the manifest" for name in sorted(unknown)]
    for name, part in expected.items():
        member = members.get(name)
        if member is None:
            continue
        if not member.isfile() or _unsafe(name):
            problems.append(f"{name}: not a plain file with a safe name")
            continue
        digest, size = sha256_of(archive.extractfile(member))
        if (digest, size) != (part["sha256"], part["size"]):
            problems.append(f"{name}: SHA-256 or size differs from the manifest")
    if problems:
        raise RestoreRefused("The backup is damaged or was changed; nothing was restored:\n  "
                             + "\n  ".join(problems[:20]))


def _unsafe(name: str) -> bool:
    parts = Path(name).parts
    return name.startswith("/") or ".." in parts or not parts


def _check_fits(manifest: dict, material: key_material.KeyMaterial, *,
                keys_file: Path | None) -> None:
    if manifest["database_vendor"] != database_copy.vendor():
        raise RestoreRefused(
            f"The backup is of a {manifest['database_vendor']} database; this installation "
            f"uses {database_copy.vendor()} (DATABASE_URL). Restore into the same kind.")
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    newer = sorted(f"{app}.{name}" for app, name in manifest["migrations"].items()
                   if (app, name) not in known)
    if newer:
        raise RestoreRefused(
            "The backup was made by a newer release (migrations unknown here: "
            f"{', '.join(newer[:5])}). Install Rathaus {manifest['rathaus_version']} or later "
            "first.")
    occupied = []
    if not database_copy.is_empty():
        occupied.append("the database has tables (DATABASE_URL)")
    if not file_stores.storage_is_empty():
        occupied.append("the document storage holds objects (RATHAUS_STORAGE_DIR or the bucket)")
    if not file_stores.opendata_is_empty():
        occupied.append(f"the open data store holds files ({file_stores.opendata_root()})")
    occupied += [f"{path} holds another key" for path in key_material.saml_conflicts(material)]
    if keys_file and keys_file.exists():
        occupied.append(f"{keys_file} exists already")
    if occupied:
        raise RestoreRefused(
            "A backup is restored into an empty installation only, and this one is not: "
            + "; ".join(occupied) + ". Nothing was restored. Point DATABASE_URL, "
            "RATHAUS_VAR_DIR (or RATHAUS_STORAGE_DIR / the bucket) at an empty place.")


# --- Writing -----------------------------------------------------------------------------

def _restore_database(archive: tarfile.TarFile, members: dict, manifest: dict) -> None:
    name = next(part for part in manifest["parts"] if part.startswith("database."))
    with tempfile.TemporaryDirectory(prefix="rathaus-restore-") as work:
        dump = Path(work) / name
        with open(dump, "wb") as target:
            _copy(archive.extractfile(members[name]), target)
        try:
            database_copy.restore(dump)
        except database_copy.DatabaseCopyError as error:
            raise RestoreRefused(f"The database could not be restored: {error}") from error


def _restore_storage(archive: tarfile.TarFile, members: dict) -> int:
    count = 0
    for name, member in members.items():
        if not name.startswith(STORAGE_PREFIX):
            continue
        stored_name = name[len(STORAGE_PREFIX):]
        saved = default_storage.save(stored_name, File(archive.extractfile(member),
                                                       name=stored_name))
        if saved != stored_name:  # the names are what the rows point to
            raise RestoreRefused(f"The storage saved {stored_name} as {saved}.")
        count += 1
    return count


def _restore_opendata(archive: tarfile.TarFile, members: dict) -> int:
    root, count = file_stores.opendata_root(), 0
    for name, member in members.items():
        if not name.startswith(OPENDATA_PREFIX):
            continue
        path = root / name[len(OPENDATA_PREFIX):]
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as target:
            _copy(archive.extractfile(member), target)
        count += 1
    return count


def _copy(source, target) -> None:
    while chunk := source.read(1024 * 1024):
        target.write(chunk)


def describe(result: RestoreResult) -> list[str]:
    lines = [f"{'passed' if check.passed else 'FAILED'}: {check.name}: {check.detail}"
             for check in result.checks]
    for path in result.key_files:
        lines.append(f"key written: {path} (mode 600)")
    if result.keys_for_secret_store:
        lines.append(
            f"The master key and SECRET_KEY are in {result.keys_for_secret_store} (mode 600). "
            "Move them into your secret store (the environment of every web and worker "
            "process: RATHAUS_MASTER_KEY, SECRET_KEY), then delete that file. Without this "
            "master key the restored mailboxes cannot be read.")
        current = os.environ.get("RATHAUS_MASTER_KEY", "").strip()
        if current and current != result.master_key:
            lines.append("Note: RATHAUS_MASTER_KEY in this environment is not the restored "
                         "one; the checks above used the restored key.")
    return lines
