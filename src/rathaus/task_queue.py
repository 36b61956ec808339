"""Queuing a task once for work that comes in bursts.

Some work is cheaper done together: a worker opening fifty status events in one task
pays for one claim, one transaction and one audit append instead of fifty. A task that
does "all that is waiting" is queued with `enqueue_once`: if the same task with the same
arguments waits in the queue already, that one will do the caller's work too, and no
second one is queued.

The waiting task is locked (SELECT … FOR UPDATE SKIP LOCKED) until the caller's
transaction ends, so no worker starts it before it can see what the caller wrote; one a
worker is taking at that very moment is skipped, and a new task queued. On SQLite the
caller's write lock does the same. Backends without a queue (the immediate one, in
tests) run the task as `enqueue` does.

Base layer: imports nothing from rathaus.
"""

from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult


def enqueue_once(task, **kwargs) -> None:
    backend = task.get_backend()
    if isinstance(backend, DatabaseBackend):
        waiting = DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, task_path=task.module_path,
            backend_name=backend.alias, queue_name=task.queue_name,
            args_kwargs={"args": [], "kwargs": kwargs},
        )
        if transaction.get_connection().in_atomic_block:
            waiting = waiting.select_for_update(skip_locked=True)
        if waiting.values_list("pk", flat=True).first() is not None:
            return
    task.enqueue(**kwargs)
