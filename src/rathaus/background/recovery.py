"""Giving abandoned work back to the queue.

A worker marks a task RUNNING before it starts it. If the worker dies (power cut, kill
-9), that mark stays and nothing would ever run the task again. Every task of Rathaus
is idempotent and its changes are one transaction, so a task that has been RUNNING for
longer than the lease can safely be made READY again: a rolled-back attempt left
nothing behind, and a finished one is recognised by the task itself.
"""

import datetime
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def requeue_abandoned(*, lease_seconds: float | None = None) -> int:
    lease = settings.RATHAUS_TASK_LEASE_SECONDS if lease_seconds is None else lease_seconds
    cutoff = timezone.now() - datetime.timedelta(seconds=lease)
    count = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).update(status=TaskResultStatus.READY, started_at=None)
    if count:
        logger.warning("Requeued %d task(s) abandoned by a stopped worker.", count)
    return count
