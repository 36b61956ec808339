"""The notices of a vehicle registration as PDF: the Zulassungsbescheid (§§ 6, 8 FZV)
and the Gebührenbescheid with its GiroCode. Plain data in, PDF/A bytes out; the
templates are in `typst/`. The caller files the bytes in the district's eAkte and
delivers them to the citizen's mailbox."""

from dataclasses import dataclass
from datetime import date, timedelta

from rathaus.accounts.permissions import unguarded_module
from rathaus.notices.formats import datum, euro
from rathaus.notices.letter import Recipient, issued_by, letter_data
from rathaus.notices.typesetting import render_pdf
from rathaus.payments.girocode import epc_qr_svg
from rathaus.payments.iban import mask_iban
from rathaus.payments.instructions import ByTransfer

from .fees import LEGAL_BASIS, Fee, total

# Who may act is asked by the services that call these (accounts.permissions).
unguarded_module(__name__, "renders PDFs and writes nothing; called inside the decision "
                           "handler of the registration")

REGISTRATION_TITLE = "Zulassungsbescheid"
FEE_TITLE = "Gebührenbescheid"
# The fee is due two weeks after the notice (§ 4 GebOSt leaves the time to the notice).
PAYMENT_DAYS = 14

_KINDS = {"new": "Erstzulassung eines neuen Fahrzeugs",
          "used": "Zulassung eines gebrauchten Fahrzeugs"}


@dataclass(frozen=True)
class Registration:
    """What the registration notice states."""

    keeper: Recipient
    date_of_birth: date
    reference: str  # Aktenzeichen
    issued_on: date
    kind: str  # "new" or "used"
    make: str
    model: str
    vin: str
    plate: str  # "GL-AB 123"
    chosen_plate: bool
    evb: str
    tax_iban: str  # the account the Hauptzollamt debits
    office: str = ""  # the department that decided; empty: the notice settings' office


def render_registration_notice(data: Registration) -> bytes:
    """The Zulassungsbescheid as PDF/A-2b."""
    letter = issued_by(letter_data(
        title=f"{REGISTRATION_TITLE}: Ihr Fahrzeug ist zugelassen", recipient=data.keeper,
        aktenzeichen=data.reference, notice_date=data.issued_on, payee=None), data.office)
    return render_pdf("vehicles/typst/zulassungsbescheid.typ", letter | {
        "kind": _KINDS[data.kind],
        "plate": data.plate,
        "plate_kind": "Wunschkennzeichen" if data.chosen_plate else "zugeteiltes Kennzeichen",
        "registered_on": datum(data.issued_on),
        "vehicle": [["Marke und Typ", f"{data.make} {data.model}"],
                    ["Fahrzeug-Identifizierungsnummer", data.vin]],
        "keeper": [["Name", data.keeper.name],
                   ["Geburtsdatum", datum(data.date_of_birth)],
                   ["Anschrift", f"{data.keeper.street}, {data.keeper.postcode} "
                                 f"{data.keeper.city}"]],
        "evb": data.evb,
        "tax_account": mask_iban(data.tax_iban),
        "charges": False,  # the fees come with their own notice
    })


def due_date(issued_on: date) -> date:
    return issued_on + timedelta(days=PAYMENT_DAYS)


def render_fee_notice(*, keeper: Recipient, reference: str, issued_on: date, plate: str,
                      fees: list[Fee], payment: ByTransfer, office: str = "") -> bytes:
    """The Gebührenbescheid as PDF/A-2b, with a GiroCode for the whole amount."""
    amount, due_on = total(fees), due_date(issued_on)
    purpose = f"Zulassung {plate} Az. {reference}"
    letter = issued_by(letter_data(
        title=f"{FEE_TITLE} zur Zulassung Ihres Fahrzeugs {plate}", recipient=keeper,
        aktenzeichen=reference, notice_date=issued_on, payee=payment.payee), office)
    payee = payment.payee
    girocode = epc_qr_svg(name=payee.account_holder, iban=payee.iban, bic=payee.bic,
                          amount=amount, text=purpose)
    return render_pdf("vehicles/typst/gebuehrenbescheid_zulassung.typ", letter | {
        "plate": plate,
        "legal_basis": LEGAL_BASIS,
        "fee_rows": [[fee.text, fee.tariff, euro(fee.amount)] for fee in fees],
        "total": ["Festgesetzte Gebühren", euro(amount)],
        "due_on": datum(due_on),
        "payment": {"direct_debit": False, "mandate_reference": "", "debtor_iban_masked": "",
                    "creditor_id": payee.creditor_id, "purpose": purpose,
                    "code_caption": f"{euro(amount)} fällig am {datum(due_on)}"},
    }, images={"girocode": girocode})
