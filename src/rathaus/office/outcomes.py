"""What the office says after a step on a case: what happened and what follows, never
just "Erledigt.". And, when a step is refused, why, naming who has to act first."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rathaus.cases.models import Case, Task
from rathaus.cases.wording import STAFF, status_label

S = Case.Status


def after(step: str, result) -> str:
    """The message after `step` (a workflow action's name, or one of the steps outside
    the tables), from what the step's service returned: the case, task or event."""
    if step == "note":
        return _("Internal note added to the history.")
    if isinstance(result, Task):
        return _after_task(step, result)
    if isinstance(result, Case):
        return _after_case(step, result)
    return _("Step done: %(step)s.") % {"step": step}


def _after_task(step: str, task: Task) -> str:
    if step == "take_task":
        return _("You now work on this task: it is in your work basket under "
                 "“Assigned to me”.")
    if step == "give_back_task":
        return _("Task given back: it waits in the department's work basket for someone "
                 "to take it on.")
    return _("Task done: %(title)s.") % {"title": task.title}


def _after_case(step: str, case: Case) -> str:
    approve = case.decision == "approve"
    if case.status == S.AWAITING_CONFIRMATION:
        return (_("Notice submitted for confirmation (approval). A second person of your "
                  "department confirms it; then it is issued and delivered.") if approve
                else _("Notice submitted for confirmation (rejection). A second person of "
                       "your department confirms it; then it is issued and delivered."))
    if case.status in (S.APPROVED, S.REJECTED):
        return _decided(step, approved=case.status == S.APPROVED)
    if case.status == S.WAITING:
        return _("Request sent to the citizen's mailbox. The case waits for the answer.")
    if step == "send_back":
        return _("Proposal sent back. The case is in review again.")
    return _("Step done. The case is now: %(status)s.") % {
        "status": status_label(case.status, audience=STAFF)}


def _decided(step: str, *, approved: bool) -> str:
    if step == "confirm":
        return (_("Decision confirmed: the application is approved. The notice is being "
                  "issued and delivered to the citizen's mailbox.") if approved
                else _("Decision confirmed: the application is rejected. The notice of "
                       "rejection is being issued and delivered to the citizen's mailbox."))
    return (_("Application approved. The notice is being issued and delivered to the "
              "citizen's mailbox.") if approved
            else _("Application rejected. The notice of rejection is being issued and "
                   "delivered to the citizen's mailbox."))


def not_allowed(step: str) -> str:
    """The step does not fit the case or the task as they are now (someone else was
    quicker, or the page was old)."""
    if step in ("take_task", "give_back_task"):
        return _("The task has changed in the meantime: it is done, or someone else has "
                 "it now.")
    return _("This step is not possible in the case's current state.")


def open_tasks_refusal(tasks) -> str:
    """Approving waits for other departments: name them and their tasks."""
    names = sorted({task.department.name for task in tasks})
    titles = "; ".join(f"{task.department.name}: {task.title}" for task in tasks)
    return ngettext(
        "Not possible yet: the department %(names)s must finish its task first (%(tasks)s).",
        "Not possible yet: the departments %(names)s must finish their tasks first "
        "(%(tasks)s).", len(names)) % {"names": ", ".join(names), "tasks": titles}
