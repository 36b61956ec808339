"""Applications a portal takes for another authority (Zuständigkeit): a town's portal
offers a service its district performs, and hands the application over, encrypted,
through `rathaus.handover`.

- The town's side, `forward_application`: one transaction that hands the answers and
  the uploads over to the responsible authority, keeps a `ForwardedApplication` (no
  answer in it) and empties the draft. From then on the content is the district's.
- The district's side, `file_received_application`: what a domain's hand-over receiver
  calls to make the received application a case in the district's basket, with its own
  Aktenzeichen, exactly as if it had been sent in the district's own portal.
- Back to the town, `report_status`: each status change the citizen may see goes back
  as a hand-over status event (received, in progress, approved, rejected).
"""

import datetime
import hashlib

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rathaus.accounts.login_levels import LoginLevel
from rathaus.accounts.permissions import guarded_by, unguarded
from rathaus.audit.services import appended_at_the_end, record
from rathaus.authorities.links import portal_url
from rathaus.authorities.models import Authority
from rathaus.authorities.responsibility import (
    NoResponsibleAuthority,
    Responsibility,
    responsible_for,
    responsible_for_address,
)
from rathaus.authorities.tenancy import current_authority
from rathaus.catalog.definitions import ServiceDefinition
from rathaus.forms.conditions import with_derived
from rathaus.forms.engine import missing_answers
from rathaus.forms.housekeeping import release_uploads
from rathaus.forms.models import Draft
from rathaus.handover.models import StatusEvent
from rathaus.handover.receivers import Filed, ReceivedSubmission, SubmissionRefused
from rathaus.handover.services import send_status, send_submission, status_can_go_back
from rathaus.identity.services import applicant_reference, citizen_with_reference
from rathaus.records.services import reserve_file_number

from . import permissions as rules
from .models import Case, CaseEvent, ForwardedApplication
from .submission import Enclosure, complete_uploads, file_case, plan_entry_for
from .submission_steps import SubmissionRefused as SendingRefused


