"""Reading a version's rows from its store file (see store.py): pages, bounding-box
queries and single rows. The public preview and the OGC API call these; nothing here
touches the main database."""

import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from . import polygons
from .files import path_for, path_text

# Connections kept open per thread (see _reader): a few datasets are hot at a time.
READERS_PER_THREAD = 4
EXACT_FUNCTION = "rathaus_exact"
MAP_BYTES = 1 << 30  # the part of a store file read through a memory map (connect)
# Up to this many matches, a filtered page is found in one pass (_few); the ids of a
# few thousand rows are a few hundred kilobytes at most.
FEW = 10_000


class Row(NamedTuple):
    # A tuple rather than a dataclass: a page builds a thousand of them, and a tuple is
    # made several times faster.
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
    db = sqlite3.connect(uri, uri=True, check_same_thread=False)
    # Read through a memory map: a filter reads rows scattered over the file (a
    # polygon's candidates), and from the map each costs no system call and no copy.
    # The mapped pages are the operating system's file cache, shared by every
    # connection and process, not memory of each.
    db.execute(f"PRAGMA mmap_size={MAP_BYTES}")
    # For CQL2 filters with a polygon (filtering.py); deterministic: SQLite may reuse it.
    db.create_function(polygons.SQL_NAME, 3, polygons.in_polygons, deterministic=True)
    return db


_local = threading.local()


def _reader(key: str) -> sqlite3.Connection:
    """A connection to the store of `key`, kept open in this thread for the next request.

    Opening one per request cost more than the query: each new connection starts with
    a cold page cache and reads the schema again. A store file never changes once
    written, so a kept connection cannot go stale. Per thread, so that no connection is
    shared; the least recently used is closed beyond READERS_PER_THREAD.
    """
    path = path_text(key, ".sqlite")  # by path: tests give each their own directory
    readers = getattr(_local, "readers", None)
    if readers is None:
        readers = _local.readers = OrderedDict()
    db = readers.pop(path, None)
    if db is None:
        db = connect(key)
        while len(readers) >= READERS_PER_THREAD:
            readers.popitem(last=False)[1].close()
    readers[path] = db
    return db


def columns(key: str) -> list[dict]:
    """The column declarations of the store `key` (a copy: callers may change it)."""
    return [dict(c) for c in _columns(key)]


@lru_cache(maxsize=256)
def _columns(key: str) -> tuple:
    # The key is a hash over the column declarations among the rest: a key always has
    # the same columns, so they are read once per process.
    found = _reader(key).execute("SELECT value FROM meta WHERE key='columns'").fetchone()
    return tuple(json.loads(found[0]))


def _filters_sql(key: str, filters: dict[str, object] | None,
                 during: tuple[str, str | None, str | None] | None,
                 condition: tuple[str, list] | None = None) -> tuple[str, list]:
    """Equality on columns (`filters`: name to a value of the column's type, as the
    store holds it: booleans as True/False, dates as ISO text) and days within an
    interval on a date column (`during`: name, first and last day, None where open).
    Only values are parameters; names become positions, never SQL text. `condition`:
    a CQL2 filter as filtering.where made it (SQL on alias r and its parameters)."""
    positions = {c["name"]: i for i, c in enumerate(columns(key))}
    clauses, params = [], []
    for name, value in (filters or {}).items():
        clauses.append(f"r.c{positions[name]} = ?")
        params.append(value)
    if during is not None:
        name, first, last = during
        column = f"r.c{positions[name]}"
        # A value staff kept although it is no date stays text; it falls on no day.
        clauses.append(f"{column} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'")
        for bound, operator in ((first, ">="), (last, "<=")):
            if bound is not None:
                clauses.append(f"{column} {operator} ?")
                params.append(bound)
    if condition is not None:
        clauses.append(f"({condition[0]})")
        params.extend(condition[1])
    if not clauses:
        return "", []
    return " AND " + " AND ".join(clauses), params


