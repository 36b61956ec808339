"""A crawler of an OParl 1.1 endpoint that checks what it reads, for the tests.

`crawl(client, system_url)` starts at the System object and follows every URL that
points into the endpoint (object ids, embedded objects' ids, list URLs, `next` links,
the files' accessUrl and downloadUrl), each once. It validates every object it sees
(fetched, in a list, or embedded) against its OParl 1.1 schema in `oparl_schemas/`, and
raises `CrawlError` on any schema error, any answer other than 200 (a deleted file's
bytes: 410 Gone), an object whose
own URL says something else than the list did, or file bytes whose size or SHA-256
differ from what the File object says. It returns {id: object} of every object
touched, the version fetched at its own URL where there is one.

`normalise(obj)` makes two crawls comparable "ids aside": ids, dates of the rows and
`web` dropped, every URL replaced by the kind of what it points to.

The client is Django's test client (`crawl`) or any function url -> (status, bytes)
(`crawl_with`), e.g. one that asks a live server.
"""

import hashlib
import json
import re
from collections import deque
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SCHEMAS = Path(__file__).parent / "oparl_schemas"
TYPE_PREFIX = "https://schema.oparl.org/1.1/"
BYTES_KEYS = ("accessUrl", "downloadUrl")


class CrawlError(AssertionError):
    pass


