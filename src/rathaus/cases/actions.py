"""What staff and citizens do with a case. Each function is one transaction that
checks the workflow table of the case (status, who, text), writes the history and the
audit entry, and enqueues the follow-up work. Where a step leads is the table's
`target`, never written here.

Each service is guarded by the rule the table names for its action, so a view, a task
or a command cannot skip it; `_begin` asks the rule once more on the locked row, as a
proposal may have changed since the caller read the case."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rathaus.accounts.permissions import guarded_by, require, unguarded
from rathaus.audit.services import record
from rathaus.authorities.links import portal_url
from rathaus.mailbox.services import deliver_message
from rathaus.records.services import add_document

from . import permissions as rules
from .decisions import DecisionRefused, check_approval
from .forwarding import report_status
from .models import Case, CaseEvent, Task
from .permissions import SecondPersonRequired, deciding_task_id
from .workflow import PROPOSED, Action, NotAllowed, TextRequired, allowed

S = Case.Status

__all__ = ["DecisionRefused", "NotAllowed", "OpenTasksRemain", "SecondPersonRequired",
           "TextRequired"]


class OpenTasksRemain(Exception):
    """Another department has not finished its part yet; `tasks` are the open ones,
    so that the refusal can name the departments."""

    def __init__(self, reference: str, *, tasks=()):
        super().__init__(reference)
        self.tasks = list(tasks)


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _begin(case: Case, name: str, *, actor, text: str | None = None) -> tuple[Case, Action]:
    """The locked case and its workflow's action, if the person, the status and the
    text allow it."""
    case = _locked(case)
    action = allowed(case, name, text=text)
    require(action.rule, actor, case=case)
    return case, action


def _deciding_task(case: Case) -> Task | None:
    return Task.objects.filter(case=case, workflow_task=deciding_task_id(case)).first()


def _set_status(case: Case, status: str, *, actor, kind, text="", internal=False):
    case.status = status
    case.save(update_fields=["status"])
    CaseEvent.objects.create(case=case, actor=actor, kind=kind, status=status, text=text,
                             internal=internal)
    # A decision goes back to a town that took the case once its notice exists (the
    # decision task); a refusal there would otherwise leave the town saying "approved".
    if not internal and status not in (S.APPROVED, S.REJECTED):
        report_status(case=case, status=status)


def _case_link(case: Case) -> str:
    return portal_url(reverse("portal:case", kwargs={"case_id": case.pk}))


@guarded_by(rules.may_decide, actor="staff")
@transaction.atomic
def request_information(*, case: Case, staff, text: str) -> Case:
    case, action = _begin(case, "request_information", actor=staff, text=text)
    _set_status(case, action.target, actor=staff, kind=CaseEvent.Kind.INFORMATION_REQUESTED,
                text=text)
    Task.objects.filter(case=case, status=Task.Status.OPEN,
                        pk=getattr(_deciding_task(case), "pk", None)).update(
        status=Task.Status.WAITING)
    deliver_message(
        recipient=case.applicant, reference=case.reference, actor=staff,
        subject=f"Rückfrage zu Ihrem Antrag {case.reference}",
        body=f"{text}\n\nBitte antworten Sie über die Seite Ihres Antrags: {_case_link(case)}",
        link_for=lambda message: portal_url(reverse("mailbox:message", args=[message.pk])),
    )
    record("case.information_requested", actor=staff, target=case,
           data={"reference": case.reference})
    return case


def _file_count(count: int) -> str:
    """"1 Datei", "2 Dateien": the history is written once, in the file's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return ngettext("%(count)d file", "%(count)d files", count) % {"count": count}


@guarded_by(rules.is_applicant, actor="citizen")
@transaction.atomic
def give_information(*, case: Case, citizen, text: str, files=()) -> Case:
    """The citizen's answer: text and files go into the eAkte, the case moves on."""
    case, action = _begin(case, "give_information", actor=citizen, text=text)
    for upload in files:
        add_document(case_file=case.case_file, title=f"Nachgereicht: {upload.filename}",
                     kind="upload", content=upload.content, media_type=upload.media_type,
                     filename=upload.filename, created_by=citizen)
    summary = text + (f" ({_file_count(len(files))})" if files else "")
    _set_status(case, action.target, actor=citizen, kind=CaseEvent.Kind.INFORMATION_GIVEN,
                text=summary)
    Task.objects.filter(case=case, status=Task.Status.WAITING).update(status=Task.Status.OPEN)
    record("case.information_given", actor=citizen, target=case,
           data={"reference": case.reference, "files": len(files)})
    return case


