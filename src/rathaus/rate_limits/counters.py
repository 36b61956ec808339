"""The shared counters: one row per client or account and window, increased with one
atomic upsert in the main database (ADR 0020), so every web process and machine counts
the same requests. Windows are fixed (aligned to the Unix epoch), which lets a client
reach at most twice a limit across the boundary of two windows."""

import math
import time

from django.db import connection
from django.utils.crypto import salted_hmac

from .models import RateCounter

# The tests move time with monkeypatch instead of sleeping.
clock = time.time


# The same statement on SQLite (3.35+) and PostgreSQL (double quotes are standard SQL);
# RETURNING gives the count after this request's increment, without a second query or
# a race between two processes.
UPSERT = (
    'INSERT INTO "rate_limits_ratecounter" ("key", "hits", "expires_at") VALUES (%s, 1, %s) '
    'ON CONFLICT ("key") DO UPDATE SET "hits" = "rate_limits_ratecounter"."hits" + 1 '
    'RETURNING "hits"'
)


def counter_key(subject: str, period: int, window_start: int) -> str:
    return salted_hmac("rathaus.rate_limits", f"{subject}|{period}|{window_start}",
                       algorithm="sha256").hexdigest()


def hit(subject: str, period: int) -> tuple[int, int]:
    """Counts one request of `subject` (limit, scope and who) in the current window of
    `period` seconds. Returns the count including this request and the seconds until
    the window ends (at least 1)."""
    now = clock()
    start = int(now // period) * period
    end = start + period
    with connection.cursor() as cursor:
        cursor.execute(UPSERT, [counter_key(subject, period, start), end])
        (count,) = cursor.fetchone()
    return count, max(1, math.ceil(end - now))


def current(subject: str, period: int) -> tuple[int, int]:
    """What `hit` would have counted so far in the current window, without counting:
    for limits on failures, which are asked before an attempt and counted only when it
    fails."""
    now = clock()
    start = int(now // period) * period
    row = RateCounter.objects.filter(key=counter_key(subject, period, start)).first()
    return (row.hits if row else 0), max(1, math.ceil(start + period - now))


def delete_expired_counters() -> int:
    """Counters of windows that have ended count nothing any more."""
    deleted, _by_model = RateCounter.objects.filter(expires_at__lte=int(clock())).delete()
    return deleted
