"""What happens to a third party's confirmation: asked for when an application is sent
(link), given or refused by the party through the link, issued first as a code and taken
by an application, reminded and expired by the housekeeping.

Each service is one transaction that also writes the case's history, the audit entry and
the e-mail or mailbox message it causes. The party has no account: the secret from the
e-mail (or the code on paper) is the permission, which is why those services are
`unguarded`."""

import datetime
import json
from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from rathaus.accounts.permissions import unguarded
from rathaus.audit.services import appended_at_the_end, record
from rathaus.authorities.links import portal_url
from rathaus.authorities.models import Department
from rathaus.cases.models import Case, CaseEvent, Task
from rathaus.cases.submission_steps import SubmissionRefused
from rathaus.catalog.definitions import ServiceDefinition
from rathaus.catalog.registry import definition as definition_of
from rathaus.mailbox.services import deliver_message
from rathaus.outbound_email import queue_email
from rathaus.records.services import add_document

from .answers import answer_rows, differences, shown_rows
from .models import Confirmation
from .tokens import code_display, code_hash, new_code, new_token, normalise_code, token_hash

LINK, CODE = Confirmation.Mode.LINK, Confirmation.Mode.CODE
S = Confirmation.Status


class LinkNotValid(Exception):
    """The token opens nothing (any more): wrong, changed, expired, used. Which of these
    is never told, to the party or anyone guessing."""


@dataclass(frozen=True)
class IssuedCode:
    confirmation: Confirmation
    code: str  # shown once to the party, never stored


def _german_date(moment: datetime.datetime | datetime.date) -> str:
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "d.m.Y")


def _deciding_department(definition: ServiceDefinition) -> Department:
    task = next(t for t in definition.tasks if t.decides)
    return Department.objects.get(slug=task.department)


def _json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode()


# --- Sending the application --------------------------------------------------------

@unguarded("a step of submit_application, which asked its rule: runs in its transaction")
def on_submission(*, case: Case, definition: ServiceDefinition, answers: dict,
                  now: datetime.datetime | None = None) -> Confirmation | None:
    """Ask the party by link, or take the code the party issued; nothing when the
    applicant needs nobody's confirmation (mode "self") or the service has none."""
    spec = definition.third_party_confirmation
    if spec is None:
        return None
    mode = answers.get(spec.mode_field)
    now = now or timezone.now()
    if mode == LINK:
        return _request_by_link(case=case, definition=definition, answers=answers, now=now)
    if mode == CODE:
        return _take_code(case=case, definition=definition, answers=answers, now=now)
    return None


def _new_task(*, case: Case, definition: ServiceDefinition, due: datetime.date,
              done_at: datetime.datetime | None = None) -> Task:
    spec = definition.third_party_confirmation
    return Task.objects.create(
        department=_deciding_department(definition), case=case, workflow_task=spec.task_id,
        title=spec.task_title["de"], reference=case.reference, due_date=due,
        status=Task.Status.DONE if done_at else Task.Status.OPEN, completed_at=done_at,
    )


def _request_by_link(*, case, definition, answers, now) -> Confirmation:
    spec = definition.third_party_confirmation
    token = new_token()
    expires = now + datetime.timedelta(days=spec.valid_days)
    confirmation = Confirmation.objects.create(
        service_id=definition.id, case=case, mode=LINK,
        party_name=answers.get(spec.name_field) or "", party_email=answers[spec.email_field],
        secret_hash=token_hash(token), requested_at=now, expires_at=expires,
        task=_new_task(case=case, definition=definition,
                       due=timezone.localtime(expires).date()),
    )
    CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.NOTE, internal=True,
        text=f"{spec.title['de']}: per E-Mail bei {confirmation.party_name} "
             f"<{confirmation.party_email}> angefragt, gültig bis {_german_date(expires)}.")
    _send_request_email(confirmation=confirmation, definition=definition, token=token)
    record("confirmation.requested", target=case,
           data={"reference": case.reference, "confirmation": str(confirmation.pk)})
    return confirmation


