"""What a case's statuses and its history are called, in the words of the person
reading: staff in the office ("Wartet auf Angaben der Bürgerin oder des Bürgers",
"Genehmigung vorgeschlagen von Max Mustermann") and the citizen on the case page
("Wartet auf Ihre Angaben", "Antrag genehmigt"). One function turns the history into
lines for either audience, so that both pages tell the same story, each in its own
terms, and no page says just "Status geändert".

The lines come from the case's events (models.CaseEvent) and from the notices in its
file that the mailbox delivered (their signed "delivered" receipt), so a line never
claims more than happened.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.mailbox.selectors import delivery_times
from rathaus.records.selectors import documents_of, latest_version

from .models import Case, CaseEvent

S, K = Case.Status, CaseEvent.Kind
STAFF, CITIZEN = "staff", "citizen"

# The statuses as staff say them; the citizen reads the model's own labels, which
# speak to the applicant ("Wartet auf Ihre Angaben").
_STAFF_STATUS = {
    S.SUBMITTED: gettext_lazy("Received"),
    S.IN_REVIEW: gettext_lazy("In review"),
    S.WAITING: gettext_lazy("Waiting for the applicant's information"),
    S.AWAITING_CONFIRMATION: gettext_lazy("Decision awaiting confirmation"),
    S.APPROVED: gettext_lazy("Approved"),
    S.REJECTED: gettext_lazy("Rejected"),
}


def status_label(status: str, *, audience: str) -> str:
    """A case status in the audience's words."""
    if audience == STAFF and status in _STAFF_STATUS:
        return str(_STAFF_STATUS[status])
    try:
        return str(Case.Status(status).label)
    except ValueError:
        return status


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    what: str  # what happened, in the audience's words
    detail: str = ""  # the text that came with it: a request, an answer, a reason, a note
    internal: bool = False  # staff only


def history(case: Case, *, audience: str) -> list[HistoryLine]:
    """The case's history in the audience's words, oldest first. The citizen's has no
    internal events (proposals, notes, other departments' tasks)."""
    events = CaseEvent.objects.filter(case=case).select_related("actor")
    if audience == CITIZEN:
        events = events.filter(internal=False)
    lines, proposed = [], False
    for event in events:
        what = _staff_line(event, proposed) if audience == STAFF else _citizen_line(event)
        proposed = proposed or _is_proposal(event)
        lines.append(HistoryLine(at=event.at, what=what, detail=event.text,
                                 internal=event.internal))
    lines += _notice_lines(case, audience=audience)
    return sorted(lines, key=lambda line: line.at)


def _is_proposal(event: CaseEvent) -> bool:
    return event.kind in (K.APPROVAL_PROPOSED, K.REJECTION_PROPOSED) or (
        event.kind == K.STATUS and event.status == S.AWAITING_CONFIRMATION)


def _name(event: CaseEvent) -> str:
    return event.actor.full_name if event.actor else _("the system")


def _staff_line(event: CaseEvent, proposed: bool) -> str:
    """`proposed`: a proposal came before, so a decision now confirms it (four eyes)."""
    name = {"name": _name(event)}
    kind, status = event.kind, event.status
    if kind == K.SUBMITTED:
        return _("Application received")
    if kind == K.INFORMATION_REQUESTED:
        return _("Information requested from the applicant by %(name)s") % name
    if kind == K.INFORMATION_GIVEN:
        return _("Information sent by %(name)s") % name
    if kind == K.APPROVAL_PROPOSED:
        return _("Approval proposed by %(name)s") % name
    if kind == K.REJECTION_PROPOSED:
        return _("Rejection proposed by %(name)s") % name
    if kind == K.PROPOSAL_SENT_BACK or (kind == K.NOTE and status):
        return _("Proposal sent back by %(name)s") % name
    if kind == K.NOTE:
        return _("Internal note by %(name)s") % name
    if kind == K.TASK_DONE:
        return _("Task done by %(name)s") % name
    if kind == K.STATUS:
        return _staff_decision(status, name, proposed)
    return str(CaseEvent.Kind(kind).label) if kind in K.values else kind


def _staff_decision(status: str, name: dict, proposed: bool) -> str:
    if status == S.APPROVED:
        return (_("Approval confirmed by %(name)s") if proposed
                else _("Approved by %(name)s")) % name
    if status == S.REJECTED:
        return (_("Rejection confirmed by %(name)s") if proposed
                else _("Rejected by %(name)s")) % name
    if status == S.AWAITING_CONFIRMATION:  # a proposal in an older history
        return _("Decision proposed by %(name)s") % name
    return _("Status now: %(status)s") % {"status": status_label(status, audience=STAFF)}


def _citizen_line(event: CaseEvent) -> str:
    kind, status = event.kind, event.status
    if kind == K.SUBMITTED:
        return _("Application received")
    if kind == K.INFORMATION_REQUESTED:
        return _("We asked you for information")
    if kind == K.INFORMATION_GIVEN:
        return _("You sent us information")
    if kind == K.STATUS and status == S.APPROVED:
        return _("Application approved")
    if kind == K.STATUS and status == S.REJECTED:
        return _("Application rejected")
    return _("Status now: %(status)s") % {"status": status_label(status, audience=CITIZEN)}


def _notice_lines(case: Case, *, audience: str) -> list[HistoryLine]:
    """A line for each notice in the case's file: delivered (when the mailbox's receipt
    says so), or for staff only, filed but not delivered yet."""
    notices = documents_of(case.case_file).filter(kind="notice")
    if not notices:
        return []
    delivered = delivery_times(recipient=case.applicant, reference=case.reference)
    lines = []
    for notice in notices:
        version = latest_version(notice)
        at = delivered.get(version.sha256) if version else None
        if at is not None:
            # Receipts keep whole seconds; the notice was filed just before it was sent.
            at = max(at, notice.created_at)
            what = (_("Notice delivered to your mailbox") if audience == CITIZEN
                    else _("Notice delivered to the applicant's mailbox"))
            lines.append(HistoryLine(at=at, what=what, detail=notice.title))
        elif audience == STAFF:
            lines.append(HistoryLine(at=notice.created_at, detail=notice.title,
                                     what=_("Notice filed, not delivered yet"), internal=True))
    return lines
