"""Who in a department works on a task: a clerk takes it on, or gives it back. That
changes nobody's rights (every member of the department may still act on it); it
says whose work it is, and the work basket shows it under "mine"."""

from django.db import transaction

from rathaus.accounts.permissions import guarded_by
from rathaus.audit.services import record

from . import permissions as rules
from .models import Task
from .workflow import NotAllowed


def _locked(task: Task) -> Task:
    return Task.objects.select_for_update().select_related("department").get(pk=task.pk)


@guarded_by(rules.may_complete_task, actor="staff")
@transaction.atomic
def take_task(*, task: Task, staff) -> Task:
    """`staff` works on the task from now on, also when a colleague had it before."""
    task = _locked(task)
    if task.status == Task.Status.DONE or task.assigned_to_id == staff.pk:
        raise NotAllowed("take_task")
    previous = task.assigned_to_id
    task.assigned_to = staff
    task.save(update_fields=["assigned_to"])
    record("case.task_taken", actor=staff, target=task.case,
           data={"task": task.workflow_task, "department": task.department.slug,
                 "previously": previous})
    return task


@guarded_by(rules.may_complete_task, actor="staff")
@transaction.atomic
def give_back_task(*, task: Task, staff) -> Task:
    """The task is nobody's again; only the person who has it gives it back."""
    task = _locked(task)
    if task.status == Task.Status.DONE or task.assigned_to_id != staff.pk:
        raise NotAllowed("give_back_task")
    task.assigned_to = None
    task.save(update_fields=["assigned_to"])
    record("case.task_given_back", actor=staff, target=task.case,
           data={"task": task.workflow_task, "department": task.department.slug})
    return task