def _send_request_email(*, confirmation: Confirmation, definition: ServiceDefinition,
                        token: str, reminder: bool = False) -> None:
    """German, as every letter of the authority; enqueued in the caller's transaction."""
    spec = definition.third_party_confirmation
    with translation.override("de"):
        body = render_to_string("confirmations/email/request.txt", {
            "party_name": confirmation.party_name,
            "party": spec.party["de"],
            "shown": ", ".join(dict.fromkeys(
                label for label, _ in shown_rows(definition, confirmation.case.answers))),
            "applicant": confirmation.case.applicant.full_name,
            "service_title": definition.title["de"],
            "title": spec.title["de"],
            "legal_basis": spec.legal_basis["de"],
            "authority": confirmation.authority.name,
            "link": portal_url(reverse("confirmations:request", args=[token]),
                               confirmation.authority),
            "until": _german_date(confirmation.expires_at),
            "requested": _german_date(confirmation.requested_at),
            "reminder": reminder,
        })
        subject = (gettext("Reminder: %(title)s for %(name)s") if reminder
                   else gettext("%(title)s requested for %(name)s")) % {
            "title": spec.title["de"], "name": confirmation.case.applicant.full_name}
    queue_email(to=confirmation.party_email, subject=subject, body=body)


def _code_step(definition: ServiceDefinition) -> str:
    code_field = definition.third_party_confirmation.code_field
    return next(s.id for s in definition.steps if any(f.id == code_field for f in s.fields))


def _take_code(*, case, definition, answers, now) -> Confirmation:
    """The code's confirmation joins the case and is spent; the waiting task is made
    done at once, as the party has already confirmed."""
    spec = definition.third_party_confirmation
    plain = normalise_code(answers.get(spec.code_field) or "", spec.code_prefix)
    confirmation = (Confirmation.objects.select_for_update(of=("self",))
                    .filter(secret_hash=code_hash(plain), mode=CODE,
                            service_id=definition.id).first()) if plain else None
    if (confirmation is None or confirmation.status != S.CONFIRMED
            or confirmation.used_at or confirmation.expires_at <= now):
        # Checked when it was entered; used by another application or expired since.
        raise SubmissionRefused(gettext(
            "The confirmation code is no longer valid: it has been used for another "
            "application or has expired. Please ask for a new code, or choose to have us "
            "ask by e-mail."), step_id=_code_step(definition))
    confirmation.case, confirmation.used_at = case, now
    confirmation.task = _new_task(case=case, definition=definition,
                                  due=timezone.localtime(now).date(), done_at=now)
    confirmation.save(update_fields=["case", "used_at", "task"])
    _file_document(confirmation=confirmation, definition=definition,
                   answers=confirmation.party_answers, fields=spec.issue_fields)
    text = (f"{spec.title['de']}: Bestätigungscode von {confirmation.party_name} "
            f"vom {_german_date(confirmation.answered_at)} übernommen.")
    with translation.override("de"):
        found = differences(definition, case.answers, confirmation.party_answers)
    if found:
        text += " Abweichungen: " + "; ".join(
            f"{label}: Antrag „{ours}“, Bestätigung „{theirs}“" for label, ours, theirs in found)
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.TASK_DONE, internal=True,
                             text=text)
    record("confirmation.code_taken", target=case,
           data={"reference": case.reference, "confirmation": str(confirmation.pk),
                 "differences": len(found)})
    return confirmation


