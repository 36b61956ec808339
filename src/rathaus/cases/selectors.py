from rathaus.authorities.models import Department
from rathaus.records.models import DocumentVersion

from .models import Case, CaseEvent, Task


def work_basket(*, department: Department, status: str | None = None):
    """The department's tasks, soonest deadline first; open and waiting ones by default."""
    tasks = Task.objects.filter(department=department).select_related("case")
    if status:
        return tasks.filter(status=status)
    return tasks.exclude(status=Task.Status.DONE)


def case_of_citizen(*, user, case_id) -> Case | None:
    """The citizen's own case, or None for anything else (the view answers 404)."""
    return Case.objects.filter(pk=case_id, applicant=user).first()


def cases_of_citizen(*, user):
    return Case.objects.filter(applicant=user)


def public_events(*, case: Case):
    return CaseEvent.objects.filter(case=case, internal=False)


def receipt_version(*, case: Case) -> DocumentVersion:
    return (
        DocumentVersion.objects.filter(document__case_file=case.case_file,
                                       document__kind="receipt")
        .order_by("-number").first()
    )
