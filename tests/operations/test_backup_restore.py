"""Backup → wipe → restore (issue 22, point 4), on whatever database the suite runs on.

Real data is made in the test database (a dog registration decided with four eyes, its
eAkte documents, the notice in the citizen's mailbox with its PDF, a signed audit tree
head, a published dataset), `rathaus backup` writes it, and `rathaus restore` brings it
into a fresh, EMPTY installation in another process: its own data directory, its own
new database (SQLite file, or a PostgreSQL database made for the test) and no master key
given: the key must come out of the backup. In that installation `rathaus audit verify`
and `rathaus check_integrity` pass and the message decrypts to the same content.
"""

import hashlib
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from rathaus.audit.tree_heads import sign_head
from rathaus.authorities.tenancy import authority_context
from rathaus.cases.models import Case
from rathaus.cases.workflow import take
from rathaus.mailbox import keys, sealing
from rathaus.mailbox.models import Message
from rathaus.operations.database_copy import postgresql_tool
from rathaus.records.models import DocumentVersion
from tests.factories import DISPENSERS, make_case, publish_csv
from tests.records.s3_server import (  # noqa: F401  (fixtures)
    CREDENTIALS,
    REGION,
    s3_endpoint,
    s3_storage,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSPHRASE = "Hundesteuer im Tresor 2026"
# Settings of the test process that must not leak into the restored installation.
_NOT_INHERITED = {"RATHAUS_MASTER_KEY", "SECRET_KEY", "DATABASE_URL", "RATHAUS_STORAGE_DIR",
                  "RATHAUS_OPENDATA_DIR", "RATHAUS_SAML_DIR", "RATHAUS_STATIC_ROOT",
                  "RATHAUS_MODE", "RATHAUS_BACKUP_PASSPHRASE", "RATHAUS_STORAGE_BACKEND"}


@pytest.fixture
def backup(people, dog_town, tmp_path):
    """The backup file of an instance with a decided dog registration; and what its
    message says (as hashes), to compare after the restore."""
    if connection.vendor == "postgresql" and not (postgresql_tool("pg_dump")
                                                  and postgresql_tool("pg_restore")):
        pytest.skip("pg_dump/pg_restore are not installed (Debian: postgresql-client)")
    owner = people.owner
    with authority_context(dog_town):
        case = make_case(owner, large=False)
        take(case, "approve", actor=people.decider)
        take(Case.objects.get(pk=case.pk), "confirm", actor=people.second)  # → the notice
        make_case(owner, large=True)
        sign_head(dog_town)
        message = Message.objects.get(recipient=owner)
        key = keys.data_key(message.key_version)
        expected = {"message": str(message.pk),
                    "body": _sha256(sealing.open_body(message, key=key).encode()),
                    "attachment": message.attachments.get().sha256,
                    "versions": DocumentVersion.objects.count()}
    publish_csv(dog_town, DISPENSERS)
    assert expected["versions"] >= 2
    passphrase_file = tmp_path / "passphrase"
    passphrase_file.write_text(PASSPHRASE + "\n")
    call_command("backup", str(tmp_path), passphrase_file=str(passphrase_file))
    (path,) = tmp_path.glob("rathaus-backup-*.tar")
    return path, passphrase_file, expected


@pytest.fixture
def empty_installation(tmp_path):
    """The environment of a new installation: a data directory and an empty database of
    the suite's kind, without keys."""
    var = tmp_path / "restored"
    var.mkdir()
    environment = {name: value for name, value in os.environ.items()
                   if name not in _NOT_INHERITED}
    environment["RATHAUS_VAR_DIR"] = str(var)
    if connection.vendor != "postgresql":
        environment["DATABASE_URL"] = f"sqlite:///{var / 'rathaus.sqlite3'}"
        yield environment
        return
    name = f"rathaus_restore_{uuid.uuid4().hex[:12]}"
    with _server() as server:
        server.execute(f'CREATE DATABASE "{name}"')
    environment["DATABASE_URL"] = _url(name)
    try:
        yield environment
    finally:
        with _server() as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_an_empty_installation_with_its_keys(backup,
                                                                      empty_installation):
    path, passphrase_file, expected = backup
    restored = _rathaus(empty_installation, "restore", path,
                        "--passphrase-file", passphrase_file)
    assert restored.returncode == 0, restored.stderr + restored.stdout
    assert "passed: audit log" in restored.stdout
    assert f"passed: document hashes: {expected['versions']} versions match" in restored.stdout
    assert "passed: mailbox: 1 messages and 1 attachments decrypt" in restored.stdout

    # The master key came out of the backup, into var/ as development mode keeps it.
    var = Path(empty_installation["RATHAUS_VAR_DIR"])
    assert (var / "master_key").read_text().strip() == settings.RATHAUS_MASTER_KEY.strip()
    assert (var / "master_key").stat().st_mode & 0o777 == 0o600

    audit = _rathaus(empty_installation, "audit", "verify")
    assert audit.returncode == 0, audit.stderr
    assert "Audit log intact" in audit.stdout
    integrity = _rathaus(empty_installation, "check_integrity")
    assert integrity.returncode == 0, integrity.stdout + integrity.stderr
    assert f"{expected['versions']} checked, 0 mismatches" in integrity.stdout

    opened = _rathaus(empty_installation, "shell", "--no-imports", "-c",
                      _OPEN_THE_MESSAGE.format(**expected))
    assert opened.returncode == 0, opened.stderr
    assert opened.stdout.split()[-2:] == [expected["body"], expected["attachment"]]

    # The open data downloads came along too.
    assert any((var / "opendata").glob("*.csv"))

    # Now it holds data: a second restore is refused and changes nothing.
    again = _rathaus(empty_installation, "restore", path, "--passphrase-file", passphrase_file)
    assert again.returncode != 0
    assert "empty installation only" in again.stderr
    assert _rathaus(empty_installation, "check_integrity").returncode == 0


def test_a_wrong_passphrase_or_a_changed_part_is_refused_before_anything_is_written(
        backup, empty_installation, tmp_path):
    path, _passphrase_file, _expected = backup
    wrong = tmp_path / "wrong"
    wrong.write_text("not the passphrase at all\n")
    refused = _rathaus(empty_installation, "restore", path, "--passphrase-file", wrong)
    assert refused.returncode != 0
    assert "passphrase does not open" in refused.stderr
    _assert_still_empty(empty_installation)

    tampered = tmp_path / "tampered.tar"
    tampered.write_bytes(path.read_bytes())
    with tarfile.open(tampered) as archive:
        document = next(m for m in archive.getmembers() if m.name.startswith("storage/records/"))
    with open(tampered, "r+b") as stream:  # one byte of a stored document changed
        stream.seek(document.offset_data)
        first = stream.read(1)
        stream.seek(document.offset_data)
        stream.write(bytes([first[0] ^ 0xFF]))
    refused = _rathaus(empty_installation, "restore", tampered,
                       "--passphrase-file", _passphrase_file)
    assert refused.returncode != 0
    assert f"{document.name}: SHA-256 or size differs" in refused.stderr
    _assert_still_empty(empty_installation)


def test_documents_in_an_object_store_come_back_into_another_one(
        s3_storage, backup, empty_installation, s3_endpoint):  # noqa: F811 (fixtures)
    """The backup reads the bucket through the storage API, the restore writes into a
    new bucket: the restored installation finds every document and attachment there."""
    path, passphrase_file, expected = backup
    assert s3_storage.object_names()
    target = f"rathaus-restored-{uuid.uuid4().hex[:8]}"
    s3_storage.client.create_bucket(
        Bucket=target, CreateBucketConfiguration={"LocationConstraint": REGION})
    in_the_bucket = {
        **empty_installation, "RATHAUS_STORAGE_BACKEND": "s3", "RATHAUS_S3_BUCKET": target,
        "RATHAUS_S3_ENDPOINT_URL": s3_endpoint, "RATHAUS_S3_REGION": REGION,
        "RATHAUS_S3_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
        "RATHAUS_S3_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
        "RATHAUS_S3_ADDRESSING_STYLE": "path"}
    keys = Path(empty_installation["RATHAUS_VAR_DIR"]).parent / "for-the-secret-store.env"
    restored = _rathaus(in_the_bucket, "restore", path, "--passphrase-file", passphrase_file,
                        "--keys-to", keys)
    assert restored.returncode == 0, restored.stderr + restored.stdout
    # As in production: the keys in a file of mode 600 for the secret store.
    assert f"RATHAUS_MASTER_KEY={settings.RATHAUS_MASTER_KEY.strip()}\n" in keys.read_text()
    assert keys.stat().st_mode & 0o777 == 0o600
    assert "Move them into your secret store" in restored.stdout
    assert f"passed: document hashes: {expected['versions']} versions match" in restored.stdout
    assert "passed: mailbox: 1 messages and 1 attachments decrypt" in restored.stdout
    listed = s3_storage.client.list_objects_v2(Bucket=target).get("Contents", ())
    assert sorted(entry["Key"] for entry in listed) == s3_storage.object_names()
    assert not (Path(empty_installation["RATHAUS_VAR_DIR"]) / "storage").exists()


def test_a_short_passphrase_is_refused(db, tmp_path, monkeypatch):
    from django.core.management.base import CommandError

    monkeypatch.setenv("RATHAUS_BACKUP_PASSPHRASE", "kurz")
    with pytest.raises(CommandError, match="at least 12 characters"):
        call_command("backup", str(tmp_path))
    assert not list(tmp_path.iterdir())


_OPEN_THE_MESSAGE = """
import hashlib
from rathaus.authorities.tenancy import authority_context
from rathaus.mailbox import keys, sealing
from rathaus.mailbox.models import Message
message = Message.all_authorities.get(pk="{message}")
with authority_context(message.authority):
    key = keys.data_key(message.key_version)
    print(hashlib.sha256(sealing.open_body(message, key=key).encode()).hexdigest())
    attachment = message.attachments.get()
    print(hashlib.sha256(sealing.open_attachment(attachment, key=key)).hexdigest())
"""


def _assert_still_empty(environment) -> None:
    var = Path(environment["RATHAUS_VAR_DIR"])
    assert not (var / "storage").exists() or not any((var / "storage").rglob("*"))
    assert not (var / "opendata").exists() or not any((var / "opendata").rglob("*.csv"))
    tables = _rathaus(environment, "shell", "--no-imports", "-c",
                      "from django.db import connection; "
                      "print(len(connection.introspection.table_names()))")
    assert tables.stdout.split()[-1:] == ["0"], tables.stdout + tables.stderr


def _rathaus(environment, *arguments) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rathaus", *map(str, arguments)],
                          env=environment, capture_output=True, text=True, timeout=600,
                          check=False, stdin=subprocess.DEVNULL)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _server():
    details = connection.settings_dict
    return psycopg.connect(host=details["HOST"] or None, port=details["PORT"] or None,
                           user=details["USER"] or None, password=details["PASSWORD"] or None,
                           dbname="postgres", autocommit=True)


def _url(name: str) -> str:
    details = connection.settings_dict
    password = f":{details['PASSWORD']}" if details["PASSWORD"] else ""
    host = f"{details['HOST'] or '127.0.0.1'}:{details['PORT'] or 5432}"
    return f"postgres://{details['USER']}{password}@{host}/{name}"
