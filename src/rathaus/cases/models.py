from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.authorities.tenancy import TenantScopedModel


class Task(TenantScopedModel):
    """A piece of work for one department: what lands in its work basket."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        WAITING = "waiting", _("Waiting for the citizen")
        DONE = "done", _("Done")

    department = models.ForeignKey(
        "authorities.Department", on_delete=models.PROTECT, related_name="tasks"
    )
    title = models.CharField(_("title"), max_length=300)
    reference = models.CharField(_("file reference"), max_length=60, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_date", "created_at"]
        indexes = [models.Index(fields=["department", "status", "due_date"])]

    def __str__(self) -> str:
        return self.title
