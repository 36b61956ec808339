"""The eAkte's full-text index on PostgreSQL: a tsvector column on the search entries
with a GIN index.

The vector holds the terms as records.search_terms made them (German stems, dates,
references), taken as they are (`array_to_tsvector`, no parser or dictionary between),
and a query names them the same way (a tsquery literal of quoted lexemes): what matches is
decided by the same Python terms as on SQLite. Without positions: nothing ranks by them,
and the vectors stay small. The column is not in the Django model: only this module
reads and writes it.
"""

import re

INDEX_NAME = "records_searchentry_terms"
_TERM = re.compile(r"[a-z0-9]+")
WORK_MEM = "32MB"  # for the search's own statement only (SET LOCAL)


def install(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE records_searchentry ADD COLUMN IF NOT EXISTS terms tsvector "
                       "NOT NULL DEFAULT ''::tsvector")
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} "
                       "ON records_searchentry USING gin (terms)")


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")
        cursor.execute("ALTER TABLE records_searchentry DROP COLUMN IF EXISTS terms")


def store_entry(cursor, entry: dict, terms: list[str]) -> None:
    """Insert or replace the document's entry with its terms: one statement, since
    filing a document waits for it."""
    cursor.execute(
        "INSERT INTO records_searchentry (authority_id, document_id, case_file_id, "
        "department_id, filed_at, metadata_terms, terms) VALUES (%(authority_id)s, "
        "%(document_id)s, %(case_file_id)s, %(department_id)s, %(filed_at)s, "
        "%(metadata_terms)s, array_to_tsvector(%(terms)s::text[])) "
        "ON CONFLICT (document_id) DO UPDATE SET case_file_id = EXCLUDED.case_file_id, "
        "department_id = EXCLUDED.department_id, filed_at = EXCLUDED.filed_at, "
        "metadata_terms = EXCLUDED.metadata_terms, terms = EXCLUDED.terms",
        entry | {"terms": terms})


def tsquery(terms: list[str]) -> str:
    """The tsquery of every term, as an SQL literal. Terms are ASCII letters and digits
    (records.search_terms); anything else is refused, so the literal needs no escape."""
    if not all(_TERM.fullmatch(term) for term in terms):
        raise ValueError("Search terms are letters and digits only.")
    return "'" + " & ".join(f"''{term}''" for term in terms) + "'::tsquery"


def newest_matches(cursor, *, authority_id: int, terms: list[str],
                   departments: set[int] | None, limit: int) -> list[tuple]:
    """(entry id, document id, metadata terms) of the newest entries holding every term,
    newest first; only those of `departments` unless it is None. Called in a
    transaction (records.search), which the SET LOCAL below lasts for."""
    # Every value is written into the statement (integers, and terms checked by
    # `tsquery`), none passed as a parameter: psycopg prepares a statement used often,
    # and PostgreSQL's generic plan for it, made without knowing the values, would read
    # a department newest first to its end for a rare word instead of asking the GIN
    # index.
    newest = ("SELECT id, document_id, metadata_terms, filed_at FROM records_searchentry "  # noqa: S608 (integers, checked terms)
              f"WHERE authority_id = {int(authority_id)} AND terms @@ {tsquery(terms)}"
              "{department} ORDER BY filed_at DESC, id DESC "
              f"LIMIT {int(limit)}")
    # The bitmap of a common word among one department's rows must stay exact: with the
    # default 4 MB it turns lossy, and every row of its pages is checked again.
    cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
    if departments is None:
        cursor.execute(newest.format(department=""))
        return [row[:3] for row in cursor.fetchall()]
    # One part per department, each read newest first from the index on (authority,
    # department, filed_at), then merged: `department_id = ANY(…)` could only filter the
    # rows of the whole authority one by one.
    parts = [f"({newest.format(department=f' AND department_id = {int(department)}')})"
             for department in sorted(departments)]
    cursor.execute(
        "SELECT id, document_id, metadata_terms FROM ("  # noqa: S608 (the parts above)
        f"{' UNION ALL '.join(parts)}) AS found ORDER BY filed_at DESC, id DESC "
        f"LIMIT {int(limit)}")
    return cursor.fetchall()


def match_condition(terms: list[str]) -> tuple[str, list]:
    """A WHERE condition on records_searchentry: the entry holds every term (for a
    query the ORM builds around it, records.search.newest_among). The terms are written
    into it (`tsquery`), for the reason given in `newest_matches`."""
    return f'"records_searchentry"."terms" @@ {tsquery(terms)}', []