def _file_document(*, confirmation: Confirmation, definition: ServiceDefinition,
                   answers: dict, fields) -> None:
    """The confirmation as the eAkte keeps it: German, with the statement the party
    made and what they saw and said."""
    spec = definition.third_party_confirmation
    case = confirmation.case
    with translation.override("de"):
        content = {
            "titel": spec.title["de"],
            "rechtsgrundlage": spec.legal_basis["de"],
            "aktenzeichen": case.reference,
            "art": confirmation.get_mode_display(),
            "bestaetigt_von": confirmation.party_name,
            "e_mail": confirmation.party_email,
            "bestaetigt_am": timezone.localtime(confirmation.answered_at).isoformat(),
            "erklaerung": " ".join(spec.statement["de"].split()),
            "angaben_der_bestaetigenden_person": dict(answer_rows(fields, answers)),
        }
        if confirmation.mode == LINK:
            content["gezeigte_angaben_des_antrags"] = dict(shown_rows(definition, case.answers))
    add_document(case_file=case.case_file, title=spec.title["de"], kind="correspondence",
                 content=_json(content), media_type="application/json",
                 filename=f"bestaetigung-{case.reference}.json".replace("/", "-"))


# --- The party's link ---------------------------------------------------------------

def _open_request(token: str, now: datetime.datetime) -> Confirmation:
    confirmation = (Confirmation.objects.select_for_update(of=("self",))
                    .select_related("case", "case__applicant", "case__case_file")
                    .filter(secret_hash=token_hash(token or ""), mode=LINK).first())
    if (confirmation is None or confirmation.status != S.REQUESTED or confirmation.used_at
            or confirmation.expires_at <= now or confirmation.case is None
            or definition_of(confirmation.service_id) is None):
        raise LinkNotValid
    return confirmation


def _confirm_opened(opened: Confirmation, *, token: str, party_answers: dict,
                    now: datetime.datetime) -> Confirmation:
    """Confirm the request the party's page read a moment ago (`selectors.open_request`)
    with one conditional update, checked by the token once more: meanwhile another tab
    may have answered it, or the reminder replaced its link. A second answer at the same
    moment waits for this one's commit and then finds the request answered. The rest of
    the page's read (its case and task, the party's name and address) never changes
    once requested."""
    if opened.case_id is None or definition_of(opened.service_id) is None:
        raise LinkNotValid
    spent = (Confirmation.objects
             .filter(pk=opened.pk, secret_hash=token_hash(token or ""), mode=LINK,
                     status=S.REQUESTED, used_at__isnull=True, expires_at__gt=now)
             .update(status=S.CONFIRMED, party_answers=party_answers, answered_at=now,
                     used_at=now))
    if not spent:
        raise LinkNotValid
    opened.status, opened.party_answers = S.CONFIRMED, party_answers
    opened.answered_at = opened.used_at = now
    return opened


@unguarded("the party has no account: the one-time token from the e-mail is the permission")
@transaction.atomic
def confirm(*, token: str, party_answers: dict, now: datetime.datetime | None = None,
            opened: Confirmation | None = None) -> Confirmation:
    """The party confirms: the case's waiting task is done, the confirmation goes into
    the eAkte, the link is spent.

    `opened`: the confirmation as `selectors.open_request` found it for this token, when
    the caller has it (the party's page): it is then checked again and spent in one
    update, without reading it and its case a second time. The token is checked either
    way."""
    now = now or timezone.now()
    # The eAkte's and the confirmation's audit entries are appended together at the
    # end: the authority's chain head stays locked for the commit only, not while the
    # document is written, and one append instead of two.
    with appended_at_the_end():
        return _confirm(token=token, party_answers=party_answers, now=now, opened=opened)


