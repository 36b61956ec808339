"""`enqueue_once`: work that comes in bursts is done by one waiting task."""

import pytest
from django.db import transaction
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from rathaus.task_queue import enqueue_once

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                              "QUEUES": ["default"]}}
calls: list[dict] = []


@task()
def open_waiting(*, authority_id: int) -> None:
    calls.append({"authority_id": authority_id})


def waiting(**kwargs) -> int:
    return DBTaskResult.objects.filter(task_path=open_waiting.module_path, status="READY",
                                       args_kwargs={"args": [], "kwargs": kwargs}).count()


@pytest.mark.django_db
def test_a_task_waiting_with_the_same_arguments_is_not_queued_again(settings):
    settings.TASKS = DATABASE_TASKS
    with transaction.atomic():
        enqueue_once(open_waiting, authority_id=1)
        enqueue_once(open_waiting, authority_id=1)
    enqueue_once(open_waiting, authority_id=1)  # outside a transaction, too
    enqueue_once(open_waiting, authority_id=2)  # other arguments: other work
    assert (waiting(authority_id=1), waiting(authority_id=2)) == (1, 1)


@pytest.mark.django_db
def test_once_the_waiting_task_runs_the_next_burst_queues_a_new_one(settings):
    """The running task may have looked for work already: what comes now needs a task
    of its own."""
    settings.TASKS = DATABASE_TASKS
    enqueue_once(open_waiting, authority_id=1)
    DBTaskResult.objects.filter(task_path=open_waiting.module_path).update(status="RUNNING")
    enqueue_once(open_waiting, authority_id=1)
    assert waiting(authority_id=1) == 1


@pytest.mark.django_db
def test_without_a_queue_the_task_runs_at_once():
    calls.clear()
    enqueue_once(open_waiting, authority_id=1)
    enqueue_once(open_waiting, authority_id=1)
    assert calls == [{"authority_id": 1}, {"authority_id": 1}]


@pytest.mark.django_db(transaction=True)
def test_no_worker_takes_the_waiting_task_before_the_caller_commits(settings):
    """Else the task could look for work before the caller's is there, and miss it."""
    import threading

    from django.db import connection

    settings.TASKS = DATABASE_TASKS
    enqueue_once(open_waiting, authority_id=1)
    taken = []

    def worker_claims():
        try:
            with transaction.atomic():
                claimed = DBTaskResult.objects.ready().get_locked()
                taken.append(claimed and claimed.task_path)
        finally:
            connection.close()

    with transaction.atomic():
        enqueue_once(open_waiting, authority_id=1)  # finds the waiting one and locks it
        if connection.vendor == "sqlite":
            return  # SQLite's writer lock keeps the worker out; not testable by threads
        worker = threading.Thread(target=worker_claims)
        worker.start()
        worker.join()
    assert taken == [None]
    worker = threading.Thread(target=worker_claims)
    worker.start()
    worker.join()
    assert taken == [None, open_waiting.module_path]
