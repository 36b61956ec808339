"""The immutable file store of dataset versions.

Each version's public rows are written once, to files named by a content key
(SHA-256 over the column declarations and the normalised CSV):

- `<key>.csv`: the CSV download (RFC 4180, UTF-8, CRLF), sent straight from disk;
- `<key>.csv.gz`: the same, gzip-compressed once, for clients that accept gzip;
- `<key>.sqlite`: a typed table `rows` (id 1..n in file order; c0, c1 … per column;
  `props`, the row as a JSON object; `lon`/`lat`) and, with coordinates, an R-tree
  `rows_rtree`, for pages, bounding-box queries and single rows (queries.py);
- `<key>.json` and, with points, `<key>.geojson`, each with a `.gz` copy: the other
  downloads (documents.py), files so that they have a length and byte ranges.

Files are written under a temporary name and renamed into place, never overwritten:
identical content is stored once, and a reader never sees half a file. The main
database keeps only the key and the metadata (models.DatasetVersion).
"""

import csv
import gzip
import hashlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from ..ingest.inference import to_csv
from ..models import ColumnType
from . import documents

_SQL_TYPES = {
    ColumnType.INTEGER: "INTEGER", ColumnType.DECIMAL: "REAL", ColumnType.BOOLEAN: "INTEGER",
    ColumnType.DATE: "TEXT", ColumnType.TEXT: "TEXT",
}
BATCH = 5000
WORK_PREFIX = "version-"  # temporary folder of a version being written


@dataclass(frozen=True)
class StoreColumn:
    name: str
    type: str
    role: str = ""  # "lon" or "lat"


@dataclass(frozen=True)
class Written:
    key: str
    row_count: int
    csv_size: int
    gzip_size: int
    bbox: tuple[float, float, float, float] | None


def root() -> Path:
    return Path(settings.RATHAUS_OPENDATA_DIR)


def path_for(key: str, suffix: str) -> Path:
    return root() / f"{key}{suffix}"


def path_text(key: str, suffix: str) -> str:
    """path_for as text, for the readers of every request: a Path costs more to make
    than the query it opens."""
    return os.path.join(settings.RATHAUS_OPENDATA_DIR, f"{key}{suffix}")


def uploads_dir() -> Path:
    path = root() / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


class _HashingWriter:
    """File object for csv.writer that hashes, counts and gzips what passes through."""

    def __init__(self, raw, zipped, digest):
        self.raw, self.zipped, self.digest, self.size = raw, zipped, digest, 0

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.raw.write(data)
        self.zipped.write(data)
        self.digest.update(data)
        self.size += len(data)


def _create_table(db, columns: list[StoreColumn], geometry: bool) -> str:
    definitions = ", ".join(f"c{i} {_SQL_TYPES[c.type]}" for i, c in enumerate(columns))
    db.execute(f"CREATE TABLE rows (id INTEGER PRIMARY KEY, {definitions}, "  # noqa: S608
               "lon REAL, lat REAL, props TEXT NOT NULL)")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT INTO meta VALUES ('columns', ?)",
               (json.dumps([c.__dict__ for c in columns]),))
    if geometry:
        db.execute("CREATE VIRTUAL TABLE rows_rtree USING rtree(id, minx, maxx, miny, maxy)")
    placeholders = ", ".join("?" for _ in range(len(columns) + 4))
    return f"INSERT INTO rows VALUES ({placeholders})"  # noqa: S608


def _index(db, columns: list[StoreColumn]) -> None:
    """An index on every column, and the statistics SQLite plans with: a CQL2 filter
    (filtering.py) on any column then reads the matching rows, not the whole table. Made
    once at publishing, as the file never changes; a query on a version stored before
    this still gets the right rows, only by a full scan."""
    for i, _column in enumerate(columns):
        db.execute(f"CREATE INDEX rows_c{i} ON rows (c{i})")
    db.execute("ANALYZE")


