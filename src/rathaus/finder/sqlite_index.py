"""The finder's text indexes on SQLite: two FTS5 tables beside the finder's tables.

`finder_entry_stems` holds each SearchEntry's stems (rowid = the entry's id), with the
unicode61 tokenizer: the stems are Python's (finder.normalisation), so a MATCH of
stems finds what PostgreSQL's german configuration finds. `finder_word_pieces` holds
each IndexWord padded as pg_trgm pads it ("  hund "), with the trigram tokenizer: a
quoted string matches as a substring, and "  hu" only at a word's start.

Both are kept by the finder's services in the same transaction as the rows they copy;
SQLite rolls them back with the rest.
"""

from .normalisation import stem
from .trigrams import pieces_one_of_which_is_shared, trigram_count_range


def install(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE VIRTUAL TABLE IF NOT EXISTS finder_entry_stems USING fts5("
                       "stems, tokenize = 'unicode61 remove_diacritics 0')")
        cursor.execute("CREATE VIRTUAL TABLE IF NOT EXISTS finder_word_pieces USING fts5("
                       "padded, tokenize = 'trigram')")


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS finder_entry_stems")
        cursor.execute("DROP TABLE IF EXISTS finder_word_pieces")


def _quoted(text: str) -> str:
    # Index words and pieces are letters, digits and spaces: no quote to double.
    return f'"{text}"'


# --- Writing ------------------------------------------------------------------------

def store_entry(cursor, entry_id: int, words: str) -> None:
    # Delete first: a test database's flush leaves the FTS rows, and ids come again.
    cursor.execute("DELETE FROM finder_entry_stems WHERE rowid = %s", [entry_id])
    cursor.execute("INSERT INTO finder_entry_stems (rowid, stems) VALUES (%s, %s)",
                   [entry_id, " ".join(stem(word) for word in words.split())])


def forget_entries(cursor, entry_ids: list[int]) -> None:
    for entry_id in entry_ids:
        cursor.execute("DELETE FROM finder_entry_stems WHERE rowid = %s", [entry_id])


def store_words(cursor, rows: list[tuple[int, str]]) -> None:
    for word_id, word in rows:
        cursor.execute("DELETE FROM finder_word_pieces WHERE rowid = %s", [word_id])
        cursor.execute("INSERT INTO finder_word_pieces (rowid, padded) VALUES (%s, %s)",
                       [word_id, f"  {word} "])


def forget_words(cursor, word_ids: list[int]) -> None:
    for word_id in word_ids:
        cursor.execute("DELETE FROM finder_word_pieces WHERE rowid = %s", [word_id])


# --- Reading ------------------------------------------------------------------------

# The full-text table is asked first, in a subquery: joined, SQLite may instead walk the
# authority's rows and ask the MATCH once per row.

def entries_with_stems(cursor, authority_id: int, stems: list[str]) -> list[tuple[int, str]]:
    """The entries with one of `stems`: their ids and checksums."""
    cursor.execute(
        "SELECT e.id, e.checksum FROM finder_searchentry e "
        "WHERE e.id IN (SELECT rowid FROM finder_entry_stems WHERE finder_entry_stems MATCH %s) "
        "AND e.authority_id = %s",
        [" OR ".join(_quoted(s) for s in stems), authority_id])
    return cursor.fetchall()


def _words_matching(cursor, authority_id: int, match: str, extra: str = "",
                    params: tuple = ()) -> list[str]:
    # `extra` is one of this module's own conditions; the values go as parameters.
    cursor.execute(
        "SELECT w.word FROM finder_indexword w WHERE w.id IN ("  # noqa: S608
        "SELECT rowid FROM finder_word_pieces WHERE finder_word_pieces MATCH %s) "
        f"AND w.authority_id = %s{extra}",
        [match, authority_id, *params])
    return [row[0] for row in cursor.fetchall()]


def words_among(cursor, authority_id: int, candidates: list[str]) -> list[str]:
    found = []
    for start in range(0, len(candidates), 500):  # within SQLite's limit of parameters
        chunk = candidates[start:start + 500]
        cursor.execute("SELECT word FROM finder_indexword WHERE authority_id = %s "  # noqa: S608
                       f"AND word IN ({', '.join(['%s'] * len(chunk))})", [authority_id, *chunk])
        found += [row[0] for row in cursor.fetchall()]
    return found


def words_containing(cursor, authority_id: int, parts: list[str]) -> list[str]:
    """The index words that contain one of `parts`."""
    return _words_matching(cursor, authority_id, " OR ".join(map(_quoted, parts)))


def words_starting_with(cursor, authority_id: int, start: str) -> list[str]:
    return _words_matching(cursor, authority_id, _quoted(f"  {start}"))


def words_similar_to(cursor, authority_id: int, typed: list[str]) -> list[str]:
    """A superset of the index words similar enough to one of `typed`: those with one of
    the pieces every similar word has, and a number of pieces that allows it."""
    ranges = [trigram_count_range(word) for word in typed]
    pieces = sorted({piece for word in typed for piece in pieces_one_of_which_is_shared(word)})
    return _words_matching(cursor, authority_id, " OR ".join(map(_quoted, pieces)),
                           " AND w.trigram_count BETWEEN %s AND %s",
                           (min(low for low, _ in ranges), max(high for _, high in ranges)))
