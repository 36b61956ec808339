"""The eAkte's full-text index on SQLite: an FTS5 table beside the search entries.

`records_search_terms` holds each entry's terms (rowid = the entry's id) as
records.search_terms made them (German stems, dates, references); the unicode61
tokenizer keeps such ASCII terms as they are, so a MATCH of terms finds what
PostgreSQL's index finds. Written by records.search_index in the same transaction as
the entry; SQLite rolls both back together.
"""

TABLE = "records_search_terms"


FORGET = "records_search_terms_forget"


def install(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
                       "terms, tokenize = 'unicode61 remove_diacritics 0')")
        # An entry deleted by any path (a destroyed file's documents cascade to their
        # entries) takes its terms along: a destroyed document's words must not stay
        # behind in the index. PostgreSQL keeps them in the row itself.
        forget = (f"CREATE TRIGGER IF NOT EXISTS {FORGET} AFTER DELETE ON "  # noqa: S608
                  f"records_searchentry BEGIN DELETE FROM {TABLE} WHERE rowid = OLD.id; END")
        cursor.execute(forget)


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER IF EXISTS {FORGET}")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def store_entry(cursor, entry: dict, terms: list[str]) -> None:
    """Insert or replace the document's entry, then its terms."""
    cursor.execute(
        "INSERT INTO records_searchentry (authority_id, document_id, case_file_id, "
        "department_id, filed_at, metadata_terms) VALUES (%(authority_id)s, %(document_id)s, "
        "%(case_file_id)s, %(department_id)s, %(filed_at)s, %(metadata_terms)s) "
        "ON CONFLICT (document_id) DO UPDATE SET case_file_id = excluded.case_file_id, "
        "department_id = excluded.department_id, filed_at = excluded.filed_at, "
        "metadata_terms = excluded.metadata_terms RETURNING id", entry)
    entry_id = cursor.fetchone()[0]
    # Delete first: a test database's flush leaves the FTS rows behind.
    cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [entry_id])  # noqa: S608
    cursor.execute(f"INSERT INTO {TABLE} (rowid, terms) VALUES (%s, %s)",  # noqa: S608
                   [entry_id, " ".join(terms)])


def newest_matches(cursor, *, authority_id: int, terms: list[str],
                   departments: set[int] | None, limit: int) -> list[tuple]:
    """(entry id, document id, metadata terms) of the newest entries holding every term,
    newest first; only those of `departments` unless it is None."""
    # Terms are ASCII letters and digits: quoted, they are never FTS5 syntax.
    match = " AND ".join(f'"{term}"' for term in terms)
    where, params = "", [match, authority_id]
    if departments is not None:
        chosen = sorted(departments)
        where = f" AND e.department_id IN ({', '.join(['%s'] * len(chosen)) or 'NULL'})"
        params += chosen
    # The full-text table is asked first, in a subquery: joined, SQLite may instead walk
    # the authority's rows and ask the MATCH once per row.
    cursor.execute(
        "SELECT e.id, e.document_id, e.metadata_terms FROM records_searchentry e "  # noqa: S608
        f"WHERE e.id IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s) "
        f"AND e.authority_id = %s{where} ORDER BY e.filed_at DESC, e.id DESC LIMIT %s",
        [*params, limit])
    return cursor.fetchall()


def match_condition(terms: list[str]) -> tuple[str, list]:
    """A WHERE condition on records_searchentry: the entry holds every term (for a
    query the ORM builds around it, records.search.newest_among)."""
    match = " AND ".join(f'"{term}"' for term in terms)
    return (f'"records_searchentry"."id" IN (SELECT rowid FROM {TABLE} '  # noqa: S608
            f"WHERE {TABLE} MATCH %s)", [match])
