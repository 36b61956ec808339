from rathaus.authorities.models import Department
from rathaus.records.models import Document, DocumentVersion
from rathaus.records.selectors import latest_version

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


def case_for_department(*, case_id, department) -> tuple[Case, Task] | None:
    """The case and this department's task on it; None when the department has none."""
    task = (Task.objects.filter(case_id=case_id, department=department)
            .select_related("case", "case__applicant").first())
    return (task.case, task) if task else None


def case_documents(*, case: Case):
    """(document, latest version) pairs of the case's file, oldest first."""
    documents = Document.objects.filter(case_file=case.case_file).order_by("created_at", "pk")
    return [(document, latest_version(document)) for document in documents]


def case_history(*, case: Case):
    return CaseEvent.objects.filter(case=case).select_related("actor")


def open_request_text(*, case: Case) -> str:
    """What staff asked the citizen for, while the case waits for the answer."""
    if case.status != Case.Status.WAITING:
        return ""
    event = case.events.filter(kind=CaseEvent.Kind.INFORMATION_REQUESTED).order_by("at").last()
    return event.text if event else ""