def page(key: str, *, row_count: int, limit: int, offset: int = 0,
         bbox: tuple[float, float, float, float] | None = None,
         filters: dict[str, object] | None = None,
         during: tuple[str, str | None, str | None] | None = None,
         exact: Callable[[float, float], bool] | None = None,
         condition: tuple[str, list] | None = None) -> Page:
    """Rows offset+1 … offset+limit of those matching, in file order, and how many match.

    `exact`: with a bbox, a test (lon, lat) each point in the bbox must pass as well:
    the OGC API gives a box drawn in another coordinate system as the lon/lat box
    around it, and this keeps only the points within the box itself. It runs in the
    query, so that counting and paging see the same rows."""
    db = _reader(key)
    where, params = _filters_sql(key, filters, during, condition)
    if exact is not None and bbox is not None:
        # The connection is this thread's own (_reader): no other request sees it.
        db.create_function(EXACT_FUNCTION, 2, exact, deterministic=True)
        where += f" AND {EXACT_FUNCTION}(r.lon, r.lat)"
    if bbox is None and not where:
        # Ids are 1..n without gaps, so a deep page is a range on the primary key.
        cursor = db.execute("SELECT id, lon, lat, props FROM rows WHERE id > ? AND id <= ? "
                            "ORDER BY id", (offset, offset + limit))
        return Page(list(map(Row._make, cursor)), row_count)
    if bbox is not None:
        box = [bbox[2], bbox[0], bbox[3], bbox[1]]
        inside = "t.minx <= ? AND t.maxx >= ? AND t.miny <= ? AND t.maxy >= ?"
        # Without filters the R-tree alone answers (it holds every row with a point):
        # counting and sorting its ids needs no row read, and only the page's rows are
        # fetched, instead of reading every match to sort it.
        source = (f"rows_rtree t WHERE {inside}" if not where else
                  f"rows_rtree t JOIN rows r ON r.id = t.id WHERE {inside}{where}")
        params = [*box, *params]
    else:
        source = f"rows r WHERE 1=1{where}"
        found = _few(db, source, params, limit=limit, offset=offset)
        if found is not None:
            return found
    matched = db.execute(f"SELECT count(*) FROM {source}", params).fetchone()[0]  # noqa: S608
    ids = "t.id" if bbox is not None else "r.id"
    cursor = db.execute(
        f"SELECT id, lon, lat, props FROM rows WHERE id IN (SELECT {ids} FROM {source} "  # noqa: S608
        f"ORDER BY {ids} LIMIT ? OFFSET ?) ORDER BY id", [*params, limit, offset])
    return Page(list(map(Row._make, cursor)), matched)


def _few(db, source: str, params: list, *, limit: int, offset: int) -> Page | None:
    """The page and the count from one evaluation of the condition, when it matches at
    most FEW rows; None when it matches more.

    Counting and paging separately evaluates the condition twice, and a condition that
    runs Python per row (a polygon, filtering.py) or finds its rows through an index
    costs the same both times. The ids of a few thousand matches are cheap to hold."""
    cursor = db.execute(f"SELECT r.id FROM {source} ORDER BY r.id LIMIT ?",  # noqa: S608
                        [*params, FEW + 1])
    ids = [found for (found,) in cursor]
    if len(ids) > FEW:
        return None
    wanted = ids[offset:offset + limit]
    if not wanted:
        return Page([], len(ids))
    placeholders = ",".join("?" * len(wanted))
    rows = db.execute(f"SELECT id, lon, lat, props FROM rows WHERE id IN ({placeholders}) "  # noqa: S608
                      "ORDER BY id", wanted)
    return Page(list(map(Row._make, rows)), len(ids))


def row(key: str, row_id: int) -> Row | None:
    if not -(2**63) <= row_id < 2**63:
        return None  # beyond SQLite's integers; no row has such an id
    found = _reader(key).execute("SELECT id, lon, lat, props FROM rows WHERE id = ?",
                                 (row_id,)).fetchone()
    return Row._make(found) if found else None


def first_rows(key: str, count: int = 10) -> list[dict]:
    return [r.values() for r in page(key, row_count=0, limit=count).rows]
