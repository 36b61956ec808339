"""What staff and citizens do with a case. Each function is one transaction that
checks the workflow table, writes the history and the audit entry, and enqueues the
follow-up work."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from rathaus.audit.services import record
from rathaus.authorities.links import portal_url
from rathaus.catalog.registry import definition
from rathaus.mailbox.services import deliver_message
from rathaus.records.services import add_document

from .models import Case, CaseEvent, Task
from .workflow import NotAllowed, allowed

S = Case.Status


class OpenTasksRemain(Exception):
    """Another department has not finished its part yet."""


class SecondPersonRequired(Exception):
    """Four eyes: the person who proposed a decision cannot confirm it."""


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _deciding_task(case: Case) -> Task | None:
    service = definition(case.service_id)
    deciding = next((t.id for t in service.tasks if t.decides), None) if service else None
    return Task.objects.filter(case=case, workflow_task=deciding).first()


def _set_status(case: Case, status: str, *, actor, kind, text="", internal=False):
    case.status = status
    case.save(update_fields=["status"])
    CaseEvent.objects.create(case=case, actor=actor, kind=kind, status=status, text=text,
                             internal=internal)


def _case_link(case: Case) -> str:
    return portal_url(reverse("portal:case", kwargs={"case_id": case.pk}))


@transaction.atomic
def request_information(*, case: Case, staff, text: str) -> Case:
    case = _locked(case)
    allowed(case, "request_information")
    _set_status(case, S.WAITING, actor=staff, kind=CaseEvent.Kind.INFORMATION_REQUESTED,
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


@transaction.atomic
def give_information(*, case: Case, citizen, text: str, files=()) -> Case:
    """The citizen's answer: text and files go into the eAkte, the case moves on."""
    case = _locked(case)
    allowed(case, "give_information")
    for upload in files:
        add_document(case_file=case.case_file, title=f"Nachgereicht: {upload.filename}",
                     kind="upload", content=upload.content, media_type=upload.media_type,
                     filename=upload.filename, created_by=citizen)
    summary = text + (f" ({len(files)} Datei(en))" if files else "")
    _set_status(case, S.IN_REVIEW, actor=citizen, kind=CaseEvent.Kind.INFORMATION_GIVEN,
                text=summary)
    Task.objects.filter(case=case, status=Task.Status.WAITING).update(status=Task.Status.OPEN)
    record("case.information_given", actor=citizen, target=case,
           data={"reference": case.reference, "files": len(files)})
    return case


@transaction.atomic
def complete_task(*, task: Task, staff, note: str = "") -> Task:
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status == Task.Status.DONE:
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


@transaction.atomic
def propose_decision(*, case: Case, staff, decision: str, reason: str = "") -> Case:
    case = _locked(case)
    allowed(case, decision)
    if decision == "approve" and Task.objects.filter(case=case).exclude(
            status=Task.Status.DONE).exclude(pk=_deciding_task(case).pk).exists():
        raise OpenTasksRemain(case.reference)
    case.decision, case.decision_reason, case.proposed_by = decision, reason, staff
    case.save(update_fields=["decision", "decision_reason", "proposed_by"])
    service = definition(case.service_id)
    if service and service.four_eyes:
        _set_status(case, S.AWAITING_CONFIRMATION, actor=staff, kind=CaseEvent.Kind.STATUS,
                    text=reason, internal=True)
        record("case.decision_proposed", actor=staff, target=case,
               data={"reference": case.reference, "decision": decision})
        return case
    return _finalise(case, staff)


@transaction.atomic
def confirm_decision(*, case: Case, staff) -> Case:
    case = _locked(case)
    allowed(case, "confirm")
    if case.proposed_by_id == staff.pk:
        raise SecondPersonRequired(case.reference)
    return _finalise(case, staff)


@transaction.atomic
def send_back(*, case: Case, staff, text: str) -> Case:
    case = _locked(case)
    allowed(case, "send_back")
    case.decision, case.proposed_by = "", None
    case.save(update_fields=["decision", "proposed_by"])
    _set_status(case, S.IN_REVIEW, actor=staff, kind=CaseEvent.Kind.NOTE, text=text,
                internal=True)
    record("case.decision_sent_back", actor=staff, target=case,
           data={"reference": case.reference})
    return case


def _finalise(case: Case, staff) -> Case:
    from .tasks import issue_decision

    case.decided_by, case.decided_at = staff, timezone.now()
    case.save(update_fields=["decided_by", "decided_at"])
    status = S.APPROVED if case.decision == "approve" else S.REJECTED
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


@transaction.atomic
def add_note(*, case: Case, staff, text: str) -> CaseEvent:
    event = CaseEvent.objects.create(case=case, actor=staff, kind=CaseEvent.Kind.NOTE,
                                     text=text, internal=True)
    record("case.note_added", actor=staff, target=case, data={"reference": case.reference})
    return event
