"""Deciding a vehicle registration at the district's Straßenverkehrsamt: the plate
assigned, the vehicle entered in the vehicle register, the Zulassungsbescheid and the
Gebührenbescheid with its GiroCode filed in the district's eAkte and delivered to the
citizen's mailbox, and the tax data filed for the Hauptzollamt, all in the transaction
of the decision.

The district does not trust what came in (from its own portal or handed over by a
town): when a clerk approves, and again when the decision is carried out, the vehicle
register is asked whether the vehicle exists, whether another application registered
it meanwhile and whether the security codes match, and the plate register whether a
chosen plate is still this application's. A refusal is a `DecisionRefused` with the
clerk's reason: at approval the office shows it and the case stays open; in the task
the cases app puts the case back in review with the reason as a note.
"""

import json
from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from rathaus.authorities.links import portal_url
from rathaus.authorities.models import Department
from rathaus.authorities.tenancy import current_authority
from rathaus.cases.decisions import DecisionRefused, decision_handler
from rathaus.cases.models import Case
from rathaus.catalog.registry import definition
from rathaus.mailbox.services import NewAttachment, deliver_message
from rathaus.notices.formats import datum, euro
from rathaus.notices.letter import Recipient
from rathaus.notices.rejection import issue_rejection
from rathaus.payments.iban import format_iban, mask_iban
from rathaus.payments.selectors import payment_instruction
from rathaus.publication.signals import figures_changed
from rathaus.records.selectors import has_notice
from rathaus.records.services import add_document

from .fees import fees_for, total
from .field_types import DISTINGUISHING_SIGNS
from .identifiers import InvalidIdentifier, Plate, parse_plate, plate_from_key
from .models import RegisteredVehicle
from .notices import (
    FEE_TITLE,
    REGISTRATION_TITLE,
    Registration,
    due_date,
    render_fee_notice,
    render_registration_notice,
)
from .plates import (
    PlateTaken,
    assign_plate,
    plate_held_for,
    plate_is_free,
    release_plate,
    reserve_free_plate,
)
from .vehicle_register import (
    AlreadyRegistered,
    UnknownVehicle,
    VehicleFacts,
    WrongSecurityCode,
    vehicle_register,
)

SERVICE = "fahrzeugzulassung"
TAX_REPORT_TITLE = "Mitteilung an das Hauptzollamt (Kraftfahrzeugsteuer)"


def distinguishing_sign() -> str:
    """The active district's sign (GL); DecisionRefused where it has none."""
    sign = DISTINGUISHING_SIGNS.get(current_authority().municipality_key, "")
    if not sign:
        raise DecisionRefused(gettext(
            "No distinguishing sign is known for this authority: it cannot assign plates."))
    return sign


def keeper_address(case: Case) -> Recipient:
    answers = case.answers
    return Recipient(name=f"{answers['first_name']} {answers['last_name']}",
                     street=f"{answers['street']} {answers['house_number']}",
                     postcode=answers["postcode"], city=answers["city"])


def chosen_plate(case: Case) -> Plate | None:
    """The Wunschkennzeichen the application asks for, None when the district assigns
    one."""
    if case.answers.get("plate_choice") != "chosen":
        return None
    return parse_plate(case.answers["plate"], sign=distinguishing_sign())


def _facts(case: Case) -> VehicleFacts:
    answers = case.answers
    try:
        return vehicle_register().facts(vin=answers["vin"],
                                        certificate_number=answers["certificate_number"])
    except UnknownVehicle:
        raise DecisionRefused(gettext(
            "The vehicle register knows no vehicle with the VIN %(vin)s and the "
            "registration certificate part II number %(number)s. Reject the application, "
            "or check the numbers with the applicant.") % {
            "vin": answers["vin"], "number": answers["certificate_number"]}) from None


def _refuse_unless_registrable(case: Case, *, plate: Plate | None) -> VehicleFacts:
    """The vehicle's facts, if the vehicle register and the plate register let the
    application be carried out as it stands; DecisionRefused with the reason if not.
    `plate`: a chosen plate, which must be free or held for this application."""
    answers = case.answers
    facts = _facts(case)
    registered_since = (facts.registered_at is not None
                        and facts.registered_at >= case.submitted_at
                        and facts.reference != case.reference)
    if registered_since:
        raise DecisionRefused(gettext(
            "The vehicle %(vin)s was registered by another application on %(date)s, after "
            "this one was made (plate %(plate)s). Reject this application.") % {
            "vin": facts.vin, "date": datum(timezone.localdate(facts.registered_at)),
            "plate": _shown(facts.plate)})
    if answers.get("registration_kind") == "new" and facts.plate:
        raise DecisionRefused(gettext(
            "The vehicle %(vin)s was registered before (plate %(plate)s), but the "
            "application is for a new vehicle. Reject the application: the applicant can "
            "apply again for a used vehicle.") % {"vin": facts.vin,
                                                  "plate": _shown(facts.plate)})
    try:
        vehicle_register().check_codes(
            vin=answers["vin"], certificate_code=answers["certificate_code"],
            part_one_code=answers.get("part_one_code", ""),
            seal_code=answers.get("seal_code", ""))
    except WrongSecurityCode:
        raise DecisionRefused(gettext(
            "The security codes of the application do not match those of the vehicle's "
            "registration certificates. Reject the application: the applicant can apply "
            "again with the right codes.")) from None
    if plate is not None and not (plate_is_free(plate) or plate_held_for(
            case.reference, sign=plate.sign) == plate):
        raise DecisionRefused(_plate_taken(plate))
    return facts


