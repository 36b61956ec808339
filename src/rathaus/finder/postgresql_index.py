"""The finder's text indexes on PostgreSQL: on the finder's own tables.

A stored, generated column `german` = `to_tsvector('german', words)` with a GIN index:
PostgreSQL stems the entry's words itself, with the same Snowball algorithm as
finder.normalisation, and a query names the stems as they are (`to_tsquery('simple',
…)` does not stem again). Stored, because a query matching many entries is answered
faster by reading every vector than through the index, and then no vector is made at
query time. A pg_trgm GIN index over IndexWord.word answers substrings, starts of words
(LIKE) and typos (`%`). Both follow the rows by themselves, so writing needs nothing
here. The column is not in the Django model: nothing but these queries reads it.
"""




def install(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE finder_searchentry ADD COLUMN IF NOT EXISTS german tsvector "
                       "GENERATED ALWAYS AS (to_tsvector('german'::regconfig, words)) STORED")
        cursor.execute("CREATE INDEX IF NOT EXISTS finder_searchentry_german "
                       "ON finder_searchentry USING gin (german)")
        cursor.execute("CREATE INDEX IF NOT EXISTS finder_indexword_trigrams "
                       "ON finder_indexword USING gin (word gin_trgm_ops)")


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS finder_indexword_trigrams")
        cursor.execute("DROP INDEX IF EXISTS finder_searchentry_german")
        cursor.execute("ALTER TABLE finder_searchentry DROP COLUMN IF EXISTS german")


# --- Writing: the indexes follow the rows ---------------------------------------------

def store_entry(cursor, entry_id: int, words: str) -> None:
    pass


def forget_entries(cursor, entry_ids: list[int]) -> None:
    pass


def store_words(cursor, rows: list[tuple[int, str]]) -> None:
    pass


def forget_words(cursor, word_ids: list[int]) -> None:
    pass


# --- Reading ------------------------------------------------------------------------

def entries_with_stems(cursor, authority_id: int, stems: list[str]) -> list[tuple[int, str]]:
    """The entries with one of `stems`: their ids and checksums."""
    # Stems are letters and digits only (finder.normalisation): nothing to escape.
    cursor.execute(
        "SELECT id, checksum FROM finder_searchentry "
        "WHERE authority_id = %s AND german @@ to_tsquery('simple', %s)",
        [authority_id, " | ".join(stems)])
    return cursor.fetchall()


def words_among(cursor, authority_id: int, candidates: list[str]) -> list[str]:
    # Joined with the list, not `word = ANY(list)`: for that the planner takes the
    # trigram index (pg_trgm answers equality too), a hundred times slower here than
    # the unique index on (authority, word).
    cursor.execute("SELECT w.word FROM unnest(%s::text[]) AS typed (word) "
                   "JOIN finder_indexword w ON w.authority_id = %s AND w.word = typed.word",
                   [candidates, authority_id])
    return [row[0] for row in cursor.fetchall()]


def _words_where(cursor, authority_id: int, condition: str, values: list[str]) -> list[str]:
    # One condition per value, joined by OR: each is answered from the trigram index.
    either = " OR ".join([condition] * len(values))
    cursor.execute(f"SELECT word FROM finder_indexword WHERE authority_id = %s AND ({either})",  # noqa: S608
                   [authority_id, *values])
    return [row[0] for row in cursor.fetchall()]


def words_containing(cursor, authority_id: int, parts: list[str]) -> list[str]:
    """The index words that contain one of `parts`."""
    return _words_where(cursor, authority_id, "word LIKE %s", [f"%{part}%" for part in parts])


def words_starting_with(cursor, authority_id: int, start: str) -> list[str]:
    return _words_where(cursor, authority_id, "word LIKE %s", [f"{start}%"])


def words_similar_to(cursor, authority_id: int, typed: list[str]) -> list[str]:
    """The index words pg_trgm finds similar to one of `typed` at its threshold (0.3
    unless configured otherwise): a superset of those finder.trigrams accepts."""
    return _words_where(cursor, authority_id, "word %% %s", typed)
