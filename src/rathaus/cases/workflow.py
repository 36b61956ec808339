"""The allowed steps of a case, as tables of data: the services in `actions.py` check
them and read where each step leads, the office draws its buttons from them, and the
tables in docs/workflow.md are generated from them (`rathaus workflow_docs`).

A workflow is a named table of actions. Each action says where it may start
(`sources`), where it leads (`target`), who may take it (a named rule from a
`permissions.py`), whether a text is required, and which service performs it
(`perform`), so that the office can take any action of any table without knowing it.
This module is the machinery; the tables are data registered by the apps that own the
services: `decision_workflows.py` has the two that come with the cases app
("decision" and "decision_with_four_eyes").

A service definition names its workflow (`workflow.name`); without a name its
`four_eyes` flag chooses one of the two. A new service with other steps (a landlord's
confirmation, a hand-over) registers its own table with `register` under a new name,
from its own app, without touching these.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

from rathaus.accounts.permissions import Rule, allows
from rathaus.catalog.registry import definition

from .models import Case

# The target of `confirm`: approved or rejected, as the proposal says.
PROPOSED = "proposed_decision"
# The tables a definition gets by its `four_eyes` flag when it names none.
DECISION, FOUR_EYES = "decision", "decision_with_four_eyes"


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: frozenset
    target: str  # a Case.Status, or PROPOSED
    rule: Rule  # who may take it
    # The guarded service that takes the step: perform(case=…, actor=…, text=…).
    perform: Callable[..., object]
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
        return workflow_named(DECISION)
    if service.workflow_name:
        return workflow_named(service.workflow_name)
    return workflow_named(FOUR_EYES if service.four_eyes else DECISION)


def table(name: str, *actions: Action) -> Workflow:
    """Registers a workflow of `actions`, in the order the office shows them."""
    return register(Workflow(name, {action.name: action for action in actions}))


def relabelled(name: str, labels: dict, *, base: str = DECISION) -> Workflow:
    """Registers the table `base` again under `name`, with the service's own words for
    some of its actions (`labels`: action name → label)."""
    return register(Workflow(name, {
        action_name: replace(action, label=labels.get(action_name, action.label))
        for action_name, action in workflow_named(base).actions.items()
    }))


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


def take(case: Case, name: str, *, actor, text: str = ""):
    """Takes the action `name` of the case's workflow through its service, which checks
    status, person and text itself; an action the table does not have is NotAllowed."""
    action = workflow_for(case).action(name)
    if action is None:
        raise NotAllowed(name)
    return action.perform(case=case, actor=actor, text=text)
