"""The allowed steps of a case, as tables of data: the services in `actions.py` check
them and read where each step leads, the office draws its buttons from them, and the
tables in docs/workflow.md are generated from them (`rathaus workflow_docs`).

A workflow is a named table of actions. Each action says where it may start
(`sources`), where it leads (`target`), who may take it (a named rule from
`permissions.py`) and whether a text is required. Two workflows come with the cases
app:

- "decision": the deciding department approves or rejects, and that is final;
- "decision_with_four_eyes": approve and reject only propose (the case waits in
  `awaiting_confirmation`); `confirm` leads to the decision proposed, which is why its
  target is the symbol `PROPOSED` rather than a status; `send_back` drops the proposal.

A service definition names its workflow (`workflow.name`); without a name its
`four_eyes` flag chooses one of the two. A new service with other steps (a landlord's
confirmation, a hand-over) registers its own table with `register` under a new name.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from rathaus.accounts.permissions import Rule, allows
from rathaus.catalog.registry import definition

from . import permissions as rules
from .models import Case

S = Case.Status
# The target of `confirm`: approved or rejected, as the proposal says.
PROPOSED = "proposed_decision"


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: frozenset
    target: str  # a Case.Status, or PROPOSED
    rule: Rule  # who may take it
    needs_text: bool = False
    style: str = "secondary"


@dataclass(frozen=True)
class Workflow:
    name: str
    actions: dict  # name → Action, in the order the office shows them

    def action(self, name: str) -> Action | None:
        return self.actions.get(name)


class NotAllowed(Exception):
    """The action does not fit the case's status."""


class TextRequired(Exception):
    """The action needs a text (a request, a reason) and got none."""


_workflows: dict[str, Workflow] = {}


def register(workflow: Workflow) -> Workflow:
    if workflow.name in _workflows:
        raise ValueError(f"A workflow named {workflow.name!r} is registered already.")
    _workflows[workflow.name] = workflow
    return workflow


def workflows() -> dict[str, Workflow]:
    return dict(_workflows)


def workflow_named(name: str) -> Workflow:
    found = _workflows.get(name)
    if found is None:
        raise LookupError(f"No workflow named {name!r}.")
    return found


def workflow_for(case: Case) -> Workflow:
    service = definition(case.service_id)
    if service is None:
        return workflow_named(DECISION.name)
    if service.workflow_name:
        return workflow_named(service.workflow_name)
    return workflow_named(FOUR_EYES.name if service.four_eyes else DECISION.name)


def _table(name: str, *actions: Action) -> Workflow:
    return register(Workflow(name, {action.name: action for action in actions}))


_OPEN = frozenset({S.SUBMITTED, S.IN_REVIEW})
_REQUEST = Action("request_information", _("Ask the citizen for information"), _OPEN,
                  S.WAITING, rules.may_decide, needs_text=True)
_ANSWER = Action("give_information", _("Send information"), frozenset({S.WAITING}),
                 S.IN_REVIEW, rules.is_applicant, needs_text=True, style="primary")

DECISION = _table(
    "decision",
    _REQUEST, _ANSWER,
    Action("approve", _("Approve"), _OPEN, S.APPROVED, rules.may_decide, style="primary"),
    # The reason is the citizen's to read.
    Action("reject", _("Reject"), _OPEN, S.REJECTED, rules.may_decide, needs_text=True),
)

FOUR_EYES = _table(
    "decision_with_four_eyes",
    _REQUEST, _ANSWER,
    Action("approve", _("Approve"), _OPEN, S.AWAITING_CONFIRMATION, rules.may_decide,
           style="primary"),
    Action("reject", _("Reject"), _OPEN, S.AWAITING_CONFIRMATION, rules.may_decide,
           needs_text=True),
    Action("confirm", _("Confirm the decision"), frozenset({S.AWAITING_CONFIRMATION}),
           PROPOSED, rules.may_confirm, style="primary"),
    Action("send_back", _("Send the decision back"), frozenset({S.AWAITING_CONFIRMATION}),
           S.IN_REVIEW, rules.may_decide, needs_text=True),
)


def allowed(case: Case, name: str, *, text: str | None = None) -> Action:
    """The action of the case's workflow if the case's status allows it (NotAllowed)
    and, when `text` is given, the text the action needs is there (TextRequired)."""
    action = workflow_for(case).action(name)
    if action is None or case.status not in action.sources:
        raise NotAllowed(name)
    if action.needs_text and text is not None and not text.strip():
        raise TextRequired(name)
    return action


def actions_for_staff(case: Case, *, staff) -> list[Action]:
    """The buttons the office shows: the actions the status allows and the rule lets
    this person take."""
    return [a for a in workflow_for(case).actions.values()
            if case.status in a.sources and allows(a.rule, staff, case=case)]
