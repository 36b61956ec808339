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
from rathaus.accounts.permissions import NotPermitted, allows
from rathaus.audit.services import record_access
from rathaus.cases import actions
from rathaus.cases import permissions as rules
from rathaus.cases.decisions import handler_for
from rathaus.cases.selectors import case_documents, case_for_department, case_history
from rathaus.cases.workflow import NotAllowed, TextRequired, actions_for_staff, take
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
    record_access(staff=request.user, citizen=case.applicant,
                  what=f"Vorgang {case.reference}", target=case)
    handler = handler_for(case.service_id)
    open_case = case.status not in (case.Status.APPROVED, case.Status.REJECTED)
    return render(request, "office/case.html", {
        "case": case, "task": task, "membership": membership, "d": service,
        "preview": handler.preview(case) if open_case and handler and handler.preview else [],
        "sections": list(summary_rows(service, case.answers, {})) if service else [],
        "documents": case_documents(case=case), "history": case_history(case=case),
        "actions": actions_for_staff(case, staff=request.user),
        "can_complete_task": (task.workflow_task != rules.deciding_task_id(case)
                              and task.status != task.Status.DONE
                              and allows(rules.may_complete_task, request.user, task=task)),
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
    except NotPermitted:
        messages.error(request, _("You may not take this step on this case."))
    except TextRequired:
        messages.error(request, _("Please write a text for this step."))
    else:
        messages.success(request, _("Done."))
    return redirect("office:case", case_id=case.pk)


# Steps that do not change the case's status, so no workflow table has them. Every other
# step is an action of the case's workflow, taken through the service the table names.
STEPS_OUTSIDE_THE_TABLE = {
    "note": lambda case, task, staff, text: actions.add_note(case=case, staff=staff, text=text),
    "complete_task": lambda case, task, staff, text: actions.complete_task(
        task=task, staff=staff, note=text),
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
