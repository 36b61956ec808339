"""The office's work basket: a department's tasks, the soonest due first, filtered by
service, by the state of the case and by whose they are, and the counts of what waits
that the office's navigation shows.

A task's due date is set when the application arrives: the day of submission plus the
`due_days` of the service definition's task (14 unless the definition says otherwise).
"""

from dataclasses import dataclass

from django.db.models import Count, F, Q

from .models import Case, Task

S = Case.Status

# The status filter: a case status for the department's unfinished tasks, or DONE for
# its finished ones. Decided cases have no unfinished task (the decision ends them).
DONE = "done"
STATUSES = (S.SUBMITTED, S.IN_REVIEW, S.WAITING, S.AWAITING_CONFIRMATION)


def basket(*, department, staff, status: str = "", service: str = "", mine: bool = False):
    """The department's tasks, the soonest due first (those without a date last);
    by default every unfinished one. `mine`: only those `staff` has taken on."""
    tasks = Task.objects.filter(department=department).select_related("case", "assigned_to")
    if status == DONE:
        tasks = tasks.filter(status=Task.Status.DONE)
    else:
        tasks = tasks.exclude(status=Task.Status.DONE)
        if status:
            tasks = tasks.filter(case__status=status)
    if service:
        tasks = tasks.filter(case__service_id=service)
    if mine:
        tasks = tasks.filter(assigned_to=staff)
    return tasks.order_by(F("due_date").asc(nulls_last=True), "created_at", "pk")


def services_in_basket(*, department, done: bool = False) -> list[str]:
    """The services the department has unfinished tasks for (with `done`, finished
    ones): what the service filter offers. Not those of its whole history: finished
    tasks pile up for years, and the basket is the page staff open all day."""
    tasks = Task.objects.filter(department=department, case__isnull=False)
    tasks = (tasks.filter(status=Task.Status.DONE) if done
             else tasks.exclude(status=Task.Status.DONE))
    return sorted(tasks.order_by().values_list("case__service_id", flat=True).distinct())


@dataclass(frozen=True)
class Waiting:
    """What waits in the department, each the length of the basket's list it links to."""

    new: int  # unfinished tasks on cases nobody has acted on yet (status submitted)
    mine: int  # unfinished tasks the person has taken on
    to_confirm: int  # unfinished tasks on cases whose decision awaits confirmation
    overdue: int  # unfinished tasks past their due date


def waiting(*, department, staff, today) -> Waiting:
    counts = Task.objects.filter(department=department).exclude(
        status=Task.Status.DONE).aggregate(
        new=Count("pk", filter=Q(case__status=S.SUBMITTED)),
        mine=Count("pk", filter=Q(assigned_to=staff)),
        to_confirm=Count("pk", filter=Q(case__status=S.AWAITING_CONFIRMATION)),
        overdue=Count("pk", filter=Q(due_date__lt=today)),
    )
    return Waiting(**counts)
