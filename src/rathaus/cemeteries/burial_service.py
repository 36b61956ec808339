"""Deciding a burial applied for online ("Bestattung anmelden", services/bestattung.yaml).

The Friedhofsverwaltung first books grave, date and time on its booking page
(`booking_views.py`; the case page links to it through `prepare`), which reserves the
grave (`services.book_burial`). Approving asks `check`: the booking must exist and the
bylaw must still allow it (`services.plan_for`). The decision then confirms the burial
(its rest period runs, the new grave's right of use goes to the holder named in the
application, with the holder's declaration for the grave search, or the existing right
is extended as booked) and issues the Gebührenbescheid with its GiroCode, addressed to
the person liable for the fees, filed in the eAkte and delivered with the booking's
confirmation to the applicant's mailbox: the undertaker's firm account when a firm
applied. A rejection gives the grave back and issues the Ablehnungsbescheid.
"""

from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from rathaus.accounts.permissions import guarded_by, unguarded
from rathaus.assets.models import Asset
from rathaus.authorities.links import portal_url
from rathaus.authorities.models import Department
from rathaus.cases.decisions import DecisionRefused, decision_handler
from rathaus.cases.models import Case
from rathaus.cases.permissions import may_decide
from rathaus.catalog.registry import definition
from rathaus.mailbox.services import NewAttachment, deliver_message
from rathaus.notices.formats import datum, euro
from rathaus.notices.letter import Recipient
from rathaus.notices.rejection import issue_rejection
from rathaus.payments.iban import format_iban
from rathaus.payments.selectors import payment_instruction
from rathaus.records.selectors import has_notice
from rathaus.records.services import add_document

from . import rules, services
from .kinds import CEMETERY, FIELD
from .models import Burial, BurialKind, Grave
from .notices import FEE_TITLE, Booking, booking_rows, due_date, purpose, render_fee_notice
from .rules import FeeItem, Refused

SERVICE = "bestattung"
NEW_GRAVE = "new"
# How many free graves the booking page offers, the first of the field by row and place.
FREE_GRAVES_SHOWN = 30


# --- The application's answers -----------------------------------------------------------

@unguarded("reads the application's answers")
def deceased_of(case: Case) -> services.Deceased:
    answers = case.answers
    return services.Deceased(
        first_name=answers["deceased_first_name"], last_name=answers["deceased_last_name"],
        died_on=date.fromisoformat(answers["deceased_date_of_death"]),
        born_on=date.fromisoformat(answers["deceased_date_of_birth"]))


@unguarded("reads the application's answers")
def liable_person(case: Case) -> Recipient:
    """Who owes the fees: the fee notice's addressee."""
    answers = case.answers
    return Recipient(name=answers["liable_name"], street=answers["liable_street"],
                     postcode=answers["liable_postcode"], city=answers["liable_city"])


@unguarded("reads the application's answers")
def holder_of(case: Case) -> services.Holder | None:
    """The holder of a new grave's right of use as the application names them; None
    for a burial in an existing grave (its right has its holder). Their account is the
    applicant's where a citizen applied for themself, for the letters before the right
    ends; a firm's account is never a holder's."""
    answers = case.answers
    if answers.get("grave_choice") != NEW_GRAVE:
        return None
    prefix = "holder" if answers.get("holder_is") == "other" else "liable"
    name = answers[f"{prefix}_name"]
    applicant = case.applicant
    own = (applicant is not None and applicant.is_citizen
           and applicant.full_name.casefold() == name.casefold())
    return services.Holder(name=name, street=answers[f"{prefix}_street"],
                           postcode=answers[f"{prefix}_postcode"],
                           city=answers[f"{prefix}_city"], user=applicant if own else None)


@unguarded("reads the application's answers")
def wished_start(case: Case) -> datetime | None:
    """The date and time the application wishes, in the town's time zone."""
    try:
        day = date.fromisoformat(case.answers["wished_date"])
        hours, minutes = (int(part) for part in case.answers["wished_time"].split(":")[:2])
    except (KeyError, ValueError):
        return None
    return timezone.make_aware(datetime(day.year, day.month, day.day, hours, minutes))


# --- What the booking page reads -------------------------------------------------------

@unguarded("the cemeteries and their fields by name, for the booking page; reads only")
def fields_of(cemetery_number: str) -> list[Asset]:
    """The fields of the cemetery the application names; of every cemetery where it
    names none known here (the clerk then chooses)."""
    fields = Asset.objects.filter(kind=FIELD).select_related("parent").order_by(
        "parent__number", "number")
    chosen = fields.filter(parent__kind=CEMETERY, parent__number=cemetery_number)
    return list(chosen) or list(fields)


