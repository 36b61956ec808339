"""Who may act on a case. The workflow table names one of these rules for each
action; the services in `actions.py` ask them, the office asks them for its buttons."""

from rathaus.accounts.permissions import NotPermitted, acts_in_portal, is_member_of, rule
from rathaus.catalog.registry import definition
from rathaus.forms.models import Draft

from .models import Case, Task


class SecondPersonRequired(NotPermitted):
    """Four eyes: the person who proposed a decision cannot confirm it."""

    def __init__(self, rule: str = "cases.may_confirm"):
        super().__init__(rule)


def deciding_task_id(case: Case) -> str | None:
    """The workflow task of the service definition whose department decides."""
    service = definition(case.service_id)
    return next((t.id for t in service.tasks if t.decides), None) if service else None


def _deciding_departments(case: Case):
    return Task.objects.filter(case=case, workflow_task=deciding_task_id(case)).values_list(
        "department_id", flat=True)


@rule("cases.may_decide")
def may_decide(actor, *, case: Case) -> bool:
    """A member of the department whose task decides (any role)."""
    return is_member_of(actor, _deciding_departments(case))


@rule("cases.may_confirm")
def may_confirm(actor, *, case: Case) -> bool:
    """Four eyes: the deciding department, but not the person who proposed."""
    if not may_decide(actor, case=case):
        return False
    if case.proposed_by_id is not None and case.proposed_by_id == actor.pk:
        raise SecondPersonRequired()
    return True


@rule("cases.may_work_on")
def may_work_on(actor, *, case: Case) -> bool:
    """A member of any department with a task on the case (notes)."""
    return is_member_of(actor, Task.objects.filter(case=case).values_list(
        "department_id", flat=True))


@rule("cases.may_complete_task")
def may_complete_task(actor, *, task: Task) -> bool:
    """A member of the task's department."""
    return is_member_of(actor, [task.department_id])


@rule("cases.may_send_draft")
def may_send_draft(actor, *, draft_id) -> bool:
    """The citizen (or firm account) whose draft it is."""
    return acts_in_portal(actor) and Draft.objects.filter(pk=draft_id, user=actor).exists()


@rule("cases.is_applicant")
def is_applicant(actor, *, case: Case) -> bool:
    """The citizen (or firm account) who applied: the one who answers requests for
    information."""
    return acts_in_portal(actor) and case.applicant_id == actor.pk


# The "who" column of docs/workflow.md.
DESCRIPTIONS = {
    may_decide.name: "deciding department",
    may_confirm.name: "deciding department, **not the proposer**",
    may_work_on.name: "any department with a task on the case",
    may_complete_task.name: "the task's department",
    is_applicant.name: "the applicant, on the case page",
    may_send_draft.name: "the citizen whose draft it is",
}
