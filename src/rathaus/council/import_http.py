"""Reading another system's OParl endpoint over HTTP: only http(s), a timeout, a limit
on what is read, and a few retries when the server is busy (5xx) or slow.

`http_fetch(url)` answers (status, bytes) like the tests' getters do; the importer turns
a status other than 200 into its German message."""

import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

TIMEOUT = 30  # seconds per request
MAX_BYTES = 200 * 1024 * 1024  # a file; a JSON answer is held to less (importing.py)
RETRIES = 3
USER_AGENT = "Rathaus OParl import (+https://rathaus.example/)"


class FetchProblem(Exception):
    """The address cannot be read; the message is German."""


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchProblem(_("The address is not an http(s) address: %(url)s") % {"url": url})


def http_fetch(url: str, *, max_bytes: int = MAX_BYTES) -> tuple[int, bytes]:
    check_url(url)
    request = urllib.request.Request(  # noqa: S310 (http(s) only: check_url)
        url, headers={"User-Agent": USER_AGENT, "Accept": "application/json, */*"})
    for attempt in range(RETRIES + 1):
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
                content = response.read(max_bytes + 1)
                if len(content) > max_bytes:
                    raise FetchProblem(_("%(url)s is larger than %(limit)s MB.") % {
                        "url": url, "limit": max_bytes // (1024 * 1024)})
                return response.status, content
        except urllib.error.HTTPError as error:
            if error.code < 500 or attempt == RETRIES:
                return error.code, b""
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            if attempt == RETRIES:
                reason = getattr(error, "reason", error)
                raise FetchProblem(_("%(url)s could not be reached: %(reason)s") % {
                    "url": url, "reason": reason}) from None
        time.sleep(0.5 * 2 ** attempt)  # a busy server gets a moment
    raise AssertionError("unreachable")
