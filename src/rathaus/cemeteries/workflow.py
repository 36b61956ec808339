"""The Friedhofsverwaltung's steps for a burial applied for online: the cases app's
"decision" table with the burial's words. Before approving, the clerk books grave, date
and time on the booking page (`booking_views.py`, linked from the case page through the
decision handler's `prepare`); approving confirms the booked burial and issues the fee
notice (the decision handler in `burial_service.py`), once the handler's check has found
the booking still allowed by the bylaw."""

from django.utils.translation import gettext_lazy as _

from rathaus.cases.workflow import Workflow, relabelled

NAME = "burial_booking"

LABELS = {
    "approve": _("Confirm the burial and issue the fee notice"),
    "reject": _("Refuse the burial"),
}


def register_workflow() -> Workflow:
    return relabelled(NAME, LABELS)
