"""The staff's case view: the application, every document, the history, notes, and
the steps the workflow allows, each in its own section (see case_steps.py)."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from rathaus.accounts.access import staff_required
from rathaus.accounts.firm_access import firm_of_applicant
from rathaus.accounts.permissions import NotPermitted, allows
from rathaus.audit.services import record_access
from rathaus.cases import actions, assignment, wording
from rathaus.cases import permissions as rules
from rathaus.cases.decisions import handler_for
from rathaus.cases.selectors import (
    case_documents,
    case_for_department,
    departments_of_staff_on_case,
    tasks_of_case,
)
from rathaus.cases.workflow import NotAllowed, TextRequired, take
from rathaus.catalog.registry import definition
from rathaus.confirmations.selectors import confirmation_for_case
from rathaus.forms.engine import summary_rows
from rathaus.records import permissions as records_rules
from rathaus.records.responses import document_response

from . import outcomes
from .case_steps import ASK, CONFIRM, DECIDE, OTHER, steps_by_section, text_missing
from .departments import active_membership


class ActionForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Text"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _case_or_404(request, case_id):
    membership = active_membership(request)
    found = case_for_department(case_id=case_id, department=membership.department)
    if found is None:
        raise Http404
    case, task = found
    return membership, case, task


@staff_required
def case_view(request, case_id):
    membership = active_membership(request)
    found = case_for_department(case_id=case_id, department=membership.department)
    if found is None:
        return _in_another_department(request, case_id)
    case, task = found
    service = definition(case.service_id)
    record_access(staff=request.user, citizen=case.applicant,
                  what=f"Vorgang {case.reference}", target=case)
    steps = steps_by_section(case, staff=request.user)
    deciding = task.workflow_task == rules.deciding_task_id(case)
    task_open = task.status != task.Status.DONE
    open_case = case.status not in (case.Status.APPROVED, case.Status.REJECTED)
    handler = handler_for(case.service_id)
    # The deciding department follows the tasks it handed to the others.
    other_tasks = [t for t in tasks_of_case(case=case) if t.pk != task.pk] if deciding else []
    return render(request, "office/case.html", {
        "case": case, "task": task, "membership": membership, "d": service,
        "applicant_firm": firm_of_applicant(user=case.applicant),
        "status": wording.status_label(case.status, audience=wording.STAFF),
        "preview": handler.preview(case) if open_case and handler and handler.preview else [],
        # The service's own page where the decision is prepared (a burial's booking).
        "prepare": (handler.prepare(case) if deciding and open_case and handler
                    and handler.prepare else None),
        "sections": list(summary_rows(service, case.answers, {})) if service else [],
        "documents": case_documents(case=case),
        "confirmation": confirmation_for_case(case=case),
        "history": wording.history(case, audience=wording.STAFF),
        "ask": steps[ASK], "decide": steps[DECIDE], "confirm": steps[CONFIRM],
        "other_steps": steps[OTHER],
        "four_eyes": any(s.action.target == case.Status.AWAITING_CONFIRMATION
                         for s in steps[DECIDE]),
        "deciding": deciding,
        "other_tasks": other_tasks,
        "open_other_tasks": [t for t in other_tasks if t.status != t.Status.DONE],
        "own_proposal": case.proposed_by_id == request.user.pk,
        "can_complete_task": (not deciding and task_open
                              and allows(rules.may_complete_task, request.user, task=task)),
        "may_assign": task_open and allows(rules.may_complete_task, request.user, task=task),
        "overdue_days": ((timezone.localdate() - task.due_date).days
                         if task_open and task.due_date
                         and task.due_date < timezone.localdate() else 0),
        "form": ActionForm(),
        "may_open_file": allows(records_rules.may_read_file, request.user,
                                case_file=case.case_file),
    })


def _in_another_department(request, case_id):
    """A case of another of the clerk's departments (a link from a colleague, an
    e-mail): a page that offers the switch. For anyone else the same 404 as for a case
    that does not exist, so the page tells nothing about cases one may not see."""
    departments = departments_of_staff_on_case(case_id=case_id, staff=request.user)
    if not departments:
        raise Http404
    case, _task = case_for_department(case_id=case_id, department=departments[0])
    service = definition(case.service_id)
    return render(request, "office/case_elsewhere.html", {
        "case": case, "d": service, "departments": departments,
        "current": active_membership(request).department,
    })


@staff_required
@require_POST
def case_action(request, case_id, action):
    _membership, case, task = _case_or_404(request, case_id)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The text is too long."))
        return redirect("office:case", case_id=case.pk)
    text = form.cleaned_data["text"].strip()
    try:
        result = _run(action, case=case, task=task, staff=request.user, text=text)
    except NotAllowed:
        messages.error(request, outcomes.not_allowed(action))
    except actions.OpenTasksRemain as refusal:
        messages.error(request, outcomes.open_tasks_refusal(refusal.tasks))
    except actions.DecisionRefused as refusal:
        messages.error(request, refusal.message)
    except actions.SecondPersonRequired:
        messages.error(request, _("A second person must confirm your own proposal."))
    except NotPermitted:
        messages.error(request, _("You may not take this step on this case."))
    except TextRequired:
        messages.error(request, text_missing(action))
    else:
        messages.success(request, outcomes.after(action, result))
    return redirect("office:case", case_id=case.pk)


# Steps that do not change the case's status, so no workflow table has them. Every other
# step is an action of the case's workflow, taken through the service the table names.
STEPS_OUTSIDE_THE_TABLE = {
    "note": lambda case, task, staff, text: actions.add_note(case=case, staff=staff, text=text),
    "complete_task": lambda case, task, staff, text: actions.complete_task(
        task=task, staff=staff, note=text),
    "take_task": lambda case, task, staff, text: assignment.take_task(task=task, staff=staff),
    "give_back_task": lambda case, task, staff, text: assignment.give_back_task(
        task=task, staff=staff),
}


def _run(action, *, case, task, staff, text):
    step = STEPS_OUTSIDE_THE_TABLE.get(action)
    if step is not None:
        return step(case, task, staff, text)
    return take(case, action, actor=staff, text=text)


@staff_required
@xframe_options_sameorigin
def case_document(request, case_id, version_id):
    _membership, case, _task = _case_or_404(request, case_id)
    versions = (v for _document, v in case_documents(case=case) if v is not None)
    version = next((v for v in versions if v.uuid == version_id), None)
    if version is None:
        raise Http404
    response = document_response(version, as_attachment="download" in request.GET)
    if "Content-Security-Policy" in response:
        # Shown inside the case page of this site, and nowhere else.
        response["Content-Security-Policy"] += "; frame-ancestors 'self'"
    return response
