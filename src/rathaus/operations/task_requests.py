"""The request id in the log lines of the tasks a request enqueued, and one log line
when a task starts and when it ends.

django-tasks' signals carry it over: on `task_enqueued` the current request id is
written beside the task (TaskRequest), in the transaction that enqueues it, so it is
there exactly when the task is; on `task_started` the worker reads it back into the
context of the log lines, and on `task_finished` it is cleared. A task enqueued by a
task inherits its id. Tasks that run at once (the immediate backend) run inside the
request and have its id already.

The log lines name the task and its id, never its arguments: they may hold personal
data.
"""

import contextlib
import contextvars
import logging
import time

from django_tasks.signals import task_enqueued, task_finished, task_started
from django_tasks_db.backend import DatabaseBackend

from .models import TaskRequest
from .request_ids import current_request_id, reset_request_id, set_request_id

logger = logging.getLogger("rathaus.tasks")

# Per task being run: how to restore the id of the context before it, and its start.
_running: dict[str, tuple[contextvars.Token, float]] = {}


def _queued_in_database(sender) -> bool:
    # django-tasks-db sends its class on enqueue, the worker an instance on start.
    backend = sender if isinstance(sender, type) else type(sender)
    return issubclass(backend, DatabaseBackend)


def remember_request(sender, task_result, **kwargs) -> None:
    request_id = current_request_id()
    if request_id is not None and _queued_in_database(sender):
        TaskRequest.objects.create(task_id=task_result.id, request_id=request_id)


def task_began(sender, task_result, **kwargs) -> None:
    request_id = None
    if _queued_in_database(sender):
        request_id = (TaskRequest.objects.filter(task_id=task_result.id)
                      .values_list("request_id", flat=True).first())
    token = set_request_id(request_id or current_request_id())
    _running[str(task_result.id)] = (token, time.monotonic())
    logger.info("Task %s started: %s.", task_result.id, task_result.task.module_path,
                extra={"task": task_result.task.module_path, "task_id": str(task_result.id)})


def task_ended(sender, task_result, **kwargs) -> None:
    token, began = _running.pop(str(task_result.id), (None, None))
    duration_ms = round((time.monotonic() - began) * 1000, 1) if began is not None else None
    status = str(getattr(task_result.status, "value", task_result.status))
    level = logging.WARNING if status == "FAILED" else logging.INFO
    logger.log(level, "Task %s ended %s after %s ms: %s.", task_result.id, status,
               duration_ms, task_result.task.module_path,
               extra={"task": task_result.task.module_path, "task_id": str(task_result.id),
                      "task_status": status, "duration_ms": duration_ms})
    if token is not None:
        # A token set in another context (a thread's) has nothing to restore here.
        with contextlib.suppress(ValueError):
            reset_request_id(token)


def connect() -> None:
    task_enqueued.connect(remember_request, dispatch_uid="rathaus.operations.enqueued")
    task_started.connect(task_began, dispatch_uid="rathaus.operations.started")
    task_finished.connect(task_ended, dispatch_uid="rathaus.operations.finished")
