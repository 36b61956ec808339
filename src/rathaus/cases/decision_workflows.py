"""The two workflows that come with the cases app, as data:

- "decision": the deciding department approves or rejects, and that is final;
- "decision_with_four_eyes": approve and reject only propose (the case waits in
  `awaiting_confirmation`); `confirm` leads to the decision proposed, which is why its
  target is the symbol `PROPOSED` rather than a status; `send_back` drops the proposal.

Each action names the guarded service in `actions.py` that performs it. Registered at
start-up by `CasesConfig.ready()`; docs/workflow.md is generated from these tables.
"""

from django.utils.translation import gettext_lazy as _

from . import actions
from . import permissions as rules
from .models import Case
from .workflow import DECISION, FOUR_EYES, PROPOSED, Action, table

S = Case.Status


def _by(service, *, actor_as: str, text_as: str | None = None, **fixed):
    """perform(case=, actor=, text=) for a service with its own argument names; the
    service stays reachable as `.service`, so tests can compare its rule with the table's."""
    def perform(*, case, actor, text=""):
        arguments = {"case": case, actor_as: actor, **fixed}
        if text_as:
            arguments[text_as] = text
        return service(**arguments)

    perform.service = service
    return perform


_OPEN = frozenset({S.SUBMITTED, S.IN_REVIEW})
_REQUEST = Action("request_information", _("Ask the citizen for information"), _OPEN,
                  S.WAITING, rules.may_decide,
                  _by(actions.request_information, actor_as="staff", text_as="text"),
                  needs_text=True)
_ANSWER = Action("give_information", _("Send information"), frozenset({S.WAITING}),
                 S.IN_REVIEW, rules.is_applicant,
                 _by(actions.give_information, actor_as="citizen", text_as="text"),
                 needs_text=True, style="primary")
_APPROVE = _by(actions.propose_decision, actor_as="staff", text_as="reason", decision="approve")
_REJECT = _by(actions.propose_decision, actor_as="staff", text_as="reason", decision="reject")

table(
    DECISION,
    _REQUEST, _ANSWER,
    Action("approve", _("Approve"), _OPEN, S.APPROVED, rules.may_decide, _APPROVE,
           style="primary"),
    # The reason is the citizen's to read.
    Action("reject", _("Reject"), _OPEN, S.REJECTED, rules.may_decide, _REJECT,
           needs_text=True),
)

table(
    FOUR_EYES,
    _REQUEST, _ANSWER,
    Action("approve", _("Approve"), _OPEN, S.AWAITING_CONFIRMATION, rules.may_decide,
           _APPROVE, style="primary"),
    Action("reject", _("Reject"), _OPEN, S.AWAITING_CONFIRMATION, rules.may_decide,
           _REJECT, needs_text=True),
    Action("confirm", _("Confirm the decision"), frozenset({S.AWAITING_CONFIRMATION}),
           PROPOSED, rules.may_confirm, _by(actions.confirm_decision, actor_as="staff"),
           style="primary"),
    Action("send_back", _("Send the decision back"), frozenset({S.AWAITING_CONFIRMATION}),
           S.IN_REVIEW, rules.may_decide,
           _by(actions.send_back, actor_as="staff", text_as="text"), needs_text=True),
)
