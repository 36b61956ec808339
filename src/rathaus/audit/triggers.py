"""Database triggers that refuse UPDATE and DELETE on the audit tables, on PostgreSQL
and SQLite. They stop accidents and casual edits by anyone with write access; someone
who drops them first is caught by the signed tree heads instead (docs/decisions/0018).

The statements live here only: the migration installs them, and tests that play the
administrator who rewrites history drop them as that administrator would.
"""

from django.db import connection as default_connection

TABLES = ("audit_auditentry", "audit_accesslogentry", "audit_audittreenode",
          "audit_audittreehead")

_POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION rathaus_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'rathaus: % on % refused: the audit trail is append-only',
    TG_OP, TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END $$
"""


def _statements(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE"
                f" ON {table} FOR EACH ROW EXECUTE FUNCTION rathaus_append_only()"]
    return [f"CREATE TRIGGER IF NOT EXISTS {table}_no_{operation} BEFORE {operation.upper()}"
            f" ON {table} BEGIN SELECT RAISE(ABORT, 'rathaus: {operation.upper()} on {table}"
            " refused: the audit trail is append-only'); END"
            for operation in ("update", "delete")]


def install(connection=None) -> None:
    connection = connection or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_POSTGRES_FUNCTION)
        for table in TABLES:
            for statement in _statements(connection.vendor, table):
                cursor.execute(statement)


def drop(connection=None) -> None:
    connection = connection or default_connection
    with connection.cursor() as cursor:
        for table in TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            else:
                for operation in ("update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")


def installed(connection=None) -> bool:
    connection = connection or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE %s",
                           ["audit_%_append_only"])
            return cursor.fetchone()[0] == len(TABLES)
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                       " AND name LIKE 'audit_%_no_%'")
        return cursor.fetchone()[0] == 2 * len(TABLES)