@unguarded("a cemetery's name, for the booking page; reads only")
def cemetery_name(number: str) -> str:
    """The cemetery's name, or its number where the cadastre has none of that number."""
    return (Asset.objects.filter(kind=CEMETERY, number=number).values_list("name", flat=True)
            .first() or number)


@unguarded("free graves of a field, for the booking page; reads only")
def free_graves(*, field: Asset, kind: str) -> list[Grave]:
    """The first free graves of `kind` in `field`, by row and place in the row."""
    return list(Grave.objects.filter(
        field=field, grave_type__kind=kind, state=Grave.State.FREE,
        asset__status=Asset.Status.IN_SERVICE).select_related("asset", "grave_type")
        .order_by("row", "position")[:FREE_GRAVES_SHOWN])


@unguarded("a grave by its number, for the booking page; reads only")
def grave_numbered(number: str) -> Grave | None:
    return (Grave.objects.filter(asset__number=number.strip())
            .select_related("asset", "grave_type", "field").first())


@unguarded("what a booking would charge, for the booking page; writes nothing")
def planned_fees(case: Case, *, grave: Grave, buried_at: datetime,
                 extension_years: int = 0) -> list[FeeItem]:
    """The fee table's items for the burial of `case` in `grave` on `buried_at`;
    Refused (with the German reason) where the bylaw does not allow it."""
    kind = case.answers["burial_kind"]
    plan = services.plan_for(grave, kind=kind, buried_on=timezone.localdate(buried_at),
                             extension_years=extension_years, case_reference=case.reference)
    return rules.burial_fees(grave.grave_type, burial_kind=kind, plan=plan)


@guarded_by(may_decide)
def book(*, actor, case: Case, grave: Grave, buried_at: datetime,
         extension_years: int = 0) -> Burial:
    """The grave and the date of the burial applied for in `case`, booked by the
    deciding department (the grave's cadastre asks its own rule in book_burial)."""
    if case.service_id != SERVICE or case.status in (Case.Status.APPROVED,
                                                     Case.Status.REJECTED):
        raise services.InvalidGrave(gettext("This application can no longer be booked."))
    return services.book_burial(
        actor=actor, grave=grave, case_reference=case.reference,
        kind=case.answers["burial_kind"], deceased=deceased_of(case), buried_at=buried_at,
        extension_years=extension_years)


# --- The decision handler ----------------------------------------------------------------

@unguarded("part of the decision handler: the workflow asked the deciding department's rule")
def booking_page(case: Case) -> tuple[str, str] | None:
    """The booking page, while the case is open."""
    if case.status in (Case.Status.APPROVED, Case.Status.REJECTED):
        return None
    booked = services.booking_for(case.reference) is not None
    return (gettext("Change the booking of grave and date") if booked
            else gettext("Book grave and date"),
            reverse("cemetery_booking:booking", args=[case.pk]))


def _planned(case: Case) -> tuple[Burial, list[FeeItem]]:
    """The booking and its fees if it can be confirmed now; DecisionRefused if not."""
    burial = services.booking_for(case.reference)
    if burial is None:
        raise DecisionRefused(gettext(
            "No grave and date are booked yet. Book them on the booking page first."))
    try:
        fees = planned_fees(case, grave=burial.grave, buried_at=burial.buried_at,
                            extension_years=burial.extension_years)
    except Refused as refusal:
        raise DecisionRefused(refusal.message) from None
    return burial, fees


@unguarded("part of the decision handler: the workflow asked the deciding department's rule")
def check_approval(case: Case) -> None:
    """Asked when a clerk approves: DecisionRefused unless a booking exists that the
    bylaw still allows."""
    _planned(case)


@unguarded("part of the decision handler: the workflow asked the deciding department's rule")
def preview_burial(case: Case) -> list[tuple[str, str]]:
    """What approving will confirm and charge, for the clerk who checks the case."""
    try:
        burial, fees = _planned(case)
    except DecisionRefused as refusal:
        return [(gettext("Cannot be approved yet"), refusal.message)]
    local = timezone.localtime(burial.buried_at)
    grave = burial.grave
    rows = [(gettext("Grave"), f"{grave.asset.number} ({grave.grave_type}), "
                               f"{grave.field.name}"),
            (gettext("Date of the burial"), f"{datum(local.date())}, {local:%H:%M}"),
            (gettext("Rest period until"), datum(burial.rest_ends_on))]
    rows += [(item.text, euro(item.amount)) for item in fees]
    rows.append((gettext("Fees in total"), gettext("%(amount)s, fee notice with GiroCode")
                 % {"amount": euro(rules.total(fees))}))
    return rows


