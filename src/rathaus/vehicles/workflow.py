"""The Straßenverkehrsamt's steps for a vehicle registration: the cases app's "decision"
table with the registration's words. Approving assigns the plate, enters the vehicle in
the register and issues the notices (the decision handler in `registration.py`), once
the handler's check has found the vehicle and the plate still available."""

from django.utils.translation import gettext_lazy as _

from rathaus.cases.workflow import Workflow, relabelled

NAME = "vehicle_registration"

LABELS = {
    "approve": _("Register the vehicle and assign the plate"),
    "reject": _("Refuse the vehicle registration"),
}


def register_workflow() -> Workflow:
    return relabelled(NAME, LABELS)