def _shown(key: str) -> str:
    """A plate from the vehicle register as people write it (GLFF815 → GL-FF 815)."""
    try:
        return str(plate_from_key(key, sign=distinguishing_sign()))
    except (InvalidIdentifier, DecisionRefused):
        return key


def _plate_taken(plate: Plate) -> str:
    return gettext(
        "The chosen plate %(plate)s has been assigned or reserved for another application "
        "meanwhile. Reject the application: the applicant can apply again with another "
        "plate.") % {"plate": plate}


def check_approval(case: Case) -> None:
    """Asked when a clerk approves: DecisionRefused if it could not be carried out."""
    _refuse_unless_registrable(case, plate=chosen_plate(case))


def reserve_plate_for(case: Case) -> dict:
    """A free plate drawn and reserved for the case when the applicant chose none,
    before the decision's transaction; a repeated run gets the same."""
    if case.status == Case.Status.REJECTED or chosen_plate(case) is not None:
        return {}
    return {"plate": str(reserve_free_plate(sign=distinguishing_sign(),
                                            reference=case.reference))}


def preview_registration(case: Case) -> list[tuple[str, str]]:
    """What approving will write, for the clerk who checks the application."""
    try:
        facts = _facts(case)
        vehicle = f"{facts.make} {facts.model} ({facts.vin})"
        plate = chosen_plate(case)
    except DecisionRefused as refusal:
        return [(gettext("Cannot be approved"), refusal.message)]
    rows = [(gettext("Vehicle"), vehicle),
            (gettext("Plate"), gettext("%(plate)s (chosen plate)") % {"plate": plate}
             if plate else gettext("drawn at random from the free plates on approval"))]
    fees = fees_for(case.answers)
    rows += [(fee.text, euro(fee.amount)) for fee in fees]
    rows.append((gettext("Fees in total"), gettext("%(amount)s, fee notice with GiroCode")
                 % {"amount": euro(total(fees))}))
    return rows


def mailbox_link(message) -> str:
    return portal_url(reverse("mailbox:message", args=[message.pk]))


@decision_handler(SERVICE, reserve=reserve_plate_for, preview=preview_registration,
                  check=check_approval)
def decide_registration(case: Case, *, plate: str | None = None) -> None:
    if has_notice(case.case_file):
        return  # already issued: a repeated run changes nothing
    if case.status == Case.Status.REJECTED:
        release_plate(reference=case.reference)
        issue_rejection(case=case, recipient=keeper_address(case), link_for=mailbox_link)
        return
    chosen = chosen_plate(case)
    if chosen is None and plate is None:
        raise ValueError("An approved registration needs the plate of reserve_plate_for.")
    assigned = chosen or parse_plate(plate, sign=distinguishing_sign())
    _refuse_unless_registrable(case, plate=chosen)  # once more: things may have moved
    try:
        assign_plate(assigned, reference=case.reference)
    except PlateTaken:
        raise DecisionRefused(_plate_taken(assigned)) from None
    try:
        facts = vehicle_register().register(
            vin=case.answers["vin"], plate=assigned.key, reference=case.reference,
            applied_at=case.submitted_at)
    except AlreadyRegistered:
        raise DecisionRefused(gettext(
            "The vehicle %(vin)s was registered by another application meanwhile. Reject "
            "this application.") % {"vin": case.answers["vin"]}) from None
    figures_changed.send(sender=RegisteredVehicle)  # registrations per month follow
    _file_tax_report(case, facts=facts, plate=assigned)
    _issue_notices(case, facts=facts, plate=assigned, chosen=chosen is not None)


def _office(case: Case) -> str:
    """The department that decides the service (the Straßenverkehrsamt) signs."""
    return (Department.objects.filter(slug=definition(case.service_id).department)
            .values_list("name", flat=True).first() or "")


