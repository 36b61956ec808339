"""Failed background work of the authority, and sending it off again; hand-overs from
other authorities that could not be received. For team leads and administrators: they
can see to the cause (a bylaw, the mail server) first."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rathaus.accounts.access import staff_required
from rathaus.accounts.permissions import allows
from rathaus.background import failures
from rathaus.background import permissions as rules
from rathaus.handover import selectors as handover


def may_manage_background_work(request) -> bool:
    return allows(rules.may_manage, request.user)


def _require_role(request) -> None:
    if not may_manage_background_work(request):
        raise Http404


@staff_required
def failed_tasks(request):
    _require_role(request)
    return render(request, "office/failed_tasks.html", {
        "failed": failures.failed_tasks(authority=request.authority),
        "failed_handovers": handover.failed_submissions(),
    })


@staff_required
@require_POST
def retry_task(request, task_id):
    _require_role(request)
    if failures.retry(task_id=str(task_id), authority=request.authority, actor=request.user):
        messages.success(request, _("The task is queued again and will run in a moment."))
    else:
        messages.error(request, _("This task is no longer waiting for a retry."))
    return redirect("office:failed_tasks")
