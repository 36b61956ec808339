"""JSON from a request, with limits on size and nesting (OWASP ASVS 13.1, issue 11).

Python's json module recurses once per level: a body of 100,000 opening brackets raised
`RecursionError` (a 500). Every JSON read from a request goes through `loads` or
`request_body_json`, which refuse too much data and too deep nesting with
`JsonRefused`, a `ValueError`, before the json module sees the text.
"""

import json
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig

MAX_DEPTH = 32  # CKAN's and OGC's requests need four or five levels
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class JsonRefused(ValueError):
    """Not JSON a request may send: too large, too deep or not JSON at all."""


def max_bytes() -> int:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2 * 1024 * 1024


def loads(text: str | bytes, *, limit: int | None = None, max_depth: int = MAX_DEPTH):
    """`json.loads(text)` for text from a request, or `JsonRefused`."""
    if len(text) > (limit or max_bytes()):
        raise JsonRefused("too large")
    if isinstance(text, bytes | bytearray):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise JsonRefused("not UTF-8") from exc
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub("", text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > max_depth:
            raise JsonRefused("nested too deeply")
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise JsonRefused("not JSON") from exc


def request_body(request, *, limit: int | None = None) -> bytes:
    """The request's body, refused before it is read when it announces more than
    `limit` bytes (DATA_UPLOAD_MAX_MEMORY_SIZE unless given)."""
    limit = limit or max_bytes()
    try:
        announced = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        announced = 0
    if announced > limit:
        raise JsonRefused("too large")
    try:
        body = request.body
    except RequestDataTooBig as exc:
        raise JsonRefused("too large") from exc
    if len(body) > limit:
        raise JsonRefused("too large")
    return body


def request_body_json(request, *, limit: int | None = None, max_depth: int = MAX_DEPTH):
    """The request's body read as JSON, within the limits, or `JsonRefused`."""
    return loads(request_body(request, limit=limit), limit=limit, max_depth=max_depth)
