from rathaus.accounts.permissions import memberships
from rathaus.authorities.models import Department
from rathaus.handover.selectors import latest_status_events, status_events
from rathaus.records.models import Document, DocumentVersion
from rathaus.records.selectors import latest_version

from .models import Case, CaseEvent, ForwardedApplication, Task
from .permissions import deciding_task_id


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
    """The case and this department's task on it; None when the department has none.
    With two (the deciding task and one waiting for a third party's confirmation, both
    of the deciding department), the deciding one."""
    tasks = list(Task.objects.filter(case_id=case_id, department=department)
                 .select_related("case", "case__applicant", "assigned_to"))
    if not tasks:
        return None
    deciding = deciding_task_id(tasks[0].case)
    task = next((t for t in tasks if t.workflow_task == deciding), tasks[0])
    return task.case, task


def departments_of_staff_on_case(*, case_id, staff) -> list[Department]:
    """The departments of `staff` that have a task on the case, by name: where they
    may open it. Empty for anybody else, whether the case exists or not."""
    mine = memberships(staff).values_list("department_id", flat=True)
    return list(Department.objects.filter(
        pk__in=Task.objects.filter(case_id=case_id, department_id__in=mine)
        .values_list("department_id", flat=True)).order_by("name"))


def tasks_of_case(*, case: Case):
    """Every department's task on the case, in the order they were made."""
    return (Task.objects.filter(case=case)
            .select_related("department", "completed_by", "assigned_to")
            .order_by("created_at", "pk"))


def case_documents(*, case: Case):
    """(document, latest version) pairs of the case's file, oldest first."""
    documents = Document.objects.filter(case_file=case.case_file).order_by("created_at", "pk")
    return [(document, latest_version(document)) for document in documents]


def open_request_text(*, case: Case) -> str:
    """What staff asked the citizen for, while the case waits for the answer."""
    if case.status != Case.Status.WAITING:
        return ""
    event = case.events.filter(kind=CaseEvent.Kind.INFORMATION_REQUESTED).order_by("at").last()
    return event.text if event else ""


def forwarded_of_citizen(*, user, forwarded_id) -> ForwardedApplication | None:
    """The citizen's own handed-over application, or None (the view answers 404)."""
    return (ForwardedApplication.objects.select_related("submission")
            .filter(pk=forwarded_id, applicant=user).first())


def forwarded_of_citizen_list(*, user):
    return ForwardedApplication.objects.filter(applicant=user)


def forwarded_status(*, forwarded: ForwardedApplication) -> list:
    """The status events the responsible authority sent back, oldest first."""
    return status_events(submission_id=forwarded.submission.submission_id)


def forwarded_latest_status(*, forwarded: list) -> dict:
    """The newest status event of each of the handed-over applications (their
    submissions selected with them), by the application's pk; none yet: left out."""
    latest = latest_status_events(submission_ids=[f.submission.submission_id
                                                  for f in forwarded])
    return {f.pk: latest[f.submission.submission_id] for f in forwarded
            if f.submission.submission_id in latest}
