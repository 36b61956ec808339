"""The allowed steps of a case, as one table: the code checks it, the office draws its
buttons from it, and docs/workflow.md describes it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Case

S = Case.Status


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: frozenset
    # Who may take it: the deciding department, any department with a task, the citizen.
    actor: str
    needs_text: bool = False
    style: str = "secondary"


ACTIONS = {
    action.name: action
    for action in (
        Action("request_information", _("Ask the citizen for information"),
               frozenset({S.SUBMITTED, S.IN_REVIEW}), "decider", needs_text=True),
        Action("give_information", _("Send information"),
               frozenset({S.WAITING}), "citizen", needs_text=True, style="primary"),
        Action("approve", _("Approve"),
               frozenset({S.SUBMITTED, S.IN_REVIEW}), "decider", style="primary"),
        Action("reject", _("Reject"),
               frozenset({S.SUBMITTED, S.IN_REVIEW}), "decider", needs_text=True),
        Action("confirm", _("Confirm the decision"),
               frozenset({S.AWAITING_CONFIRMATION}), "decider", style="primary"),
        Action("send_back", _("Send the decision back"),
               frozenset({S.AWAITING_CONFIRMATION}), "decider", needs_text=True),
    )
}


class NotAllowed(Exception):
    """The action does not fit the case's status or the person."""


def allowed(case: Case, name: str) -> Action:
    action = ACTIONS.get(name)
    if action is None or case.status not in action.sources:
        raise NotAllowed(name)
    return action


def actions_for_staff(case: Case, *, is_decider: bool) -> list[Action]:
    if not is_decider:
        return []
    return [a for a in ACTIONS.values() if a.actor == "decider" and case.status in a.sources]
