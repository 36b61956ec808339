"""Downloads are files with a length that can be read in byte ranges (resuming
downloads, GDAL's /vsicurl/), still answering conditional requests with 304."""

import gzip
import json

import pytest

from rathaus.opendata.store import files as store
from tests.factories import DISPENSERS, publish_csv

FORMATS = ["csv", "json", "geojson"]


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def spender(town):
    return publish_csv(town, DISPENSERS)[1]


@pytest.mark.parametrize("kind", FORMATS)
def test_every_download_has_a_length_and_announces_byte_ranges(spender, public, kind):
    response = public.get(f"/daten/spender/download.{kind}")
    body = _body(response)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert int(response["Content-Length"]) == len(body) > 0
    zipped = public.get(f"/daten/spender/download.{kind}", HTTP_ACCEPT_ENCODING="gzip")
    packed = _body(zipped)
    assert int(zipped["Content-Length"]) == len(packed)
    assert gzip.decompress(packed) == body


@pytest.mark.parametrize("kind", FORMATS)
def test_one_byte_range_is_answered_with_206_and_its_content_range(spender, public, kind):
    whole = _body(public.get(f"/daten/spender/download.{kind}"))
    size = len(whole)
    for header, start, end in (("bytes=0-9", 0, 9), ("bytes=10-", 10, size - 1),
                               ("bytes=-7", size - 7, size - 1),
                               (f"bytes=5-{size + 100}", 5, size - 1)):
        part = public.get(f"/daten/spender/download.{kind}", HTTP_RANGE=header)
        assert part.status_code == 206, header
        assert part["Content-Range"] == f"bytes {start}-{end}/{size}"
        assert _body(part) == whole[start:end + 1]
        assert int(part["Content-Length"]) == end - start + 1


def test_a_range_beyond_the_end_is_refused_with_416(spender, public):
    size = len(_body(public.get("/daten/spender/download.csv")))
    for header in (f"bytes={size}-", f"bytes={size + 5}-{size + 9}", "bytes=-0"):
        refused = public.get("/daten/spender/download.csv", HTTP_RANGE=header)
        assert refused.status_code == 416, header
        assert refused["Content-Range"] == f"bytes */{size}"


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "items=0-5", "bytes=9-3", "bytes=x-"])
def test_a_range_that_is_not_one_bytes_range_gets_the_whole_file(spender, public, header):
    whole = _body(public.get("/daten/spender/download.json"))
    response = public.get("/daten/spender/download.json", HTTP_RANGE=header)
    assert response.status_code == 200 and "Content-Range" not in response
    assert _body(response) == whole


def test_if_range_gives_the_part_only_while_the_file_is_unchanged(spender, public):
    first = public.get("/daten/spender/download.geojson")
    etag, whole = first["ETag"], _body(first)
    same = public.get("/daten/spender/download.geojson", HTTP_RANGE="bytes=0-4",
                      HTTP_IF_RANGE=etag)
    assert same.status_code == 206 and _body(same) == whole[:5]
    by_date = public.get("/daten/spender/download.geojson", HTTP_RANGE="bytes=0-4",
                         HTTP_IF_RANGE=first["Last-Modified"])
    assert by_date.status_code == 206
    changed = public.get("/daten/spender/download.geojson", HTTP_RANGE="bytes=0-4",
                         HTTP_IF_RANGE='"an-older-version"')
    assert changed.status_code == 200 and _body(changed) == whole


@pytest.mark.parametrize("kind", FORMATS)
def test_conditional_requests_still_answer_304(spender, public, kind):
    first = public.get(f"/daten/spender/download.{kind}")
    again = public.get(f"/daten/spender/download.{kind}", HTTP_IF_NONE_MATCH=first["ETag"],
                       HTTP_RANGE="bytes=0-4")
    assert again.status_code == 304
    assert public.get(f"/daten/spender/download.{kind}",
                      HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


@pytest.mark.parametrize("kind", FORMATS)
def test_head_gives_the_length_and_other_methods_are_not_allowed(spender, public, kind):
    size = len(_body(public.get(f"/daten/spender/download.{kind}")))
    head = public.head(f"/daten/spender/download.{kind}")
    assert head.status_code == 200 and int(head["Content-Length"]) == size
    for method in ("post", "put", "delete", "patch"):
        refused = getattr(public, method)(f"/daten/spender/download.{kind}")
        assert refused.status_code in (403, 405)  # 403: a POST without a CSRF token
        if refused.status_code == 405:
            assert refused["Allow"] == "GET, HEAD"


def test_a_version_stored_without_json_files_gets_them_on_its_first_download(spender,
                                                                              public):
    """Versions written before the JSON and GeoJSON files existed."""
    for suffix in (".json", ".json.gz", ".geojson", ".geojson.gz"):
        store.path_for(spender.sha256, suffix).unlink()
    rows = json.loads(_body(public.get("/daten/spender/download.json")))
    assert [row["standort"] for row in rows] == ["Marktplatz", "Brückenstraße",
                                                 "Witzhelden Kirche"]
    assert store.path_for(spender.sha256, ".json").is_file()
    assert store.path_for(spender.sha256, ".json.gz").is_file()
    part = public.get("/daten/spender/download.geojson", HTTP_RANGE="bytes=0-7")
    assert part.status_code == 206 and _body(part) == b'{"type":'
