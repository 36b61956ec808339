"""Deciding a registration of residence (Wohnsitz anmelden / ummelden): the move enters
the resident register, the Meldebestätigung goes into the eAkte and to the citizen's
mailbox, and the previous registration authority gets its Rückmeldung (§ 33 BMG), all in
the transaction of the decision."""

import json
from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from rathaus.authorities.links import portal_url
from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import current_authority
from rathaus.cases.decisions import decision_handler
from rathaus.cases.models import Case, CaseEvent
from rathaus.cases.submission_steps import submission_step
from rathaus.mailbox.services import NewAttachment, deliver_message
from rathaus.notices.letter import Recipient
from rathaus.notices.rejection import issue_rejection
from rathaus.publication.signals import figures_changed
from rathaus.records.selectors import has_notice
from rathaus.records.services import add_document

from .application_checks import members
from .directory import dwelling_at, street_named
from .models import (
    OBJECTION_EXPLANATIONS,
    ObjectionKind,
    Relationship,
    Residence,
    ResidenceKind,
)
from .notices import meldebestaetigung_for, render_meldebestaetigung
from .services import Newcomer, find_person, register_move
from .tasks import receive_report

SERVICE = "wohnsitzanmeldung"
REPORT_TITLE = "Rückmeldung an die bisherige Meldebehörde"
# § 17 (1) BMG: within two weeks after moving in.
REGISTRATION_PERIOD_DAYS = 14
OBJECTION_FIELDS = {f"objection_{kind}": kind for kind in (
    ObjectionKind.ARMED_FORCES, ObjectionKind.ELECTIONS, ObjectionKind.JUBILEES,
    ObjectionKind.ADDRESS_BOOKS, ObjectionKind.RELIGIOUS_COMMUNITIES)}


def movers_from_answers(answers: dict) -> list[Newcomer]:
    """The applicant (head of the household) and those moving with them."""
    objections = tuple(kind for field, kind in OBJECTION_FIELDS.items() if answers.get(field))
    applicant = Newcomer(
        family_name=answers["last_name"], given_names=answers["first_name"],
        date_of_birth=date.fromisoformat(answers["date_of_birth"]),
        place_of_birth=answers["place_of_birth"], sex=answers["sex"],
        relationship=Relationship.HEAD, objections=objections)
    return [applicant, *(
        Newcomer(family_name=m["family_name"], given_names=m["given_names"],
                 date_of_birth=date.fromisoformat(m["date_of_birth"]),
                 place_of_birth=m["place_of_birth"], sex=m["sex"],
                 relationship=m["relationship"], objections=objections)
        for m in members(answers))]


def days_late(answers: dict, *, submitted_on: date) -> int:
    """How many days after the two weeks of § 17 BMG the registration came (0: in time)."""
    moved_in = date.fromisoformat(answers["move_in_date"])
    return max(0, (submitted_on - moved_in).days - REGISTRATION_PERIOD_DAYS)


def new_address(answers: dict) -> str:
    return (f"{answers['new_street']} {answers['new_house_number']}, "
            f"{answers['new_postcode']} {current_authority().city}")


def old_address(answers: dict) -> str:
    return (f"{answers['old_street']} {answers['old_house_number']}, "
            f"{answers['old_postcode']} {answers['old_city']}")


def previous_authority(answers: dict) -> Authority | None:
    """The registration authority of the old address when it is hosted on this
    instance too (a move into the town from another town of the data centre)."""
    if answers.get("move_kind") != "into":
        return None
    city = answers.get("old_city", "").strip()
    return (Authority.objects.exclude(pk=current_authority().pk)
            .filter(city__iexact=city).first()
            or Authority.objects.exclude(pk=current_authority().pk)
            .filter(short_name__iexact=city).first())


@submission_step("residents.late_registration")
def note_late_registration(*, case: Case, definition, answers: dict) -> None:
    """A late registration is accepted (§ 17 BMG); the clerk reads how late."""
    if definition.id != SERVICE:
        return
    late = days_late(answers, submitted_on=timezone.localdate(case.submitted_at))
    if late:
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTE, internal=True, text=(
            f"Verspätete Anmeldung (§ 17 Abs. 1 BMG): {late} Tage nach Ablauf der "
            "Zweiwochenfrist eingegangen."))


def preview_registration(case: Case) -> list[tuple[str, str]]:
    """What registering will write, for the clerk who checks the application."""
    answers = case.answers
    kind = ResidenceKind(answers["residence_kind"])
    rows = [(gettext("New address"), f"{new_address(answers)} ({kind.label})")]
    if street_named(answers["new_street"]) is None:
        rows.append((gettext("Street directory"),
                     gettext("The street is not in the street directory.")))
    for mover in movers_from_answers(answers):
        person = find_person(mover)
        current = (person.residences.filter(moved_out__isnull=True).select_related("dwelling")
                   .first() if person else None)
        found = (gettext("in the register, now %(address)s") % {"address": current.dwelling}
                 if current else gettext("in the register, no current residence")
                 if person else gettext("new in the register"))
        rows.append((f"{mover.given_names} {mover.family_name}", found))
    late = days_late(answers, submitted_on=timezone.localdate(case.submitted_at))
    if late:
        rows.append((gettext("Late"), ngettext(
            "%(days)d day after the two weeks of § 17 BMG",
            "%(days)d days after the two weeks of § 17 BMG", late) % {"days": late}))
    previous = previous_authority(answers)
    if answers.get("move_kind") == "into":
        rows.append((gettext("Report to the previous authority"),
                     previous.name if previous else gettext(
                         "as a file in the eAkte for the registration software")))
    return rows