def write_version(columns: list[StoreColumn], rows: Iterable[list]) -> Written:
    """Writes `rows` (lists of typed values in the order of `columns`) into the store."""
    root().mkdir(parents=True, exist_ok=True)
    lon_at = next((i for i, c in enumerate(columns) if c.role == "lon"), None)
    lat_at = next((i for i, c in enumerate(columns) if c.role == "lat"), None)
    geometry = lon_at is not None and lat_at is not None
    names = [c.name for c in columns]
    digest = hashlib.sha256(json.dumps([c.__dict__ for c in columns]).encode() + b"\n")
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=root()))
    try:
        db = sqlite3.connect(work / "rows.sqlite", isolation_level=None)
        # A temporary file until renamed: durability while writing buys nothing.
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("BEGIN")
        insert = _create_table(db, columns, geometry)
        bbox = [180.0, 90.0, -180.0, -90.0]
        count = 0
        with (work / "rows.csv").open("wb") as raw, \
                gzip.GzipFile(work / "rows.csv.gz", "wb", compresslevel=6, mtime=0) as zipped:
            out = _HashingWriter(raw, zipped, digest)
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(names)
            batch, points = [], []
            for values in rows:
                count += 1
                writer.writerow([to_csv(v) for v in values])
                lon = lat = None
                if geometry and values[lon_at] is not None and values[lat_at] is not None:
                    lon, lat = float(values[lon_at]), float(values[lat_at])
                    points.append((count, lon, lon, lat, lat))
                    bbox = [min(bbox[0], lon), min(bbox[1], lat),
                            max(bbox[2], lon), max(bbox[3], lat)]
                props = json.dumps(dict(zip(names, values, strict=True)), ensure_ascii=False,
                                   separators=(",", ":"))
                batch.append((count, *values, lon, lat, props))
                if len(batch) >= BATCH:
                    db.executemany(insert, batch)
                    batch = []
                    if points:
                        db.executemany("INSERT INTO rows_rtree VALUES (?, ?, ?, ?, ?)", points)
                        points = []
            db.executemany(insert, batch)
            if points:
                db.executemany("INSERT INTO rows_rtree VALUES (?, ?, ?, ?, ?)", points)
        _index(db, columns)
        db.execute("COMMIT")
        db.close()
        key = digest.hexdigest()
        has_points = geometry and bbox[0] <= bbox[2]
        derived = [path for kind in documents.kinds(geometry=has_points)
                   for path in documents.write(work / "rows.sqlite", work / "rows", kind)]
        # The CSV last: its presence says the version's files are complete.
        for path in (*derived, work / "rows.sqlite", work / "rows.csv.gz", work / "rows.csv"):
            _move_into_place(path, path_for(key, path.name.removeprefix("rows")))
        return Written(key=key, row_count=count, csv_size=out.size,
                       gzip_size=path_for(key, ".csv.gz").stat().st_size,
                       bbox=tuple(bbox) if has_points else None)
    finally:
        _remove(work)


def _move_into_place(path: Path, target: Path) -> None:
    # Identical content is stored once; a file in place is never overwritten.
    if not target.exists():
        os.replace(path, target)


def _remove(work: Path) -> None:
    for leftover in work.iterdir():
        leftover.unlink()
    work.rmdir()


def document_path(key: str, kind: str, *, gzipped: bool) -> Path:
    """The JSON or GeoJSON download of the version `key`, written now from its row table
    if it is missing: versions stored before these files existed get them on their
    first download, once."""
    plain_suffix, gzip_suffix = documents.KINDS[kind]
    target = path_for(key, gzip_suffix if gzipped else plain_suffix)
    if target.exists():
        return target
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=root()))
    try:
        for path in documents.write(path_for(key, ".sqlite"), work / "rows", kind):
            _move_into_place(path, path_for(key, path.name.removeprefix("rows")))
    finally:
        _remove(work)
    return target
