"""Reading a version's rows from its store file (see store.py): pages, bounding-box
queries, single rows and the whole table in chunks. The downloads, the public preview
and the OGC API call these; nothing here touches the main database."""

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass

from .inference import to_python
from .store import path_for

CHUNK = 2000


@dataclass(frozen=True)
class Row:
    id: int
    lon: float | None
    lat: float | None
    props: str  # the row as a JSON object, ready to be sent

    def values(self) -> dict:
        return json.loads(self.props)


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    number_matched: int


def connect(key: str) -> sqlite3.Connection:
    # immutable=1: the file never changes, so SQLite skips locking and change checks.
    uri = f"file:{path_for(key, '.sqlite')}?mode=ro&immutable=1"
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


def columns(key: str) -> list[dict]:
    with closing(connect(key)) as db:
        return json.loads(db.execute("SELECT value FROM meta WHERE key='columns'").fetchone()[0])


def _filters_sql(key: str, filters: dict[str, str] | None) -> tuple[str, list]:
    """Equality on columns, each value converted to the column's type."""
    if not filters:
        return "", []
    declared = {c["name"]: (i, c["type"]) for i, c in enumerate(columns(key))}
    clauses, params = [], []
    for name, raw in filters.items():
        position, column_type = declared[name]
        try:
            value = to_python(raw, column_type)
        except ValueError:
            value = raw
        if isinstance(value, int) and not -(2**63) <= value < 2**63:
            value = float(value)  # SQLite integers have 64 bits; no row can match anyway
        clauses.append(f"r.c{position} = ?")
        params.append(value)
    return " AND " + " AND ".join(clauses), params


def page(key: str, *, row_count: int, limit: int, offset: int = 0,
         bbox: tuple[float, float, float, float] | None = None,
         filters: dict[str, str] | None = None) -> Page:
    """Rows offset+1 … offset+limit of those matching, in file order, and how many match."""
    with closing(connect(key)) as db:
        if bbox is None and not filters:
            # Ids are 1..n without gaps, so a deep page is a range on the primary key.
            cursor = db.execute("SELECT id, lon, lat, props FROM rows WHERE id > ? AND id <= ? "
                                "ORDER BY id", (offset, offset + limit))
            return Page([Row(*r) for r in cursor], row_count)
        where, params = _filters_sql(key, filters)
        if bbox is not None:
            source = ("rows_rtree t JOIN rows r ON r.id = t.id WHERE t.minx <= ? AND "
                      "t.maxx >= ? AND t.miny <= ? AND t.maxy >= ?")
            params = [bbox[2], bbox[0], bbox[3], bbox[1], *params]
        else:
            source = "rows r WHERE 1=1"
        matched = db.execute(f"SELECT count(*) FROM {source}{where}", params).fetchone()[0]  # noqa: S608
        cursor = db.execute(
            f"SELECT r.id, r.lon, r.lat, r.props FROM {source}{where} "  # noqa: S608
            "ORDER BY r.id LIMIT ? OFFSET ?", [*params, limit, offset])
        return Page([Row(*r) for r in cursor], matched)


def row(key: str, row_id: int) -> Row | None:
    with closing(connect(key)) as db:
        found = db.execute("SELECT id, lon, lat, props FROM rows WHERE id = ?",
                           (row_id,)).fetchone()
    return Row(*found) if found else None


def chunks(key: str) -> Iterator[list[tuple]]:
    """All rows as (id, lon, lat, props) tuples, a chunk at a time: constant memory."""
    db = connect(key)
    try:
        cursor = db.execute("SELECT id, lon, lat, props FROM rows ORDER BY id")
        while batch := cursor.fetchmany(CHUNK):
            yield batch
    finally:
        db.close()


def first_rows(key: str, count: int = 10) -> list[dict]:
    return [r.values() for r in page(key, row_count=0, limit=count).rows]
