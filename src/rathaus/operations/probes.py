"""/healthz (the process is alive and reaches its database) and /readyz (it can serve:
the database answers, the document storage answers, and a worker was seen recently).

Load balancers probe by address, without an authority's host name, and over plain
HTTP: `EarlyAnswerMiddleware` answers these URLs (and /metrics) before the host
routing and the HTTPS redirect, and they read nothing of any authority.
"""

import logging
import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.http import HttpResponse
from django.urls import Resolver404, get_script_prefix, resolve, reverse
from django.views.decorators.cache import never_cache

from .heartbeat import last_seen_age

logger = logging.getLogger(__name__)
# Listed on the object store to see that it answers: a prefix nothing is stored under,
# so the answer is empty and cheap (and nothing is written).
PROBE_PREFIX = "operations-readyz/"


@never_cache
def health(request):
    connection.ensure_connection()
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def ready(request):
    problems = readiness_problems()
    if problems:
        response = HttpResponse("".join(f"{line}\n" for line in problems),
                                content_type="text/plain", status=503)
        # Not one error log line per probe (every few seconds, while a worker is
        # down): the answer says what failed, and a check that raised is logged above.
        response._has_been_logged = True
        return response
    return HttpResponse("ready", content_type="text/plain")


def readiness_problems() -> list[str]:
    """One line per failed check; operator-facing, and safe to show to anyone who can
    reach the probe: no addresses, names or error texts."""
    problems = []
    for check in (_database, _storage, _worker):
        try:
            problem = check()
        except Exception as error:  # noqa: BLE001 (any failure means: not ready)
            logger.warning("Readiness check %s failed: %s", check.__name__.strip("_"),
                           type(error).__name__)
            problem = f"{check.__name__.strip('_')}: not reachable"
        if problem:
            problems.append(problem)
    return problems


def _database() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return None


def _storage() -> str | None:
    if isinstance(default_storage, FileSystemStorage):
        return _local_storage(Path(default_storage.location))
    default_storage.listdir(PROBE_PREFIX)  # an object store: raises unless it answers
    return None


def _local_storage(location: Path) -> str | None:
    """The directory takes documents: it is a writable directory, or (before the first
    document) the nearest existing folder above it is, so the storage can create it."""
    existing = location
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return "storage: not a directory"
    if not os.access(existing, os.W_OK | os.X_OK):
        return "storage: not writable"
    if existing == location:
        os.listdir(location)  # readable too
    return None


def _worker() -> str | None:
    limit = settings.RATHAUS_WORKER_SEEN_SECONDS
    age = last_seen_age()
    if age is None or age > limit:
        return f"worker: none seen in the last {limit:g} s"
    return None


# --- Answering before the host routing ------------------------------------------------

EARLY_URL_NAMES = ("operations:health", "operations:ready", "operations:metrics")
_early_paths: frozenset[str] | None = None


def _paths() -> frozenset[str]:
    global _early_paths
    if _early_paths is None:
        # Compared with path_info, which is without the script prefix reverse() adds.
        prefix = get_script_prefix()
        _early_paths = frozenset("/" + reverse(name)[len(prefix):] for name in EARLY_URL_NAMES)
    return _early_paths


class EarlyAnswerMiddleware:
    """Serves the probes and /metrics before the middleware that needs a host name of
    an authority (ALLOWED_HOSTS, the HTTPS redirect, the authority routing): they are
    asked by address. Everything else passes through untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info not in _paths():
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        request.resolver_match = match
        return match.func(request, *match.args, **match.kwargs)
