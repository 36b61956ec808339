"""The staff's case view: the application, every document, the history, notes, and
the actions the workflow allows."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from rathaus.accounts.access import staff_required
from rathaus.audit.services import record_access
from rathaus.cases import actions
from rathaus.cases.decisions import handler_for
from rathaus.cases.selectors import case_documents, case_for_department, case_history
from rathaus.cases.workflow import ACTIONS, NotAllowed, actions_for_staff
from rathaus.catalog.registry import definition
from rathaus.forms.engine import summary_rows
from rathaus.records.responses import document_response

from .views import _active_membership


class ActionForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Text"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _case_or_404(request, case_id):
    membership = _active_membership(request)
    found = case_for_department(case_id=case_id, department=membership.department)
    if found is None:
        raise Http404
    case, task = found
    return membership, case, task


@staff_required
def case_view(request, case_id):
    membership, case, task = _case_or_404(request, case_id)
    service = definition(case.service_id)
    is_decider = _is_decider(case, task)
    record_access(staff=request.user, citizen=case.applicant,
                  what=f"Vorgang {case.reference}", target=case)
    handler = handler_for(case.service_id)
    open_case = case.status not in (case.Status.APPROVED, case.Status.REJECTED)
    return render(request, "office/case.html", {
        "case": case, "task": task, "membership": membership, "d": service,
        "preview": handler.preview(case) if open_case and handler and handler.preview else [],
        "sections": list(summary_rows(service, case.answers, {})) if service else [],
        "documents": case_documents(case=case), "history": case_history(case=case),
        "actions": actions_for_staff(case, is_decider=is_decider),
        "can_complete_task": not is_decider and task.status != task.Status.DONE,
        "form": ActionForm(),
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
        _run(action, case=case, task=task, staff=request.user, text=text)
    except NotAllowed:
        messages.error(request, _("This step is not possible in the case's current state."))
    except actions.OpenTasksRemain:
        messages.error(request, _("Another department has not finished its task yet."))
    except actions.SecondPersonRequired:
        messages.error(request, _("A second person must confirm your own proposal."))
    except _TextMissing:
        messages.error(request, _("Please write a text for this step."))
    else:
        messages.success(request, _("Done."))
    return redirect("office:case", case_id=case.pk)


class _TextMissing(Exception):
    pass


# The decider's workflow actions; the table in cases/workflow.py says when each is allowed.
DECIDER_ACTIONS = {
    "request_information": lambda case, staff, text: actions.request_information(
        case=case, staff=staff, text=text),
    "approve": lambda case, staff, text: actions.propose_decision(
        case=case, staff=staff, decision="approve", reason=text),
    "reject": lambda case, staff, text: actions.propose_decision(
        case=case, staff=staff, decision="reject", reason=text),
    "confirm": lambda case, staff, text: actions.confirm_decision(case=case, staff=staff),
    "send_back": lambda case, staff, text: actions.send_back(case=case, staff=staff, text=text),
}


def _run(action, *, case, task, staff, text):
    decider = _is_decider(case, task)
    if action == "note":
        if not text:
            raise _TextMissing
        actions.add_note(case=case, staff=staff, text=text)
    elif action == "complete_task":
        if decider:
            raise NotAllowed(action)
        actions.complete_task(task=task, staff=staff, note=text)
    else:
        spec = ACTIONS.get(action)
        if spec is None or action not in DECIDER_ACTIONS or not decider:
            raise NotAllowed(action)
        if spec.needs_text and not text:
            raise _TextMissing
        DECIDER_ACTIONS[action](case, staff, text)


def _is_decider(case, task) -> bool:
    service = definition(case.service_id)
    return any(t.decides and t.id == task.workflow_task for t in service.tasks)


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
