"""Downloads of a published dataset's newest version, in constant memory whatever its
size: the CSV straight from disk (the precomputed .gz where the client accepts gzip),
JSON and GeoJSON streamed from the version's store in chunks. Every response carries
an ETag and Last-Modified and answers a matching conditional request with 304."""

import re
import zlib
from collections.abc import Iterable, Iterator

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from . import files as store
from . import queries
from .selectors import served_entry

_GZIP_TOKEN = re.compile(r"(?:^|,)\s*(gzip|\*)\s*(?:;\s*q\s*=\s*([0-9.]+))?", re.IGNORECASE)


def accepts_gzip(request) -> bool:
    for match in _GZIP_TOKEN.finditer(request.headers.get("Accept-Encoding", "")):
        try:
            if float(match.group(2) or "1") > 0:
                return True
        except ValueError:
            continue
    return False


def _entry_or_404(name):
    entry = served_entry(name)
    if entry is None:
        raise Http404
    return entry


def _conditional(request, version, etag: str):
    timestamp = int(version.created_at.timestamp())
    return get_conditional_response(request, etag=etag, last_modified=timestamp)


def _headers(response, version, etag: str, filename: str):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(version.created_at.timestamp())
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def csv_download(request, name):
    entry = _entry_or_404(name)
    version = entry.version
    gzipped = accepts_gzip(request)
    etag = f'"{version.sha256}{"-gz" if gzipped else ""}"'
    not_modified = _conditional(request, version, etag)
    if not_modified is not None:
        return _headers(not_modified, version, etag, f"{name}.csv")
    path = store.path_for(version.sha256, ".csv.gz" if gzipped else ".csv")
    response = FileResponse(path.open("rb"), content_type="text/csv; charset=utf-8")
    if gzipped:
        response["Content-Encoding"] = "gzip"
    return _headers(response, version, etag, f"{name}.csv")


def _gzip(parts: Iterable[bytes]) -> Iterator[bytes]:
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: gzip container
    for part in parts:
        data = compressor.compress(part)
        if data:
            yield data
    yield compressor.flush()


def _json_parts(key: str) -> Iterator[bytes]:
    yield b"["
    first = True
    for chunk in queries.chunks(key):
        text = ",\n".join(props for _id, _lon, _lat, props in chunk)
        yield (text if first else ",\n" + text).encode()
        first = False
    yield b"]\n"


def feature_json(row_id: int, lon, lat, props: str) -> str:
    geometry = ("null" if lon is None else
                f'{{"type":"Point","coordinates":[{lon!r},{lat!r}]}}')
    return f'{{"type":"Feature","id":{row_id},"geometry":{geometry},"properties":{props}}}'


def _geojson_parts(key: str) -> Iterator[bytes]:
    yield b'{"type":"FeatureCollection","features":['
    first = True
    for chunk in queries.chunks(key):
        text = ",\n".join(feature_json(*row) for row in chunk)
        yield (text if first else ",\n" + text).encode()
        first = False
    yield b"]}\n"


def _streamed(request, name: str, kind: str, content_type: str, parts):
    entry = _entry_or_404(name)
    version = entry.version
    if kind == "geojson" and not version.has_geometry:
        raise Http404
    gzipped = accepts_gzip(request)
    etag = f'"{version.sha256}-{kind}{"-gz" if gzipped else ""}"'
    not_modified = _conditional(request, version, etag)
    if not_modified is not None:
        return _headers(not_modified, version, etag, f"{name}.{kind}")
    body = parts(version.sha256)
    response = StreamingHttpResponse(_gzip(body) if gzipped else body,
                                     content_type=content_type)
    if gzipped:
        response["Content-Encoding"] = "gzip"
    return _headers(response, version, etag, f"{name}.{kind}")


def json_download(request, name):
    return _streamed(request, name, "json", "application/json", _json_parts)


def geojson_download(request, name):
    return _streamed(request, name, "geojson", "application/geo+json", _geojson_parts)
