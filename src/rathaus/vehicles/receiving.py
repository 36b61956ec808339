"""How a registration reaches the district's office: sent in the district's own portal,
or handed over, encrypted, from a town's portal (`rathaus.handover`). Either way it
becomes a case with its Aktenzeichen, and a chosen plate is reserved for that case."""

from django.utils import translation
from django.utils.translation import gettext as _

from rathaus.authorities.tenancy import current_authority
from rathaus.cases.forwarding import file_received_application, reserve_case_number
from rathaus.cases.models import CaseEvent
from rathaus.cases.submission_steps import SubmissionRefused, submission_step
from rathaus.catalog.registry import definition
from rathaus.handover.receivers import (
    Filed,
    ReceivedSubmission,
    before_receiving,
    submission_receiver,
)

from .field_types import DISTINGUISHING_SIGNS
from .identifiers import InvalidIdentifier, parse_plate
from .plates import PlateTaken, reserve_plate

SERVICE_ID = "fahrzeugzulassung"


@submission_receiver(SERVICE_ID)
def receive_registration(submission: ReceivedSubmission) -> Filed:
    _case, filed = file_received_application(submission, definition=definition(SERVICE_ID))
    return filed


@before_receiving(SERVICE_ID)
def reserve_registration_number(submission_id) -> None:
    reserve_case_number(submission_id, definition=definition(SERVICE_ID))


@submission_step("vehicles.reserve_chosen_plate")
def reserve_chosen_plate(*, case, definition, answers) -> None:
    """Hold the chosen plate for the case for 90 days. Taken since the form checked it:
    the citizen choosing in this portal picks another; for a hand-over, whose citizen is
    not here, the clerk reads why and asks for another one."""
    if definition.id != SERVICE_ID or answers.get("plate_choice") != "chosen":
        return
    sign = DISTINGUISHING_SIGNS.get(current_authority().municipality_key, "")
    try:
        reserve_plate(parse_plate(answers.get("plate", ""), sign=sign),
                      reference=case.reference)
    except (PlateTaken, InvalidIdentifier):
        if case.handover_submission_id is None:
            raise SubmissionRefused(
                _("The chosen plate %(plate)s was taken a moment ago. Please choose "
                  "another one.") % {"plate": answers.get("plate", "")},
                step_id="plate") from None
        with translation.override("de"):
            CaseEvent.objects.create(
                case=case, kind=CaseEvent.Kind.NOTE, internal=True,
                text=_("The chosen plate %(plate)s could not be reserved: it is taken or "
                       "not valid here. Please ask the applicant for another one.")
                % {"plate": answers.get("plate", "")})