def _confirm(*, token: str, party_answers: dict, now: datetime.datetime,
             opened: Confirmation | None) -> Confirmation:
    if opened is None:
        confirmation = _open_request(token, now)
        confirmation.status, confirmation.party_answers = S.CONFIRMED, party_answers
        confirmation.answered_at = confirmation.used_at = now
        confirmation.save(update_fields=["status", "party_answers", "answered_at", "used_at"])
    else:
        confirmation = _confirm_opened(opened, token=token, party_answers=party_answers,
                                       now=now)
    definition = definition_of(confirmation.service_id)
    spec = definition.third_party_confirmation
    if confirmation.task_id is not None:  # done unless a clerk has done it already
        Task.objects.filter(pk=confirmation.task_id).exclude(status=Task.Status.DONE).update(
            status=Task.Status.DONE, completed_at=now)
    _file_document(confirmation=confirmation, definition=definition, answers=party_answers,
                   fields=spec.party_fields)
    CaseEvent.objects.create(
        case=confirmation.case, kind=CaseEvent.Kind.TASK_DONE, internal=True,
        text=f"{spec.title['de']}: bestätigt von {confirmation.party_name} "
             f"am {_german_date(now)}.")
    record("confirmation.confirmed", target=confirmation.case,
           data={"reference": confirmation.case.reference,
                 "confirmation": str(confirmation.pk)})
    return confirmation


@unguarded("the party has no account: the one-time token from the e-mail is the permission")
@transaction.atomic
def decline(*, token: str, reason: str = "",
            now: datetime.datetime | None = None) -> Confirmation:
    """The party refuses: the case keeps waiting, the clerk reads why and the applicant
    is told in the mailbox to talk to the party. The link is spent."""
    now = now or timezone.now()
    confirmation = _open_request(token, now)
    definition = definition_of(confirmation.service_id)
    spec = definition.third_party_confirmation
    reason = reason.strip()
    confirmation.status, confirmation.decline_reason = S.DECLINED, reason
    confirmation.answered_at = confirmation.used_at = now
    confirmation.save(update_fields=["status", "decline_reason", "answered_at", "used_at"])
    case = confirmation.case
    CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.NOTE, internal=True,
        text=f"{spec.title['de']}: abgelehnt von {confirmation.party_name} "
             f"am {_german_date(now)}" + (f" – Grund: {reason}" if reason else "."))
    with translation.override("de"):
        body = render_to_string("confirmations/email/declined_message.txt", {
            "party": spec.party["de"], "party_name": confirmation.party_name,
            "title": spec.title["de"], "reason": reason,
            "case_link": portal_url(reverse("portal:case", kwargs={"case_id": case.pk})),
        })
    deliver_message(
        recipient=case.applicant, reference=case.reference,
        subject=f"{spec.title['de']} abgelehnt – {case.reference}", body=body,
        link_for=lambda message: portal_url(reverse("mailbox:message", args=[message.pk])),
    )
    record("confirmation.declined", target=case,
           data={"reference": case.reference, "confirmation": str(confirmation.pk)})
    return confirmation


# --- Confirming first, with a code ----------------------------------------------------

@unguarded("anyone may confirm first: a code only counts when an applicant's case takes "
           "it, and the clerk compares it with the application")
@transaction.atomic
def issue_code(*, definition: ServiceDefinition, answers: dict,
               now: datetime.datetime | None = None) -> IssuedCode:
    """The party's confirmation before any application exists, and the code that the
    applicant enters. `answers` are the issue fields' answers as JSON."""
    spec = definition.third_party_confirmation
    now = now or timezone.now()
    while True:  # 40 bits: a clash is rare, but a unique hash must not fail the party
        code = new_code(spec.code_prefix)
        secret_hash = code_hash(normalise_code(code, spec.code_prefix))
        if not Confirmation.all_authorities.filter(secret_hash=secret_hash).exists():
            break
    confirmation = Confirmation.objects.create(
        service_id=definition.id, mode=CODE, status=S.CONFIRMED,
        party_name=answers.get(spec.name_field) or "", secret_hash=secret_hash,
        party_answers=answers, requested_at=now, answered_at=now,
        expires_at=now + datetime.timedelta(days=spec.valid_days),
    )
    record("confirmation.code_issued",
           data={"service": definition.id, "confirmation": str(confirmation.pk)})
    return IssuedCode(confirmation=confirmation, code=code)


