from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult


class WorkerHeartbeat(models.Model):
    """A running worker says it is alive (heartbeat.py); /readyz and /metrics read the
    newest. A worker killed without a chance to remove its row leaves it behind: it
    grows old and is replaced when a worker of the same host and pid starts."""

    name = models.CharField(_("worker"), max_length=200, unique=True)  # host:pid
    started_at = models.DateTimeField(_("started"))
    seen_at = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.name


class TaskRequest(models.Model):
    """Which request enqueued a task, so that the task's log lines carry its id
    (task_requests.py). Written in the enqueuing transaction; goes with the task."""

    task = models.OneToOneField(DBTaskResult, on_delete=models.CASCADE, primary_key=True,
                                related_name="+")
    request_id = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("task's request")
        verbose_name_plural = _("tasks' requests")

    def __str__(self) -> str:
        return self.request_id