@unguarded("part of the decision handler: the workflow asked the deciding department's rule")
def mailbox_link(message) -> str:
    return portal_url(reverse("mailbox:message", args=[message.pk]))


@decision_handler(SERVICE, preview=preview_burial, check=check_approval,
                  prepare=booking_page)
@unguarded("the decision task: the workflow asked the deciding department's rule when the "
           "clerk approved or rejected")
def decide_burial(case: Case) -> None:
    if has_notice(case.case_file):
        return  # already issued: a repeated run changes nothing
    if case.status == Case.Status.REJECTED:
        services.cancel_booking(case_reference=case.reference)
        issue_rejection(case=case, recipient=liable_person(case), link_for=mailbox_link)
        return
    answers = case.answers
    try:
        confirmed = services.confirm_burial(
            case_reference=case.reference, holder=holder_of(case),
            consent_grave_search=bool(answers.get("consent_grave_search")),
            consent_during_rest=bool(answers.get("consent_during_rest")))
    except (Refused, services.InvalidGrave) as refusal:
        raise DecisionRefused(refusal.message) from None
    with translation.override("de"):  # the notice is German, whoever approved
        _issue_fee_notice(case, confirmed=confirmed)


def _office(case: Case) -> str:
    """The department that decides the service (the Friedhofsverwaltung) signs."""
    return (Department.objects.filter(slug=definition(case.service_id).department)
            .values_list("name", flat=True).first() or "")


def _booking(confirmed: services.Confirmed) -> Booking:
    burial, right = confirmed.burial, confirmed.right
    grave = Grave.objects.select_related("asset", "field", "cemetery", "grave_type").get(
        pk=burial.grave_id)
    return Booking(
        deceased=f"{burial.first_name} {burial.last_name}",
        burial_kind=str(BurialKind(burial.kind).label), buried_at=burial.buried_at,
        cemetery=grave.cemetery.name, field=grave.field.name, grave=grave.asset.number,
        grave_type=str(grave.grave_type), rest_ends_on=burial.rest_ends_on,
        right_number=right.number if right else "",
        right_ends_on=right.ends_on if right else None, bylaw=grave.grave_type.bylaw)


def _issue_fee_notice(case: Case, *, confirmed: services.Confirmed) -> None:
    today, liable, booking = timezone.localdate(), liable_person(case), _booking(confirmed)
    payment = payment_instruction()
    pdf = render_fee_notice(liable=liable, reference=case.reference, issued_on=today,
                            booking=booking, fees=confirmed.fees, payment=payment,
                            office=_office(case))
    filename = f"gebuehrenbescheid-bestattung-{case.reference}.pdf"
    add_document(case_file=case.case_file, title=f"{FEE_TITLE} Grab {booking.grave}",
                 kind="notice", content=pdf, media_type="application/pdf",
                 filename=filename)
    payee, amount = payment.payee, rules.total(confirmed.fees)
    applicant = case.applicant
    deliver_message(
        recipient=applicant, reference=case.reference,
        subject=f"Bestattung bestätigt – {booking.deceased}, "
                f"{datum(timezone.localdate(booking.buried_at))}",
        body="\n".join([
            f"Guten Tag {applicant.full_name},", "",
            f"die Bestattung von {booking.deceased} ist gebucht und bestätigt:", "",
            *(f"{label}: {value}" for label, value in booking_rows(booking)), "",
            f"Gebühren: {euro(amount)}, fällig am {datum(due_date(today))}. Der "
            f"Gebührenbescheid im Anhang ist an {liable.name} gerichtet.", "",
            "Bitte überweisen Sie an:",
            f"{payee.account_holder}, IBAN {format_iban(payee.iban)}",
            f"Verwendungszweck: {purpose(grave=booking.grave, reference=case.reference)}",
            "", "Mit dem GiroCode des Bescheids füllt eine Banking-App die Überweisung aus."]),
        attachments=[NewAttachment(filename=filename, media_type="application/pdf",
                                   content=pdf)],
        link_for=mailbox_link,
    )
