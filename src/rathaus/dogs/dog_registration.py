"""Deciding a dog registration: the register entry with its tax tag, the tax notice in
the eAkte, and its delivery to the citizen's mailbox, all in one transaction. The tax
tag number and the mandate reference are reserved for the case just before it."""

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from rathaus.authorities.links import portal_url
from rathaus.authorities.sequences import reserve_value
from rathaus.cases.decisions import decision_handler
from rathaus.cases.models import Case
from rathaus.catalog.registry import definition
from rathaus.mailbox.services import NewAttachment, deliver_message
from rathaus.notices.formats import datum, euro
from rathaus.notices.letter import Recipient
from rathaus.notices.rejection import issue_rejection
from rathaus.payments.iban import format_iban
from rathaus.payments.instructions import ByDirectDebit
from rathaus.payments.selectors import payment_instruction
from rathaus.payments.services import create_sepa_mandate, reserve_mandate_reference
from rathaus.publication.signals import figures_changed
from rathaus.records.selectors import has_notice
from rathaus.records.services import add_document

from .dog_tax import NoBylawInForce, assess, bylaw_in_force, liability_start
from .models import Dog, DogCategory
from .notices import TaxedDog, rate_label, render_dog_tax_notice
from .statistics import district_for

LISTED = {"section_3", "section_10"}


def holder_address(case: Case) -> Recipient:
    answers = case.answers
    return Recipient(
        name=f"{answers['first_name']} {answers['last_name']}",
        street=f"{answers['street']} {answers['house_number']}",
        postcode=answers["postcode"], city=answers["city"],
    )


def _breed_label(case: Case) -> str:
    answers = case.answers
    if answers.get("breed") == "mischling":
        return answers.get("breed_other") or "Mischling"
    field = definition(case.service_id).fields["breed"]
    option = next((o for o in field.options if o.value == answers.get("breed")), None)
    return option.label["de"] if option else answers.get("breed", "")


def mailbox_link(message) -> str:
    return portal_url(reverse("mailbox:message", args=[message.pk]))


def category_from_answers(answers: dict) -> str:
    """The tax category of the dog an application is for (`dog_category` is derived
    from the breed: dogs under § 3 and § 10 LHundG NRW are taxed as dangerous)."""
    listed = answers.get("dog_category") in LISTED
    return DogCategory.DANGEROUS if listed else DogCategory.STANDARD


def position_from_answers(answers: dict) -> int:
    return int(answers.get("dogs_in_household") or 1)


def _category(case: Case) -> str:
    return category_from_answers(case.answers)


def assessment_from_answers(answers: dict, *, on: date):
    """The tax the notice sets for an application with `answers` decided on `on`: the
    notice and the estimate on the summary (`dogs/costs.py`) both come from here."""
    return assess(
        bylaw_in_force(on), dog_category=category_from_answers(answers),
        position_in_household=position_from_answers(answers),
        taken_in=date.fromisoformat(answers["taken_in"]), year=on.year, notice_date=on,
    )


def assessment_for(case: Case, *, on: date):
    """The tax the notice sets if the case is decided on `on`."""
    return assessment_from_answers(case.answers, on=on)


def preview_decision(case: Case) -> list[tuple[str, str]]:
    """What the Steuerbescheid will say if the case is approved today, for the clerks
    who propose and confirm it."""
    try:
        assessment = assessment_for(case, on=timezone.localdate())
    except NoBylawInForce:
        return [(gettext("Dog tax"), gettext("No dog tax bylaw is in force: no notice can be "
                                             "issued until one is entered."))]
    rows = [
        (gettext("Rate"), f"{rate_label(assessment)}, {euro(assessment.yearly_rate)} "
                          + gettext("per year")),
        (gettext("Liable"), f"{datum(assessment.liable_from)} – {datum(assessment.liable_until)}"
         if assessment.months else gettext("not this year")),
        (gettext("Tax %(year)s") % {"year": assessment.year},
         f"{euro(assessment.amount)} ({assessment.months}/12)"),
    ]
    rows += [(gettext("Due on %(date)s") % {"date": datum(p.due_on)}, euro(p.amount))
             for p in assessment.payments]
    method = case.answers.get("payment_method")
    rows.append((gettext("Payment"), gettext("SEPA direct debit") if method == "sepa"
                 else gettext("Bank transfer (the notice carries a GiroCode)")))
    return rows


