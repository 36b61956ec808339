"""Dog tax notices as PDF: plain data in, PDF/A bytes out.

Each notice is a Typst template in `typst/` and the data it prints, formatted here.

The caller files the bytes in the eAkte and delivers them to the citizen's mailbox.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rathaus.accounts.permissions import unguarded_module
from rathaus.notices.formats import datum, euro, tag_monat
from rathaus.notices.letter import Recipient, letter_data
from rathaus.notices.typesetting import render_pdf
from rathaus.payments.girocode import epc_qr_svg
from rathaus.payments.instructions import ByDirectDebit, PaymentInstruction

from .dog_tax import (
    ChangeAssessment,
    Payment,
    TaxAssessment,
    full_year_instalments,
)
from .models import DogCategory

# Who may act is asked by the services that call these (accounts.permissions).
unguarded_module(__name__, "renders PDFs and writes nothing; called inside decision "
                           "handlers and the deregistration")


@dataclass(frozen=True)
class TaxedDog:
    name: str
    breed: str
    tax_tag_number: str


# Notices are German documents; these are the words of the bylaws.
_EXEMPT_LABELS = {
    DogCategory.ASSISTANCE: "Assistenzhund, steuerfrei",
    DogCategory.RESCUE: "Rettungshund, steuerfrei",
    DogCategory.STANDARD: "steuerfrei",
    DogCategory.DANGEROUS: "steuerfrei",
}


def rate_label(assessment: TaxAssessment) -> str:
    """Which rate of the bylaw applies, in the bylaw's words."""
    if assessment.exempt:
        return _EXEMPT_LABELS[assessment.dog_category]
    first = assessment.position_in_household == 1
    if assessment.dog_category == DogCategory.DANGEROUS:
        return "gefährlicher Hund" if first else "weiterer gefährlicher Hund"
    return {1: "erster Hund", 2: "zweiter Hund"}.get(
        assessment.position_in_household, "jeder weitere Hund"
    )


def girocode(
    payment: PaymentInstruction, payments: tuple[Payment, ...], *, text: str
) -> str | None:
    """A GiroCode (SVG) for the first amount due, unless a mandate pays or nothing is due."""
    if isinstance(payment, ByDirectDebit) or not payments:
        return None
    payee = payment.payee
    return epc_qr_svg(
        name=payee.account_holder, iban=payee.iban, bic=payee.bic,
        amount=payments[0].amount, text=text,
    )


def _catch_up_date(assessment: TaxAssessment) -> date | None:
    """The day the catch-up rule moved instalments to, if it moved any."""
    moved = [i.due_on for i in assessment.instalments if i.due_on != i.scheduled_on]
    return moved[0] if moved else None


def _same_amount(instalments) -> Decimal | None:
    amounts = {i.amount for i in instalments}
    return amounts.pop() if len(amounts) == 1 else None


def _optional(value, format_):
    return format_(value) if value else None


def _dog_data(dog: TaxedDog) -> dict:
    return {"name": dog.name, "breed": dog.breed, "tax_tag_number": dog.tax_tag_number}


def _assessment_row(label: str, assessment: TaxAssessment) -> list[str]:
    period = (f"{datum(assessment.liable_from)} – {datum(assessment.liable_until)}"
              if assessment.months else "keine")
    return [label, euro(assessment.yearly_rate), period, str(assessment.months),
            euro(assessment.amount)]


def _payment_data(payment, payments, *, aktenzeichen: str, year: int) -> dict:
    """The payment box, or None when nothing is to be paid; the GiroCode as an image."""
    purpose = f"Hundesteuer {year} Az. {aktenzeichen}"
    if not payments:
        return {"payment": None}, {}
    direct_debit = isinstance(payment, ByDirectDebit)
    data = {"payment": {
        "direct_debit": direct_debit,
        "mandate_reference": payment.mandate_reference if direct_debit else "",
        "debtor_iban_masked": payment.debtor_iban_masked if direct_debit else "",
        "creditor_id": payment.payee.creditor_id,
        "purpose": purpose,
        "code_caption": f"{euro(payments[0].amount)} fällig am {datum(payments[0].due_on)}",
    }}
    code = girocode(payment, payments, text=purpose)
    return data, ({"girocode": code} if code else {})


