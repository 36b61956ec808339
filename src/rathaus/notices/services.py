"""Dog tax notices as PDF: plain data in, PDF/A bytes out.

The caller files the bytes in the eAkte and delivers them to the citizen's mailbox.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rathaus.payments.girocode import epc_qr_svg_data_uri
from rathaus.payments.instructions import ByDirectDebit, PaymentInstruction
from rathaus.registers.dog_tax import (
    ChangeAssessment,
    Payment,
    TaxAssessment,
    full_year_instalments,
)
from rathaus.registers.models import DogCategory

from .letter import Recipient, letter_context
from .rendering import render_pdf


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
    """A GiroCode for the first amount due, unless a mandate pays or nothing is due."""
    if isinstance(payment, ByDirectDebit) or not payments:
        return None
    payee = payment.payee
    return epc_qr_svg_data_uri(
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


def _payment_context(payment, payments, *, aktenzeichen: str, year: int) -> dict:
    return {
        "payment": payment,
        "payments": payments,
        "direct_debit": isinstance(payment, ByDirectDebit),
        "girocode": girocode(
            payment, payments, text=f"Hundesteuer {year} Az. {aktenzeichen}"
        ),
    }


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
    context = letter_context(
        recipient=holder, aktenzeichen=aktenzeichen, notice_date=notice_date,
        payee=payment.payee,
    )
    following = full_year_instalments(assessment) if assessment.continues_next_year else ()
    context |= {
        "assessment": assessment,
        "dog": dog,
        "rate_label": rate_label(assessment),
        "catch_up_date": _catch_up_date(assessment),
        "next_year": assessment.year + 1,
        "following_years": following,
        "following_each": _same_amount(following),
        **_payment_context(
            payment, assessment.payments, aktenzeichen=aktenzeichen, year=assessment.year
        ),
    }
    return render_pdf("notices/steuerbescheid_hundesteuer.html", context)


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
    context = letter_context(
        recipient=holder, aktenzeichen=aktenzeichen, notice_date=change.notice_date,
        payee=payment.payee,
    )
    context |= {
        "change": change,
        "assessment": change.corrected,
        "previous_notice_date": previous_notice_date,
        "dog": dog,
        "rate_label": rate_label(change.corrected),
        "rows": (("bisher", change.previous), ("neu", change.corrected)),
        **_payment_context(
            payment, change.payments, aktenzeichen=aktenzeichen, year=change.corrected.year
        ),
    }
    return render_pdf("notices/aenderungsbescheid_hundesteuer.html", context)