def reserve_numbers(case: Case) -> dict:
    """The tax tag number and, for a SEPA mandate, its reference, drawn before the
    decision's transaction and kept for this case (a repeated run gets the same)."""
    if case.status == Case.Status.REJECTED:
        return {}
    key = f"case:{case.pk}"
    numbers = {"tax_tag_number": reserve_value("hundesteuermarke", key=key)}
    if case.answers.get("payment_method") == "sepa":
        numbers["mandate_reference"] = reserve_mandate_reference(key=key)
    return numbers


@decision_handler("hundeanmeldung", reserve=reserve_numbers, preview=preview_decision)
def decide_dog_registration(
    case: Case, *, tax_tag_number: int | None = None, mandate_reference: str | None = None
) -> None:
    if has_notice(case.case_file):
        return  # already issued: a repeated run changes nothing
    if case.status == Case.Status.REJECTED:
        reject(case)
        return
    if tax_tag_number is None:
        raise ValueError("An approved dog registration needs the numbers of reserve_numbers.")
    answers = case.answers
    today = timezone.localdate()
    taken_in = date.fromisoformat(answers["taken_in"])
    category = _category(case)
    mandate = None
    if answers.get("payment_method") == "sepa":
        mandate = create_sepa_mandate(debtor_name=answers["account_holder"],
                                      iban=answers["iban"], signed_on=case.submitted_at.date(),
                                      reference=mandate_reference)
    dog = Dog.objects.create(
        holder=case.applicant, case=case, name=answers["dog_name"], breed=_breed_label(case),
        category=category, microchip=answers["microchip"], taken_in=taken_in,
        tax_tag_number=tax_tag_number, liable_from=liability_start(taken_in),
        district=district_for(answers["street"]), notice_date=today, sepa_mandate=mandate,
        position_in_household=position_from_answers(answers),
    )
    figures_changed.send(sender=Dog)  # dogs per district follow (same transaction)
    assessment = assessment_for(case, on=today)
    holder = holder_address(case)
    payment = payment_instruction(mandate=mandate)
    pdf = render_dog_tax_notice(
        assessment=assessment, holder=holder,
        dog=TaxedDog(name=dog.name, breed=dog.breed, tax_tag_number=str(dog.tax_tag_number)),
        aktenzeichen=case.reference, payment=payment, notice_date=today,
    )
    filename = f"steuerbescheid-hundesteuer-{case.reference}.pdf"
    add_document(case_file=case.case_file, title=f"Steuerbescheid Hundesteuer {today.year}",
                 kind="notice", content=pdf, media_type="application/pdf", filename=filename)
    deliver_message(
        recipient=case.applicant, reference=case.reference,
        subject=f"Steuerbescheid Hundesteuer {today.year} – {dog.name}",
        body=notice_message_body(holder=holder, dog=dog, assessment=assessment,
                                 payment=payment, reference=case.reference),
        attachments=[NewAttachment(filename=filename, media_type="application/pdf",
                                   content=pdf)],
        link_for=mailbox_link,
    )


def reject(case: Case) -> None:
    """The Ablehnungsbescheid, filed and delivered like every notice."""
    issue_rejection(case=case, recipient=holder_address(case), link_for=mailbox_link)


def notice_message_body(*, holder, dog, assessment, payment, reference) -> str:
    """The message says what to pay and when, so nobody has to open the PDF for that."""
    lines = [
        f"Guten Tag {holder.name},",
        "",
        f"Ihr Hund {dog.name} ist angemeldet. Die Nummer der Hundesteuermarke ist "
        f"{dog.tax_tag_number}; die Marke erhalten Sie per Post.",
        "",
        f"Hundesteuer {assessment.year}: {euro(assessment.amount)}",
        *[f"– {euro(p.amount)} fällig am {p.due_on:%d.%m.%Y}" for p in assessment.payments],
        "",
    ]
    if isinstance(payment, ByDirectDebit):
        lines.append("Wir ziehen die Beträge per Lastschrift von Ihrem Konto ein "
                     f"(Mandatsreferenz {payment.mandate_reference}).")
    else:
        lines += [
            "Bitte überweisen Sie an:",
            f"{payment.payee.account_holder}, IBAN {format_iban(payment.payee.iban)}",
            f"Verwendungszweck: Hundesteuer {assessment.year} Az. {reference}",
        ]
    lines += ["", "Im Anhang finden Sie den Steuerbescheid mit allen Einzelheiten."]
    return "\n".join(lines)