class NotResponsible(Exception):
    """No authority on this instance performs the service for the applicant's address;
    `message` says so in the citizen's words."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@unguarded("reads who performs a service, which is public")
def responsibility(definition: ServiceDefinition, *, answers: dict | None = None
                   ) -> Responsibility:
    """Who performs the service for an applicant of the active authority's portal. For
    a district's service the applicant's address decides (the answer `city`, from the
    ID card), before the answers are known the town's own district. NotResponsible if
    no authority performs it for that address."""
    here = current_authority()
    if definition.performed_by == here.kind:
        return Responsibility(here, here.name)
    city = (answers or {}).get("city", "")
    try:
        if city:
            return responsible_for_address(performed_by=definition.performed_by, city=city)
        return responsible_for(performed_by=definition.performed_by, home=here)
    except NoResponsibleAuthority:
        raise NotResponsible(_(
            "No authority on this portal is responsible for this service at your address "
            "(%(city)s). Please apply to the authority of your place of residence.")
            % {"city": city or here.city}) from None


def _timestamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@guarded_by(rules.may_send_draft, actor="user")
def forward_application(*, user, draft_id, definition: ServiceDefinition,
                        destination: Authority, login_level: LoginLevel) -> ForwardedApplication:
    """Hand the user's draft over to `destination`, which performs the service. Sending
    it again returns the first sending's record. `login_level` is the session's: the
    town vouches for the login it saw."""
    with transaction.atomic(), appended_at_the_end():
        draft = Draft.objects.select_for_update().get(pk=draft_id, user=user)
        if draft.submitted_at:
            return ForwardedApplication.objects.get(draft=draft)
        uploads = complete_uploads(draft, definition)
        reference = applicant_reference(user)
        if reference is None:
            raise SendingRefused(_("This application goes to another authority, which "
                                   "delivers its notice into your mailbox there. Please log "
                                   "in with your online ID card first."))
        now = timezone.now()
        enclosures = [Enclosure.of_upload(upload) for upload in uploads.values()]
        sent = send_submission(
            destination=destination, service_id=definition.id, reference="",
            data={"answers": with_derived(definition, draft.answers),
                  "service_version": definition.version, "submitted_at": _timestamp(now),
                  "applicant": {**reference, "login_level": str(login_level)},
                  "enclosure_fields": [enclosure.field_id for enclosure in enclosures]},
            attachments=[(e.filename, e.media_type, e.content) for e in enclosures])
        forwarded = ForwardedApplication.objects.create(
            applicant=user, draft=draft, service_id=definition.id, submission=sent,
            destination_name=destination.name, submitted_at=now)
        # The content is the destination's now: nothing of it stays in the town.
        draft.answers, draft.locked_fields, draft.submitted_at = {}, [], now
        draft.save(update_fields=["answers", "locked_fields", "submitted_at"])
        release_uploads(uploads.values())
        record("case.forwarded", actor=user, target=forwarded,
               data={"service": definition.id, "destination": destination.slug,
                     "submission_id": str(sent.submission_id)})
    return forwarded


@unguarded("called by a domain's hand-over receiver, in the receiving authority, for a "
           "hand-over that decrypted and matched its hashes; the applicant is the citizen "
           "the sending authority logged in")
def file_received_application(submission: ReceivedSubmission, *,
                              definition: ServiceDefinition) -> tuple[Case, Filed]:
    """The case a handed-over application becomes in the active authority, with the
    receiver's `Filed` for the sender. Receiving the same submission again finds the
    case. `SubmissionRefused` for an application this authority cannot take."""
    existing = Case.objects.filter(handover_submission_id=submission.submission_id).first()
    if existing is not None:
        return existing, _filed(existing)
    data = submission.data
    applicant = citizen_with_reference(data.get("applicant"))
    if applicant is None:
        raise SubmissionRefused("the applicant has no account on this instance")
    _check_login_level(data.get("applicant", {}).get("login_level"), definition)
    answers = data.get("answers")
    if not isinstance(answers, dict):
        raise SubmissionRefused("the data part holds no answers")
    enclosures = _enclosures(submission, definition)
    missing = missing_answers(definition, answers, {e.field_id: e for e in enclosures})
    if missing:
        raise SubmissionRefused("answers missing: " + ", ".join(spec.id for _, spec in missing))
    plan_entry = plan_entry_for(definition)
    file_number = reserve_file_number(plan_code=plan_entry.code,
                                      key=_reservation_key(submission.submission_id))
    case = file_case(applicant=applicant, definition=definition,
                     answers=with_derived(definition, answers), enclosures=enclosures,
                     plan_entry=plan_entry, file_number=file_number,
                     submitted_at=submission.created_at,
                     handover_submission_id=submission.submission_id)
    with translation.override("de"):
        CaseEvent.objects.create(
            case=case, kind=CaseEvent.Kind.NOTE, internal=True,
            text=_("Received from the portal of %(sender)s, encrypted (hand-over %(id)s).")
            % {"sender": submission.sender.get("name") or submission.sender.get("slug"),
               "id": submission.submission_id})
    return case, _filed(case)


@unguarded("called by a domain's preparation before receiving a hand-over, in the "
           "receiving authority; sets a number aside and shows nothing")
def reserve_case_number(submission_id, *, definition: ServiceDefinition) -> None:
    """Set the Aktenzeichen of the case a waiting hand-over will become aside, in a
    short transaction of its own (`handover.receivers.before_receiving`). A hand-over
    refused later leaves its number unused."""
    # The code is enough to set a number aside; the receiving makes the entry if the
    # service files under it for the first time.
    reserve_file_number(plan_code=definition.file_plan["code"],
                        key=_reservation_key(submission_id))


def _reservation_key(submission_id) -> str:
    return f"handover:{submission_id}"


def _check_login_level(level, definition: ServiceDefinition) -> None:
    try:
        vouched = LoginLevel(level)
    except ValueError:
        raise SubmissionRefused("the sender names no login level") from None
    if not vouched.satisfies(LoginLevel(definition.minimum_login_level)):
        raise SubmissionRefused(f"login level {vouched} is below the service's "
                                f"{definition.minimum_login_level}")


def _enclosures(submission: ReceivedSubmission, definition) -> list[Enclosure]:
    fields = submission.data.get("enclosure_fields", [])
    if not isinstance(fields, list) or len(fields) != len(submission.attachments):
        raise SubmissionRefused("the enclosures do not match their fields")
    enclosures = []
    for field_id, attachment in zip(fields, submission.attachments, strict=True):
        spec = definition.fields.get(field_id) if isinstance(field_id, str) else None
        if spec is None or spec.type != "file":
            raise SubmissionRefused(f"no upload field {field_id!r} in the service")
        enclosures.append(Enclosure(
            field_id=field_id, filename=attachment.filename[:255] or field_id,
            media_type=attachment.media_type, content=attachment.content,
            sha256=hashlib.sha256(attachment.content).hexdigest()))
    return enclosures


def _filed(case: Case) -> Filed:
    return Filed(reference=case.reference,
                 url=portal_url(reverse("portal:case", kwargs={"case_id": case.pk})))


# What the citizen may see of a case's status, as a hand-over status; statuses only
# staff see (a proposal awaiting confirmation) send nothing.
_SENT_BACK = {
    Case.Status.SUBMITTED: StatusEvent.Status.IN_PROGRESS,  # after an answer was given
    Case.Status.IN_REVIEW: StatusEvent.Status.IN_PROGRESS,
    Case.Status.WAITING: StatusEvent.Status.IN_PROGRESS,
    Case.Status.APPROVED: StatusEvent.Status.APPROVED,
    Case.Status.REJECTED: StatusEvent.Status.REJECTED,
}


def _status_text(status: str) -> str:
    with translation.override("de"):
        if status == Case.Status.WAITING:
            return _("The authority has a question. Please answer it on the page of your "
                     "application there.")
        if status in (Case.Status.APPROVED, Case.Status.REJECTED):
            return _("The notice is in your mailbox there.")
        return ""


@unguarded("called by the guarded case actions, inside their transaction")
def report_status(*, case: Case, status: str) -> None:
    """Tell the authority whose portal took the case how it stands, if it came by
    hand-over from an authority on this instance. Content stays here: the event says
    the status and, where the citizen must act, where."""
    if case.handover_submission_id is None or status not in _SENT_BACK:
        return
    if not status_can_go_back(submission_id=case.handover_submission_id):
        return
    send_status(submission_id=case.handover_submission_id, status=_SENT_BACK[status],
                text=_status_text(status))
