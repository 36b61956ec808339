"""The monthly sheet as the employee downloads it. The sheet holds clock times, so
only the employee reads it: for the team lead, HR and everybody else it is not found."""

from django.http import Http404
from django.views.decorators.http import require_safe

from rathaus.accounts.access import staff_required
from rathaus.records.responses import stored_content_response

from . import sheets
from .models import MonthClosing
from .selectors import employee_of


@staff_required
@require_safe
def sheet(request, closing_id: int):
    employee = employee_of(request.user)
    closing = (MonthClosing.objects.filter(pk=closing_id, employee=employee).first()
               if employee is not None else None)
    if closing is None or not closing.sheet_blob:
        raise Http404
    return stored_content_response(storage_name=closing.sheet_blob, sha256=closing.sheet_sha256,
                                   media_type="application/pdf",
                                   filename=sheets.filename(closing), as_attachment=True)