def _file_tax_report(case: Case, *, facts: VehicleFacts, plate: Plate) -> None:
    """The vehicle tax is the Hauptzollamt's: what it needs (the registration and the
    keeper's SEPA mandate, § 13 KraftStG) goes into the eAkte as a file for the
    registration software to send on, as a district's specialist system does."""
    answers = case.answers
    report = {
        "schema": "rathaus.kfz.steuermitteilung", "version": 1,
        "from": current_authority().short_name,
        "municipality_key": current_authority().municipality_key,
        "reference": case.reference, "registered_on": timezone.localdate().isoformat(),
        "vehicle": {"vin": facts.vin, "make": facts.make, "model": facts.model,
                    "plate": str(plate)},
        "keeper": {"given_names": answers["first_name"], "family_name": answers["last_name"],
                   "date_of_birth": answers["date_of_birth"],
                   "address": ", ".join(keeper_address(case).lines()[1:])},
        "sepa_mandate": {"account_holder": answers["account_holder"], "iban": answers["iban"],
                         "signed_on": timezone.localdate(case.submitted_at).isoformat()},
    }
    add_document(case_file=case.case_file, title=TAX_REPORT_TITLE, kind="correspondence",
                 content=json.dumps(report, ensure_ascii=False, indent=2).encode(),
                 media_type="application/json",
                 filename=f"steuermitteilung-{case.reference}.json")


def _issue_notices(case: Case, *, facts: VehicleFacts, plate: Plate, chosen: bool) -> None:
    """Each notice filed in the eAkte and delivered in a message of its own, as every
    notice is: the citizen finds the registration and what to pay apart."""
    answers, keeper, today, office = case.answers, keeper_address(case), \
        timezone.localdate(), _office(case)
    registration_pdf = render_registration_notice(Registration(
        keeper=keeper, date_of_birth=date.fromisoformat(answers["date_of_birth"]),
        reference=case.reference, issued_on=today, kind=answers["registration_kind"],
        make=facts.make, model=facts.model, vin=facts.vin, plate=str(plate),
        chosen_plate=chosen, evb=answers["evb"], tax_iban=answers["iban"], office=office))
    _file_and_deliver(case, title=REGISTRATION_TITLE, name="zulassungsbescheid",
                      pdf=registration_pdf, plate=plate,
                      subject=f"Ihr Fahrzeug ist zugelassen – Kennzeichen {plate}", body=[
        f"Ihr {facts.make} {facts.model} (FIN {facts.vin}) ist ab heute mit dem "
        f"Kennzeichen {plate} zugelassen.", "",
        "Die Zulassungsbescheinigung Teil I und die Plakettenträger für die "
        "Kennzeichenschilder schicken wir Ihnen per Post. Bis dahin, längstens zehn Tage, "
        "weist der Zulassungsbescheid im Anhang die Zulassung nach.", "",
        "Die Kraftfahrzeugsteuer zieht das Hauptzollamt von Ihrem Konto "
        f"{mask_iban(answers['iban'])} ein.", "",
        "Den Gebührenbescheid mit GiroCode erhalten Sie in einer eigenen Nachricht."])
    fees, payment = fees_for(answers), payment_instruction()
    fee_pdf = render_fee_notice(keeper=keeper, reference=case.reference, issued_on=today,
                                plate=str(plate), fees=fees, payment=payment, office=office)
    payee = payment.payee
    _file_and_deliver(case, title=FEE_TITLE, name="gebuehrenbescheid", pdf=fee_pdf,
                      plate=plate, subject=f"Gebührenbescheid zur Zulassung – {plate}", body=[
        f"Gebühren für die Zulassung: {euro(total(fees))}, fällig am "
        f"{datum(due_date(today))}.", "",
        "Bitte überweisen Sie an:",
        f"{payee.account_holder}, IBAN {format_iban(payee.iban)}",
        f"Verwendungszweck: Zulassung {plate} Az. {case.reference}", "",
        "Im Anhang finden Sie den Gebührenbescheid; mit seinem GiroCode füllt Ihre "
        "Banking-App die Überweisung aus."])


def _file_and_deliver(case: Case, *, title: str, name: str, pdf: bytes, plate: Plate,
                      subject: str, body: list[str]) -> None:
    filename = f"{name}-{case.reference}.pdf"
    add_document(case_file=case.case_file, title=f"{title} {plate}", kind="notice",
                 content=pdf, media_type="application/pdf", filename=filename)
    deliver_message(
        recipient=case.applicant, reference=case.reference, subject=subject,
        body="\n".join([f"Guten Tag {keeper_address(case).name},", "", *body]),
        attachments=[NewAttachment(filename=filename, media_type="application/pdf",
                                   content=pdf)],
        link_for=mailbox_link,
    )