def _recipient(case: Case) -> Recipient:
    answers = case.answers
    return Recipient(
        name=f"{answers['first_name']} {answers['last_name']}",
        street=f"{answers['new_street']} {answers['new_house_number']}",
        postcode=answers["new_postcode"], city=current_authority().city)


def mailbox_link(message) -> str:
    return portal_url(reverse("mailbox:message", args=[message.pk]))


@decision_handler(SERVICE, preview=preview_registration)
def decide_registration(case: Case) -> None:
    if has_notice(case.case_file):
        return  # already issued: a repeated run changes nothing
    if case.status == Case.Status.REJECTED:
        issue_rejection(case=case, recipient=_recipient(case), link_for=mailbox_link)
        return
    answers = case.answers
    movers = movers_from_answers(answers)
    moved_in = date.fromisoformat(answers["move_in_date"])
    street = street_named(answers["new_street"])
    dwelling = dwelling_at(street=street, house_number=answers["new_house_number"])
    change = register_move(actor=case.decided_by, movers=movers, dwelling=dwelling,
                           moved_in=moved_in, kind=answers["residence_kind"])
    figures_changed.send(sender=Residence)  # the moves per district follow
    _report_back(case, movers=movers, moved_in=moved_in)
    _issue_certificate(case, change=change, movers=movers, dwelling=dwelling)


def _issue_certificate(case: Case, *, change, movers, dwelling) -> None:
    recipient = _recipient(case)
    moved_in = change.effective_on
    pdf = render_meldebestaetigung(meldebestaetigung_for(
        change, recipient=recipient, reference=case.reference, issued_on=timezone.localdate(),
        previous_address=old_address(case.answers)))
    filename = f"meldebestaetigung-{case.reference}.pdf"
    add_document(case_file=case.case_file, title="Meldebestätigung", kind="notice",
                 content=pdf, media_type="application/pdf", filename=filename)
    objections = [str(OBJECTION_EXPLANATIONS[kind]) for kind in movers[0].objections]
    deliver_message(
        recipient=case.applicant, reference=case.reference,
        subject=f"Ihre Meldebestätigung – {dwelling.street} {dwelling.house_number}",
        body="\n".join([
            f"Guten Tag {recipient.name},", "",
            f"Sie sind ab dem {moved_in:%d.%m.%Y} in der {dwelling} gemeldet"
            + (f", zusammen mit {len(movers) - 1} weiteren Personen." if len(movers) > 1
               else "."),
            "", "Im Anhang finden Sie die Meldebestätigung. Sie ist gebührenfrei.", "",
            "Den Aufkleber mit der neuen Anschrift für Ihren Personalausweis schicken wir "
            "Ihnen in den nächsten Tagen per Post. Kleben Sie ihn auf die Rückseite des "
            "Ausweises.",
            *(["", "Ihre Widersprüche sind eingetragen:", *(f"– {o}" for o in objections)]
              if objections else []),
        ]),
        attachments=[NewAttachment(filename=filename, media_type="application/pdf",
                                   content=pdf)],
        link_for=mailbox_link,
    )


def _report_back(case: Case, *, movers, moved_in: date) -> None:
    """The Rückmeldung (§ 33 BMG) of a move into the town: to the old authority when it
    is on this instance (its register records the move away, its basket gets the
    report), else as a file in the eAkte for the registration software to send on."""
    answers = case.answers
    if answers.get("move_kind") != "into":
        return
    here = current_authority()
    report = {
        "schema": "rathaus.melderegister.rueckmeldung", "version": 1,
        "from": here.short_name, "municipality_key": here.municipality_key,
        "reference": case.reference, "moved_in": moved_in.isoformat(),
        "new_address": new_address(answers), "previous_address": old_address(answers),
        "persons": [{"given_names": m.given_names, "family_name": m.family_name,
                     "date_of_birth": m.date_of_birth.isoformat()} for m in movers],
    }
    previous = previous_authority(answers)
    if previous is not None:
        # Queued in this transaction: the report is sent exactly when the move stands.
        receive_report.enqueue(authority_id=previous.pk, report=report)
        return
    add_document(case_file=case.case_file, title=REPORT_TITLE, kind="correspondence",
                 content=json.dumps(report, ensure_ascii=False, indent=2).encode(),
                 media_type="application/json", filename=f"rueckmeldung-{case.reference}.json")
