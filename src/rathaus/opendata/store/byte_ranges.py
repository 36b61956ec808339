"""Which part of a download a request asks for (RFC 9110 §14): one byte range, the
whole file, or a range the file cannot satisfy (416).

One range is served (`bytes=a-b`, `bytes=a-`, `bytes=-n`): that is what resuming
downloads and GDAL's /vsicurl/ send. A Range header that is not one well-formed bytes
range (several ranges, another unit, bad syntax) gets the whole file with 200, as
RFC 9110 §14.2 lets a server answer: the status tells the client it got everything,
so nothing partial is passed off as whole. The same for an If-Range that no longer
matches, which is what it is for: the file changed, so the client needs all of it.
"""

import re
from dataclasses import dataclass

from django.utils.http import http_date

_ONE_RANGE = re.compile(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Wanted:
    start: int
    end: int  # inclusive, as in Content-Range

    @property
    def length(self) -> int:
        return self.end - self.start + 1


class Unsatisfiable(Exception):
    """The range starts beyond the end of the file (or asks for its last 0 bytes)."""


def _if_range_matches(request, etag: str, last_modified: float) -> bool:
    condition = request.headers.get("If-Range")
    if condition is None:
        return True
    condition = condition.strip()
    if condition.startswith(('"', "W/")):
        return condition == etag  # strong comparison: a weak tag never matches
    return condition == http_date(last_modified)


def wanted(request, size: int, *, etag: str, last_modified: float) -> Wanted | None:
    """The one range asked for, clipped to the file; None for the whole file.
    Raises Unsatisfiable for a range outside a file of `size` bytes."""
    header = request.headers.get("Range")
    if header is None or request.method not in ("GET", "HEAD"):
        return None
    match = _ONE_RANGE.fullmatch(header)
    if match is None or not _if_range_matches(request, etag, last_modified):
        return None
    first, last = match.group(1), match.group(2)
    if not first and not last:
        return None  # "bytes=-" is no range at all
    if not first:  # the last n bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        return Wanted(max(size - suffix, 0), size - 1)
    start = int(first)
    if last and int(last) < start:
        return None  # invalid syntax (RFC 9110 §14.1.1): the whole file
    if start >= size:
        raise Unsatisfiable
    return Wanted(start, min(int(last), size - 1) if last else size - 1)
