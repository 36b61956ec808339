"""The JSON and GeoJSON downloads of a version, written once from its row table into
the store, each with a gzip-compressed copy, as the CSV is (files.py).

As files they have a length and can be sent in byte ranges, which GDAL's /vsicurl/
and any resuming download need; streamed from the rows on every request they had
neither. They are written from the row table (`props`, the row as JSON text, and
the point), so they hold exactly what the OGC API serves, without decoding a row.
"""

import gzip
import sqlite3
from collections.abc import Iterator
from pathlib import Path

CHUNK = 2000
# Compressed once per version, so the level of the CSV's .gz is affordable here too.
GZIP_LEVEL = 6
# (kind, suffix of the file, suffix of its gzip copy); "geojson" only with points.
KINDS = {"json": (".json", ".json.gz"), "geojson": (".geojson", ".geojson.gz")}


def feature_json(row_id: int, lon, lat, props: str) -> str:
    geometry = ("null" if lon is None else
                f'{{"type":"Point","coordinates":[{lon!r},{lat!r}]}}')
    return f'{{"type":"Feature","id":{row_id},"geometry":{geometry},"properties":{props}}}'


def kinds(*, geometry: bool) -> list[str]:
    return ["json", "geojson"] if geometry else ["json"]


def _chunks(sqlite: Path) -> Iterator[list[tuple]]:
    db = sqlite3.connect(f"file:{sqlite}?mode=ro", uri=True)
    try:
        cursor = db.execute("SELECT id, lon, lat, props FROM rows ORDER BY id")
        while batch := cursor.fetchmany(CHUNK):
            yield batch
    finally:
        db.close()


def _json_parts(sqlite: Path) -> Iterator[bytes]:
    yield b"["
    first = True
    for chunk in _chunks(sqlite):
        text = ",\n".join(props for _id, _lon, _lat, props in chunk)
        yield (text if first else ",\n" + text).encode()
        first = False
    yield b"]\n"


def _geojson_parts(sqlite: Path) -> Iterator[bytes]:
    yield b'{"type":"FeatureCollection","features":['
    first = True
    for chunk in _chunks(sqlite):
        text = ",\n".join(feature_json(*row) for row in chunk)
        yield (text if first else ",\n" + text).encode()
        first = False
    yield b"]}\n"


_PARTS = {"json": _json_parts, "geojson": _geojson_parts}


def write(sqlite: Path, prefix: Path, kind: str) -> list[Path]:
    """Writes `<prefix><suffix>` and its gzip copy for `kind` from the row table in
    `sqlite`, in constant memory; returns both paths."""
    plain, zipped = (prefix.with_name(prefix.name + suffix) for suffix in KINDS[kind])
    with plain.open("wb") as raw, \
            gzip.GzipFile(zipped, "wb", compresslevel=GZIP_LEVEL, mtime=0) as packed:
        for part in _PARTS[kind](sqlite):
            raw.write(part)
            packed.write(part)
    return [plain, zipped]