@guarded_by(rules.may_complete_task, actor="staff")
@transaction.atomic
def complete_task(*, task: Task, staff, note: str = "") -> Task:
    """A contributing department's part is done. Not in the workflow table: it does not
    change the case's status. The deciding task ends with the decision instead."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status == Task.Status.DONE or task.workflow_task == deciding_task_id(task.case):
        raise NotAllowed("complete_task")
    task.status = Task.Status.DONE
    task.completed_at = timezone.now()
    task.completed_by = staff
    task.save(update_fields=["status", "completed_at", "completed_by"])
    CaseEvent.objects.create(case=task.case, actor=staff, kind=CaseEvent.Kind.TASK_DONE,
                             text=f"{task.department.name}: {task.title}"
                             + (f" – {note}" if note else ""), internal=True)
    record("case.task_completed", actor=staff, target=task.case,
           data={"task": task.workflow_task, "department": task.department.slug})
    return task


@guarded_by(rules.may_decide, actor="staff")
@transaction.atomic
def propose_decision(*, case: Case, staff, decision: str, reason: str = "") -> Case:
    """`decision` is "approve" or "reject"; with four eyes the table leads it to
    `awaiting_confirmation`, else it is final at once."""
    if decision not in ("approve", "reject"):
        raise NotAllowed(decision)
    case, action = _begin(case, decision, actor=staff, text=reason)
    if decision == "approve":
        open_tasks = (Task.objects.filter(case=case).exclude(status=Task.Status.DONE)
                      .exclude(pk=_deciding_task(case).pk).select_related("department"))
        if open_tasks:
            raise OpenTasksRemain(case.reference, tasks=open_tasks)
        check_approval(case)
    case.decision, case.decision_reason, case.proposed_by = decision, reason, staff
    case.save(update_fields=["decision", "decision_reason", "proposed_by"])
    if action.target in (S.APPROVED, S.REJECTED):
        return _finalise(case, staff, action.target)
    kind = (CaseEvent.Kind.APPROVAL_PROPOSED if decision == "approve"
            else CaseEvent.Kind.REJECTION_PROPOSED)
    _set_status(case, action.target, actor=staff, kind=kind, text=reason, internal=True)
    record("case.decision_proposed", actor=staff, target=case,
           data={"reference": case.reference, "decision": decision})
    return case


@guarded_by(rules.may_confirm, actor="staff")
@transaction.atomic
def confirm_decision(*, case: Case, staff) -> Case:
    case, action = _begin(case, "confirm", actor=staff)
    if case.decision == "approve":
        check_approval(case)
    if action.target == PROPOSED:
        return _finalise(case, staff, S.APPROVED if case.decision == "approve" else S.REJECTED)
    return _finalise(case, staff, action.target)


@guarded_by(rules.may_decide, actor="staff")
@transaction.atomic
def send_back(*, case: Case, staff, text: str) -> Case:
    case, action = _begin(case, "send_back", actor=staff, text=text)
    case.decision, case.proposed_by = "", None
    case.save(update_fields=["decision", "proposed_by"])
    _set_status(case, action.target, actor=staff, kind=CaseEvent.Kind.PROPOSAL_SENT_BACK,
                text=text, internal=True)
    record("case.decision_sent_back", actor=staff, target=case,
           data={"reference": case.reference})
    return case


def _finalise(case: Case, staff, status: str) -> Case:
    from .tasks import issue_decision

    case.decided_by, case.decided_at = staff, timezone.now()
    case.save(update_fields=["decided_by", "decided_at"])
    _set_status(case, status, actor=staff, kind=CaseEvent.Kind.STATUS,
                text=case.decision_reason if status == S.REJECTED else "")
    Task.objects.filter(case=case).exclude(status=Task.Status.DONE).update(
        status=Task.Status.DONE, completed_at=timezone.now(), completed_by=staff)
    record("case.decided", actor=staff, target=case,
           data={"reference": case.reference, "decision": case.decision,
                 "proposed_by": case.proposed_by_id, "confirmed_by": staff.pk})
    # In the same transaction: the notice is produced exactly when the decision stands.
    issue_decision.enqueue(authority_id=case.authority_id, case_id=str(case.pk))
    return case


@unguarded("the decision task's own follow-up when the decision could not be carried "
           "out: it acts for the clerk who decided, whose rule was asked then")
@transaction.atomic
def reopen_refused(*, case: Case, refusal: DecisionRefused) -> Case:
    """An approved case whose decision the handler refused to carry out (what it needs
    was taken by another application meanwhile) goes back in review: the decision is
    dropped, the deciding task opens again, and the clerks read why in an internal note.
    The citizen sees only that the case is in review again."""
    case = _locked(case)
    if case.status != S.APPROVED:
        return case
    case.decision, case.proposed_by, case.decided_by, case.decided_at = "", None, None, None
    case.save(update_fields=["decision", "proposed_by", "decided_by", "decided_at"])
    with translation.override(settings.LANGUAGE_CODE):
        note = _("The approval could not be carried out: %(reason)s") % {
            "reason": refusal.message}
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTE, text=note, internal=True)
    _set_status(case, S.IN_REVIEW, actor=None, kind=CaseEvent.Kind.STATUS)
    Task.objects.filter(pk=getattr(_deciding_task(case), "pk", None)).update(
        status=Task.Status.OPEN, completed_at=None, completed_by=None)
    # The reason may name personal data; it stays in the case's history, which is
    # deleted on schedule, not in the audit chain, which is not.
    record("case.decision_refused", target=case, data={"reference": case.reference})
    return case


@guarded_by(rules.may_work_on, actor="staff")
@transaction.atomic
def add_note(*, case: Case, staff, text: str) -> CaseEvent:
    if not text.strip():
        raise TextRequired("note")
    event = CaseEvent.objects.create(case=case, actor=staff, kind=CaseEvent.Kind.NOTE,
                                     text=text, internal=True)
    record("case.note_added", actor=staff, target=case, data={"reference": case.reference})
    return event
