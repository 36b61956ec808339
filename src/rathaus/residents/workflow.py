"""The Bürgerbüro's steps for a registration of residence: the cases app's "decision"
table with the register's words. Approving enters the move in the register (the
decision handler in `registration.py`); the landlord's confirmation is a task of its
own (rathaus.confirmations), so approving waits for it like for any open task."""

from django.utils.translation import gettext_lazy as _

from rathaus.cases.workflow import Workflow, relabelled

NAME = "residence_registration"

LABELS = {
    "approve": _("Enter in the resident register"),
    "reject": _("Refuse the registration"),
}


def register_workflow() -> Workflow:
    return relabelled(NAME, LABELS)