def render_dog_tax_notice(
    *,
    assessment: TaxAssessment,
    holder: Recipient,
    dog: TaxedDog,
    aktenzeichen: str,
    payment: PaymentInstruction,
    notice_date: date,
) -> bytes:
    """The Steuerbescheid for one dog and one year."""
    data = letter_data(
        title=f"Bescheid über die Festsetzung der Hundesteuer für das Jahr {assessment.year}",
        recipient=holder, aktenzeichen=aktenzeichen, notice_date=notice_date,
        payee=payment.payee,
    )
    payments = assessment.payments
    following = full_year_instalments(assessment) if assessment.continues_next_year else ()
    each = _same_amount(following)
    data |= {
        "dog": _dog_data(dog),
        "legal_basis": assessment.legal_basis,
        "year": str(assessment.year),
        "assessment_rows": [_assessment_row(rate_label(assessment), assessment)],
        "total": [f"Festgesetzte Hundesteuer {assessment.year} "
                  f"({euro(assessment.yearly_rate)} × {assessment.months}/12)",
                  euro(assessment.amount)],
        "taken_in": datum(assessment.taken_in),
        "given_up": _optional(assessment.given_up, datum),
        "schedule": [["Fällig am", *(datum(p.due_on) for p in payments)],
                     ["Betrag", *(euro(p.amount) for p in payments)]] if payments else None,
        "catch_up_date": _optional(_catch_up_date(assessment), datum),
        "following": {
            "from_year": str(assessment.year + 1), "yearly": euro(assessment.yearly_rate),
            "each": _optional(each, euro),
            "dates": [tag_monat(i.scheduled_on) for i in following],
            "amounts": [euro(i.amount) for i in following],
        } if following else None,
    }
    payment_data, images = _payment_data(
        payment, payments, aktenzeichen=aktenzeichen, year=assessment.year)
    return render_pdf("dogs/typst/steuerbescheid_hundesteuer.typ", data | payment_data,
                      images=images)


def render_dog_tax_change_notice(
    *,
    change: ChangeAssessment,
    holder: Recipient,
    dog: TaxedDog,
    aktenzeichen: str,
    payment: PaymentInstruction,
    previous_notice_date: date,
) -> bytes:
    """The Änderungsbescheid after deregistration: corrected amount, refund, what is left."""
    corrected = change.corrected
    data = letter_data(
        title=f"Änderungsbescheid über die Hundesteuer für das Jahr {corrected.year}",
        recipient=holder, aktenzeichen=aktenzeichen, notice_date=change.notice_date,
        payee=payment.payee,
    )
    direct_debit = isinstance(payment, ByDirectDebit)
    data |= {
        "dog": _dog_data(dog),
        "year": str(corrected.year),
        "given_up": datum(corrected.given_up),
        "liable_until": _optional(corrected.liable_until, datum),
        "previous_notice_date": datum(previous_notice_date),
        "rate_label": rate_label(corrected),
        "assessment_rows": [_assessment_row("bisher", change.previous),
                            _assessment_row("neu", corrected)],
        "total": [f"Neu festgesetzte Hundesteuer {corrected.year} "
                  f"(Änderung {euro(change.difference)})", euro(corrected.amount)],
        "schedule": [["Fällig am", *(datum(c.due_on) for c in change.changes)],
                     ["bisher", *(euro(c.previous_amount) for c in change.changes)],
                     ["neu", *(euro(c.new_amount) for c in change.changes)]]
        if change.changes else None,
        "refund": _optional(change.refund, euro),
        "refund_account": payment.debtor_iban_masked if direct_debit else None,
        "additional": _optional(change.additional, euro),
        "continues_next_year": corrected.continues_next_year,
    }
    payment_data, images = _payment_data(
        payment, change.payments, aktenzeichen=aktenzeichen, year=corrected.year)
    return render_pdf("dogs/typst/aenderungsbescheid_hundesteuer.typ", data | payment_data,
                      images=images)
