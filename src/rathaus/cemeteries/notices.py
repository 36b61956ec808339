"""The fee notice of a burial (Gebührenbescheid): the burial fee and the right of use
(or its extension) as the cemetery's grave type sets them (`GraveType`, the
Friedhofsgebührensatzung), with a GiroCode for the whole amount, and the booking it
charges for. Plain data in, PDF/A bytes out; the template is in `typst/`. The decision
handler (`burial_service.py`) files the bytes in the eAkte and delivers them."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from rathaus.accounts.permissions import unguarded_module
from rathaus.notices.formats import datum, euro
from rathaus.notices.letter import Recipient, issued_by, letter_data
from rathaus.notices.typesetting import render_pdf
from rathaus.payments.girocode import epc_qr_svg
from rathaus.payments.instructions import ByTransfer

from .rules import FeeItem, total

# Who may act is asked by the services that call these (accounts.permissions).
unguarded_module(__name__, "renders a PDF and writes nothing; called inside the decision "
                           "handler of the burial")

FEE_TITLE = "Gebührenbescheid Bestattung"
# The fees are due a month after the notice, as the town's fee bylaws set it.
PAYMENT_DAYS = 30
# Where the fee table stands when the grave type names no bylaw of its own.
DEFAULT_BYLAW = "Friedhofsgebührensatzung"


@dataclass(frozen=True)
class Booking:
    """What the notice confirms: the burial, the grave and its right of use."""

    deceased: str
    burial_kind: str  # as printed: "Urnenbeisetzung"
    buried_at: datetime
    cemetery: str
    field: str
    grave: str  # the grave's number
    grave_type: str  # as printed: "Urnenwahlgrab"
    rest_ends_on: date
    right_number: str = ""  # the Graburkunde; empty without a right of use
    right_ends_on: date | None = None
    bylaw: str = ""


def due_date(issued_on: date) -> date:
    return issued_on + timedelta(days=PAYMENT_DAYS)


def purpose(*, grave: str, reference: str) -> str:
    return f"Bestattung Grab {grave} Az. {reference}"


def booking_rows(booking: Booking) -> list[list[str]]:
    """The booking as the notice and the message print it."""
    local = timezone.localtime(booking.buried_at)
    rows = [["Verstorbene Person", booking.deceased],
            ["Bestattung", booking.burial_kind],
            ["Termin", f"{datum(local.date())}, {local:%H:%M} Uhr"],
            ["Friedhof", booking.cemetery],
            ["Feld und Grab", f"{booking.field}, Grab {booking.grave} ({booking.grave_type})"],
            ["Ruhezeit bis", datum(booking.rest_ends_on)]]
    if booking.right_number:
        rows.append(["Nutzungsrecht", f"Graburkunde {booking.right_number}, bis "
                                      f"{datum(booking.right_ends_on)}"])
    return rows


def render_fee_notice(*, liable: Recipient, reference: str, issued_on: date,
                      booking: Booking, fees: list[FeeItem], payment: ByTransfer,
                      office: str = "") -> bytes:
    """The Gebührenbescheid as PDF/A-2b, with a GiroCode for the whole amount."""
    amount, due_on = total(fees), due_date(issued_on)
    text = purpose(grave=booking.grave, reference=reference)
    payee = payment.payee
    letter = issued_by(letter_data(
        title=f"{FEE_TITLE} – Grab {booking.grave}", recipient=liable,
        aktenzeichen=reference, notice_date=issued_on, payee=payee), office)
    girocode = epc_qr_svg(name=payee.account_holder, iban=payee.iban, bic=payee.bic,
                          amount=amount, text=text)
    bylaw = booking.bylaw or DEFAULT_BYLAW
    return render_pdf("cemeteries/typst/gebuehrenbescheid_bestattung.typ", letter | {
        "deceased": booking.deceased,
        "booking": booking_rows(booking),
        "legal_basis": bylaw,
        "fee_rows": [[item.text, bylaw, euro(item.amount)] for item in fees],
        "total": ["Festgesetzte Gebühren", euro(amount)],
        "due_on": datum(due_on),
        "payment": {"direct_debit": False, "mandate_reference": "", "debtor_iban_masked": "",
                    "creditor_id": payee.creditor_id, "purpose": text,
                    "code_caption": f"{euro(amount)} fällig am {datum(due_on)}"},
    }, images={"girocode": girocode})