def _registry_and_validators() -> tuple[Registry, dict[str, Draft7Validator]]:
    resources, schemas = [], {}
    for path in sorted(SCHEMAS.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(schema, default_specification=DRAFT7)
        resources += [(schema["$id"], resource), (schema["$id"] + ".json", resource)]
        schemas[schema["$id"]] = schema
    registry = Registry().with_resources(resources)
    checker = FormatChecker()
    checker.checks("url")(lambda value: not isinstance(value, str)
                          or value.startswith(("https://", "http://")))
    validators = {type_: Draft7Validator(schema, registry=registry, format_checker=checker)
                  for type_, schema in schemas.items()}
    return registry, validators


_REGISTRY, VALIDATORS = _registry_and_validators()


def validate(obj: dict, where: str = "") -> None:
    """Raises CrawlError unless `obj` is valid against the schema its `type` names."""
    validator = VALIDATORS.get(obj.get("type"))
    if validator is None:
        raise CrawlError(f"{where}: unknown type {obj.get('type')!r}")
    errors = sorted(validator.iter_errors(obj), key=lambda e: list(e.absolute_path))
    if errors:
        raise CrawlError(f"{where}: {obj.get('id')}: " + "; ".join(
            f"{'/'.join(map(str, e.absolute_path)) or '(object)'}: {e.message}"
            for e in errors[:5]))


def django_fetch(client) -> Callable[[str], tuple[int, bytes]]:
    def fetch(url: str) -> tuple[int, bytes]:
        parts = urlsplit(url)
        # The query goes with the path: the test client takes no `query_string`.
        path = f"{parts.path}?{parts.query}" if parts.query else parts.path
        response = client.get(path, HTTP_HOST=parts.netloc, secure=parts.scheme == "https")
        content = (b"".join(response.streaming_content) if response.streaming
                   else response.content)
        return response.status_code, content
    return fetch


def crawl(client, system_url: str) -> dict[str, dict]:
    return crawl_with(django_fetch(client), system_url)


def crawl_with(fetch: Callable[[str], tuple[int, bytes]], system_url: str) -> dict[str, dict]:
    return _Crawl(fetch, system_url).run()


class _Crawl:
    def __init__(self, fetch, system_url: str):
        self.fetch, self.base = fetch, system_url
        self.queue: deque[tuple[str, str]] = deque([(system_url, system_url)])
        self.seen = {system_url}
        self.fetched: dict[str, dict] = {}   # objects read at their own URL
        self.embedded: dict[str, dict] = {}  # objects read in a list or another object
        self.files: dict[str, dict] = {}     # bytes URL -> the File object naming it

    def run(self) -> dict[str, dict]:
        while self.queue:
            url, found_in = self.queue.popleft()
            status, content = self.fetch(url)
            if url in self.files and self.files[url].get("deleted"):
                # A deleted file's stub names its bytes (the schema wants an accessUrl),
                # which are gone.
                if status != 410:
                    raise CrawlError(f"{url} of a deleted file answered {status}, not 410")
                continue
            if status != 200:
                raise CrawlError(f"{url} (linked from {found_in}) answered {status}")
            if url in self.files:
                self._check_bytes(url, content)
                continue
            self._read(url, json.loads(content))
        for id_, obj in self.embedded.items():
            own = self.fetched.get(id_)
            if own is not None and own.get("deleted") != obj.get("deleted"):
                raise CrawlError(f"{id_}: deleted in one place, not in another")
        return {**self.embedded, **self.fetched}

    def _read(self, url: str, document: dict) -> None:
        if "type" in document:  # an object
            validate(document, url)
            if document["id"] != url.split("?")[0]:
                raise CrawlError(f"{url} answered the object {document['id']}")
            self.fetched[document["id"]] = document
            self._walk(document, url, top=True)
        elif "data" in document:  # a list page
            for obj in document["data"]:
                validate(obj, url)
                self.embedded.setdefault(obj["id"], obj)
                self._walk(obj, url, top=True)
            for name, link in document.get("links", {}).items():
                if name in ("next", "first"):
                    self._follow(link, url)
        else:
            raise CrawlError(f"{url}: neither an object nor a list: {str(document)[:200]}")

    def _walk(self, value, found_in: str, *, top: bool = False, key: str = "") -> None:
        if isinstance(value, dict):
            if not top and "type" in value and "id" in value:
                self.embedded.setdefault(value["id"], value)
            for name, inner in value.items():
                if name in BYTES_KEYS and isinstance(inner, str):
                    self.files.setdefault(inner, value)
                self._walk(inner, found_in, key=name)
        elif isinstance(value, list):
            for inner in value:
                self._walk(inner, found_in, key=key)
        elif isinstance(value, str) and value.startswith(self.base):
            self._follow(value, found_in)

    def _follow(self, url: str, found_in: str) -> None:
        if url.startswith(self.base) and url not in self.seen:
            self.seen.add(url)
            self.queue.append((url, found_in))

    def _check_bytes(self, url: str, content: bytes) -> None:
        described = self.files[url]
        if "size" in described and described["size"] != len(content):
            raise CrawlError(f"{url}: {len(content)} bytes, the File says {described['size']}")
        checksum = described.get("sha256Checksum")
        if checksum and hashlib.sha256(content).hexdigest() != checksum:
            raise CrawlError(f"{url}: the bytes do not match the File's sha256Checksum")


# --- comparing two crawls -----------------------------------------------------------------

_DROPPED = {"id", "created", "modified", "web"}
_KEPT = {"type", "oparlVersion", "license", "fileLicense"}  # URLs that are not links
_OPARL_PATH = re.compile(r"/oparl/v1/(?:body/[^/]+/)?([A-Za-z]+)/")


def _placeholder(url: str) -> str:
    match = _OPARL_PATH.search(url)
    if match is None:
        return "<system>" if url.rstrip("/").endswith("/oparl/v1") else "<url>"
    return f"<{match.group(1)}>"


def normalise(value):
    """`value` with ids, created, modified and web dropped and every URL replaced by
    `<kind>` of what it points to; lists of plain values sorted."""
    if isinstance(value, dict):
        return {key: inner if key in _KEPT else normalise(inner)
                for key, inner in value.items() if key not in _DROPPED}
    if isinstance(value, list):
        items = [normalise(inner) for inner in value]
        if all(isinstance(item, str) for item in items):
            items.sort()
        return items
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return _placeholder(value)
    return value


def by_type(objects: dict[str, dict]) -> dict[str, list[dict]]:
    """The objects of a crawl normalised and grouped by type, each group sorted, for
    comparing two crawls."""
    grouped: dict[str, list[dict]] = {}
    for obj in objects.values():
        grouped.setdefault(obj["type"].removeprefix(TYPE_PREFIX), []).append(normalise(obj))
    return {kind: sorted(group, key=lambda o: json.dumps(o, sort_keys=True, ensure_ascii=False))
            for kind, group in grouped.items()}