@unguarded("reads whether a code may be taken; the applicant entering it is checked "
           "by the form's step")
def code_problem(*, text: str, definitions, now: datetime.datetime | None = None):
    """(None, the code as shown) if the code can be taken for one of `definitions`,
    else (the applicant's message, "")."""
    now = now or timezone.now()
    for definition in definitions:
        prefix = definition.third_party_confirmation.code_prefix
        plain = normalise_code(text, prefix)
        if not plain:
            continue
        found = Confirmation.objects.filter(secret_hash=code_hash(plain), mode=CODE,
                                            service_id=definition.id).first()
        if found is None:
            continue
        if found.used_at:
            return gettext("This confirmation code has already been used for an "
                           "application. Please ask for a new code."), ""
        if found.status != S.CONFIRMED or found.expires_at <= now:
            return gettext("This confirmation code has expired. Please ask for a new code, "
                           "or choose to have us ask by e-mail."), ""
        return None, code_display(plain, prefix)
    return gettext("We do not know this confirmation code. Please check it and enter it "
                   "as you received it, or choose to have us ask by e-mail."), ""


# --- Reminders and expiry (the housekeeping) -------------------------------------------

@unguarded("the housekeeping: one reminder for a request left unanswered")
@transaction.atomic
def remind(*, confirmation_id, now: datetime.datetime) -> bool:
    """Send the one reminder, with a new link: only the first link's hash was kept, so
    the reminder's link replaces it (the e-mail says so). False if the request was
    answered, reminded or expired meanwhile."""
    confirmation = (Confirmation.objects.select_for_update(of=("self",)).select_related("case")
                    .filter(pk=confirmation_id, mode=LINK, status=S.REQUESTED,
                            reminded_at__isnull=True, used_at__isnull=True,
                            expires_at__gt=now).first())
    definition = definition_of(confirmation.service_id) if confirmation else None
    if confirmation is None or definition is None:
        return False
    token = new_token()
    confirmation.secret_hash, confirmation.reminded_at = token_hash(token), now
    confirmation.save(update_fields=["secret_hash", "reminded_at"])
    _send_request_email(confirmation=confirmation, definition=definition, token=token,
                        reminder=True)
    CaseEvent.objects.create(
        case=confirmation.case, kind=CaseEvent.Kind.NOTE, internal=True,
        text=f"{definition.third_party_confirmation.title['de']}: "
             f"{confirmation.party_name} per E-Mail erinnert.")
    record("confirmation.reminded", target=confirmation.case,
           data={"reference": confirmation.case.reference,
                 "confirmation": str(confirmation.pk)})
    return True


@unguarded("the housekeeping: a request or code past its time")
@transaction.atomic
def expire(*, confirmation_id, now: datetime.datetime) -> bool:
    """An unanswered request or an untaken code is past its time. A request's case keeps
    waiting: the clerk reads it in the history and asks the applicant."""
    confirmation = (Confirmation.objects.select_for_update(of=("self",)).select_related("case")
                    .filter(pk=confirmation_id, used_at__isnull=True, expires_at__lte=now,
                            status__in=(S.REQUESTED, S.CONFIRMED)).first())
    if confirmation is None:
        return False
    confirmation.status = S.EXPIRED
    confirmation.save(update_fields=["status"])
    if confirmation.case is not None:
        found = definition_of(confirmation.service_id)
        title = found.third_party_confirmation.title["de"] if found else ""
        CaseEvent.objects.create(
            case=confirmation.case, kind=CaseEvent.Kind.NOTE, internal=True,
            text=f"{title}: {confirmation.party_name} hat bis "
                 f"{_german_date(confirmation.expires_at)} nicht geantwortet; "
                 "der Link ist abgelaufen.")
    record("confirmation.expired", target=confirmation.case,
           data={"confirmation": str(confirmation.pk)})
    return True
