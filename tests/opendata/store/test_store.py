"""Each version's rows live in an immutable store: pages, bounding boxes, single rows."""

import random

from rathaus.opendata.store import files as store
from rathaus.opendata.store import queries


def _points(count):
    generator = random.Random(4)
    for number in range(1, count + 1):
        yield [number, f"Punkt {number}", round(6.9 + generator.random() * 0.3, 6),
               round(51.0 + generator.random() * 0.2, 6)]


COLUMNS = [store.StoreColumn("nummer", "integer"), store.StoreColumn("name", "text"),
           store.StoreColumn("lon", "decimal", "lon"), store.StoreColumn("lat", "decimal", "lat")]


def test_store_pages_bbox_and_single_rows(opendata_dir):
    written = store.write_version(COLUMNS, _points(20_000))
    assert written.row_count == 20_000
    west, south, east, north = written.bbox
    assert 6.9 <= west < east <= 7.2 and 51.0 <= south < north <= 51.2

    deep = queries.page(written.key, row_count=20_000, limit=100, offset=19_950)
    assert [r.id for r in deep.rows] == list(range(19_951, 20_001))
    assert deep.number_matched == 20_000

    box = (7.0, 51.05, 7.05, 51.1)
    inside = [p for p in _points(20_000) if box[0] <= p[2] <= box[2] and box[1] <= p[3] <= box[3]]
    found = queries.page(written.key, row_count=20_000, limit=10_000, bbox=box)
    assert found.number_matched == len(inside)
    assert [r.values()["nummer"] for r in found.rows] == [p[0] for p in inside]

    single = queries.row(written.key, 777)
    assert single.values() == {"nummer": 777, "name": "Punkt 777", "lon": single.lon,
                               "lat": single.lat}
    assert queries.row(written.key, 20_001) is None

    filtered = queries.page(written.key, row_count=20_000, limit=5,
                            filters={"name": "Punkt 42"})
    assert filtered.number_matched == 1 and filtered.rows[0].id == 42


def test_csv_file_is_rfc4180_and_identical_content_is_stored_once(opendata_dir):
    rows = [[1, 'Zitat "hier"', None, None], [2, "Zeile\nzwei", 7.0, 51.0]]
    first = store.write_version(COLUMNS, rows)
    second = store.write_version(COLUMNS, rows)
    assert first.key == second.key
    csv_bytes = store.path_for(first.key, ".csv").read_bytes()
    assert csv_bytes == (b'nummer,name,lon,lat\r\n1,"Zitat ""hier""",,\r\n'
                         b'2,"Zeile\nzwei",7.0,51.0\r\n')
    assert len(list(opendata_dir.glob("*.csv"))) == 1
