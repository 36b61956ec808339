"""The case page's steps, sorted into its sections: asking the applicant, proposing
(or taking) the decision, and confirming it. The steps themselves come from the case's
workflow table (cases.workflow.actions_for_staff: what the status allows and the rules
let this person take); this module only decides where each one goes and what its text
field is called, so that a confirmer sees what belongs to confirming and nothing else.

A step of a new workflow table lands in the section its status change says
(`section_of`); one the page does not know yet goes under "other steps", with a
plain label for its text.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from rathaus.cases.models import Case
from rathaus.cases.workflow import Action, actions_for_staff

S = Case.Status
ASK, DECIDE, CONFIRM, OTHER = "ask", "decide", "confirm", "other"

# What the text field of a step is called, and who reads the text.
TEXT_LABELS = {
    "request_information": _("What is missing? (the citizen reads this)"),
    "reject": _("Reason for the rejection (the citizen reads this)"),
    "send_back": _("What should be changed? (internal, for the person who proposed it)"),
}
WITHDRAW_LABEL = _("Why do you withdraw it? (internal)")
# What to say when such a text is missing.
TEXT_MISSING = {
    "request_information": _("Please write what is missing: the citizen reads it."),
    "reject": _("Please give the reason for the rejection: the citizen reads it in the "
                "notice."),
    "send_back": _("Please write what should be changed."),
    "note": _("Please write the note."),
}


def text_missing(step: str) -> str:
    return str(TEXT_MISSING.get(step, _("Please write a text for this step.")))


@dataclass(frozen=True)
class Step:
    action: Action
    title: str  # the heading of its card
    button: str
    text_label: str = ""  # empty: the step takes no text
    explanation: str = ""


def section_of(action: Action) -> str:
    """Confirming or sending back a proposal; asking the applicant; deciding."""
    if S.AWAITING_CONFIRMATION in action.sources:
        return CONFIRM
    if action.target == S.WAITING:
        return ASK
    if action.target in (S.APPROVED, S.REJECTED, S.AWAITING_CONFIRMATION):
        return DECIDE
    return OTHER


def steps_by_section(case: Case, *, staff) -> dict[str, list[Step]]:
    sections: dict[str, list[Step]] = {ASK: [], DECIDE: [], CONFIRM: [], OTHER: []}
    own_proposal = case.proposed_by_id is not None and case.proposed_by_id == staff.pk
    for action in actions_for_staff(case, staff=staff):
        sections[section_of(action)].append(_step(action, own_proposal=own_proposal))
    return sections


def _step(action: Action, *, own_proposal: bool) -> Step:
    if action.name == "send_back" and own_proposal:
        return Step(action, title=_("Withdraw"), button=_("Withdraw my proposal"),
                    text_label=WITHDRAW_LABEL,
                    explanation=_("Your proposal is dropped and the case is in review "
                                  "again."))
    label = TEXT_LABELS.get(action.name, _("Text for this step")) if action.needs_text else ""
    return Step(action, title=_TITLES.get(action.name, action.label), button=action.label,
                text_label=label, explanation=_EXPLANATIONS.get(action.name, ""))


# Card headings where the button's words would repeat the section's heading.
_TITLES = {"confirm": _("Confirm"), "send_back": _("Send back")}


_EXPLANATIONS = {
    "approve": _("The application is approved as the citizen made it."),
    "reject": _("The citizen receives a notice of rejection with your reason."),
    "confirm": _("The notice is then issued and delivered to the citizen's mailbox."),
    "send_back": _("The proposal is dropped and the case is in review again."),
}
