from rathaus.authorities.models import Department

from .models import Task


def work_basket(*, department: Department, status: str | None = None):
    """The department's tasks, soonest deadline first; open and waiting ones by default."""
    tasks = Task.objects.filter(department=department)
    if status:
        return tasks.filter(status=status)
    return tasks.exclude(status=Task.Status.DONE)
