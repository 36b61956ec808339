"""Downloads of a published dataset's newest version: CSV, JSON and GeoJSON, each a
file of the version's store (files.py; the precomputed .gz where the client accepts
gzip), sent from disk in constant memory whatever its size.

Every answer carries Content-Length, Accept-Ranges, an ETag and Last-Modified; a
matching conditional request gets 304, and one byte range 206 (byte_ranges.py), so
that GDAL's /vsicurl/ can read a download in parts and an interrupted one resumes.
Only GET and HEAD: the downloads change nothing."""

import re
from collections.abc import Iterator
from pathlib import Path

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from . import byte_ranges
from . import files as store
from .selectors import served_entry

_GZIP_TOKEN = re.compile(r"(?:^|,)\s*(gzip|\*)\s*(?:;\s*q\s*=\s*([0-9.]+))?", re.IGNORECASE)
BLOCK = 64 * 1024


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


def _headers(response, version, etag: str, filename: str):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(version.created_at.timestamp())
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Accept-Ranges"] = "bytes"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def _part(path: Path, wanted: byte_ranges.Wanted) -> Iterator[bytes]:
    with path.open("rb") as handle:
        handle.seek(wanted.start)
        left = wanted.length
        while left > 0:
            block = handle.read(min(BLOCK, left))
            if not block:
                return
            left -= len(block)
            yield block


def _file_response(request, path: Path, content_type: str, last_modified: float,
                   etag: str):
    """The whole file (FileResponse: sendfile where the server has it) or one range."""
    size = path.stat().st_size
    try:
        wanted = byte_ranges.wanted(request, size, etag=etag, last_modified=last_modified)
    except byte_ranges.Unsatisfiable:
        response = HttpResponse(f"Range not satisfiable: the file has {size} bytes.\n",
                                status=416, content_type="text/plain; charset=utf-8")
        response["Content-Range"] = f"bytes */{size}"
        return response
    if wanted is None:
        return FileResponse(path.open("rb"), content_type=content_type)
    response = StreamingHttpResponse(_part(path, wanted), status=206,
                                     content_type=content_type)
    response["Content-Range"] = f"bytes {wanted.start}-{wanted.end}/{size}"
    response["Content-Length"] = str(wanted.length)
    return response


def _download(request, name: str, kind: str, content_type: str):
    version = _entry_or_404(name).version
    if kind == "geojson" and not version.has_geometry:
        raise Http404
    gzipped = accepts_gzip(request)
    etag = f'"{version.sha256}{"" if kind == "csv" else "-" + kind}{"-gz" if gzipped else ""}"'
    last_modified = int(version.created_at.timestamp())
    filename = f"{name}.{kind}"
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return _headers(not_modified, version, etag, filename)
    if kind == "csv":
        path = store.path_for(version.sha256, ".csv.gz" if gzipped else ".csv")
    else:
        path = store.document_path(version.sha256, kind, gzipped=gzipped)
    response = _file_response(request, path, content_type, last_modified, etag)
    if gzipped and response.status_code != 416:
        response["Content-Encoding"] = "gzip"
    return _headers(response, version, etag, filename)


@require_safe
def csv_download(request, name):
    return _download(request, name, "csv", "text/csv; charset=utf-8")


@require_safe
def json_download(request, name):
    return _download(request, name, "json", "application/json")


@require_safe
def geojson_download(request, name):
    return _download(request, name, "geojson", "application/geo+json")
