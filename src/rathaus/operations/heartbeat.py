"""The worker's heartbeat: written at start and on every round of its watcher (every
min(60 s, lease)), removed when it stops cleanly. "A worker was seen recently" means
the newest heartbeat is younger than RATHAUS_WORKER_SEEN_SECONDS."""

import datetime
import os
import socket

from django.db.models import Max
from django.utils import timezone

from .models import WorkerHeartbeat


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


# Rows of workers killed without a clean stop are removed when a worker starts after
# this long; only the newest row counts anyway.
FORGOTTEN_AFTER = datetime.timedelta(days=1)


def beat(name: str, *, started_at: datetime.datetime | None = None) -> None:
    now = timezone.now()
    defaults = {"seen_at": now}
    if started_at is not None:
        defaults["started_at"] = started_at
        WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGOTTEN_AFTER).delete()
    WorkerHeartbeat.objects.update_or_create(
        name=name, defaults=defaults, create_defaults={"started_at": started_at or now,
                                                       "seen_at": now})


def stopped(name: str) -> None:
    WorkerHeartbeat.objects.filter(name=name).delete()


def last_seen_age() -> float | None:
    """Seconds since any worker was last seen; None if none ever was."""
    newest = WorkerHeartbeat.objects.aggregate(newest=Max("seen_at"))["newest"]
    if newest is None:
        return None
    return max(0.0, (timezone.now() - newest).total_seconds())
