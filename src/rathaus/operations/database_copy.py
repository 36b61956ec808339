"""Copying the database out of and into an installation with the engines' own tools.

PostgreSQL: `pg_dump --format=custom` inside an exported snapshot, so that the row
counts and migrations written into the manifest are those of the dump itself; restored
with `pg_restore` in one transaction. SQLite: the online backup API, which copies a
consistent state while other processes go on writing (WAL mode), and a file written
into place on restore. Passwords go to the tools in PGPASSWORD, never on a command line
that `ps` shows.
"""

import contextlib
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, connections, transaction

from rathaus.accounts.permissions import unguarded_module

unguarded_module(__name__, "the operator's backup and restore commands: no person acts")

# The tables whose row counts the manifest names, so that a restore can be compared.
COUNTED_TABLES = {
    "authorities": "authorities_authority",
    "users": "accounts_user",
    "cases": "cases_case",
    "case_files": "records_casefile",
    "document_versions": "records_documentversion",
    "mailbox_messages": "mailbox_message",
    "mailbox_attachments": "mailbox_attachment",
    "audit_entries": "audit_auditentry",
    "access_log_entries": "audit_accesslogentry",
    "tasks": "django_tasks_database_dbtaskresult",
}


class DatabaseCopyError(Exception):
    pass


@dataclass(frozen=True)
class DatabaseFacts:
    migrations: dict[str, str]  # app → last applied migration
    counts: dict[str, int]


def vendor() -> str:
    return connection.vendor


def part_name() -> str:
    return "database.pgdump" if vendor() == "postgresql" else "database.sqlite3"


def dump(target: Path) -> DatabaseFacts:
    """Write the database to `target`; returns what the copy holds."""
    if vendor() == "postgresql":
        return _dump_postgresql(target)
    if vendor() == "sqlite":
        return _dump_sqlite(target)
    raise DatabaseCopyError(f"Backups of {vendor()} databases are not supported.")


def is_empty() -> bool:
    """True when the configured database has no table at all (no migration applied)."""
    return not connection.introspection.table_names()


def restore(source: Path) -> None:
    if vendor() == "postgresql":
        _restore_postgresql(source)
    elif vendor() == "sqlite":
        _restore_sqlite(source)
    else:
        raise DatabaseCopyError(f"Restoring into {vendor()} is not supported.")


def postgresql_tool(name: str) -> str | None:
    """pg_dump or pg_restore: from PATH, else the newest of Debian's versioned folders."""
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                         key=lambda p: _version_key(p.parent.name), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    return None


def _version_key(text: str) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in text.split("."))


# --- SQLite -------------------------------------------------------------------------------

def _dump_sqlite(target: Path) -> DatabaseFacts:
    source = sqlite3.connect(connection.settings_dict["NAME"], timeout=60)
    copy = sqlite3.connect(target)
    try:
        # In one step, that is one read transaction: in WAL mode writers go on
        # meanwhile, and the copy is the state at its start. (Copying in several steps
        # would start again after every write of another process, never ending on a
        # busy instance.)
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        return _facts(copy.cursor())
    finally:
        copy.close()
        source.close()


def _restore_sqlite(source: Path) -> None:
    name = Path(connection.settings_dict["NAME"])
    connections.close_all()
    name.parent.mkdir(parents=True, exist_ok=True)
    incoming = name.with_name(f".{name.name}.restoring")
    shutil.copyfile(source, incoming)
    for suffix in ("-wal", "-shm"):  # of the empty database that was there
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{name}{suffix}")
    os.replace(incoming, name)
    os.chmod(name, 0o600)


# --- PostgreSQL ---------------------------------------------------------------------------

def _dump_postgresql(target: Path) -> DatabaseFacts:
    pg_dump = _tool("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        # The same snapshot for pg_dump and for the counts: what the manifest says is
        # what the dump holds, however busy the instance is.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}",
              *_connection_arguments(), "--dbname", connection.settings_dict["NAME"]])
        return _facts(cursor)


def _restore_postgresql(source: Path) -> None:
    pg_restore = _tool("pg_restore")
    # Objects belong to the account restoring them; the old server's roles and grants
    # need not exist here. One transaction: a failure leaves the database empty.
    _run([pg_restore, "--no-owner", "--no-privileges", "--exit-on-error",
          "--single-transaction", *_connection_arguments(),
          "--dbname", connection.settings_dict["NAME"], str(source)])


def _connection_arguments() -> list[str]:
    settings = connection.settings_dict
    arguments = []
    if settings.get("HOST"):
        arguments += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        arguments += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        arguments += ["--username", str(settings["USER"])]
    return [*arguments, "--no-password"]


_LIBPQ_VARIABLES = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT",
                    "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY", "sslcrl": "PGSSLCRL",
                    "target_session_attrs": "PGTARGETSESSIONATTRS"}


def _run(command: list[str]) -> None:
    environment = dict(os.environ)
    password = connection.settings_dict.get("PASSWORD")
    if password:
        environment["PGPASSWORD"] = str(password)
    # The URL's TLS options (?sslmode=verify-full …) hold for the tools too.
    options = connection.settings_dict.get("OPTIONS") or {}
    for option, variable in _LIBPQ_VARIABLES.items():
        if options.get(option):
            environment[variable] = str(options[option])
    finished = subprocess.run(command, env=environment, capture_output=True, text=True,  # noqa: S603
                              check=False)
    if finished.returncode:
        raise DatabaseCopyError(
            f"{Path(command[0]).name} failed ({finished.returncode}): "
            f"{finished.stderr.strip()[-2000:]}")


def _tool(name: str) -> str:
    found = postgresql_tool(name)
    if not found:
        raise DatabaseCopyError(
            f"{name} was not found (PATH, /usr/lib/postgresql/*/bin): install Debian's "
            "postgresql-client of the server's version or newer.")
    return found


# --- What a copy holds ---------------------------------------------------------------------

def _facts(cursor) -> DatabaseFacts:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    migrations = dict(cursor.fetchall())  # the last row of each app wins
    present = set(_table_names(cursor))
    counts = {}
    for label, table in COUNTED_TABLES.items():
        if table in present:  # an app not installed has no table to count
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (fixed names)
            counts[label] = cursor.fetchone()[0]
    return DatabaseFacts(migrations=migrations, counts=counts)


def _table_names(cursor) -> list[str]:
    if isinstance(cursor, sqlite3.Cursor):
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return [row[0] for row in cursor.fetchall()]
