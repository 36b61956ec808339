"""Deregistering a dog online (Abmeldung): the tax ends with the month in which the
dog was given up, and a change notice (Änderungsbescheid) reaches the mailbox."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.permissions import guarded_by, unguarded
from rathaus.audit.services import record
from rathaus.mailbox.services import NewAttachment, deliver_message
from rathaus.payments.selectors import payment_instruction
from rathaus.records.services import add_document

from .dog_registration import holder_address, mailbox_link
from .dog_tax import assess, bylaw_in_force, change_assessment, liability_end
from .models import Dog
from .notices import TaxedDog, render_dog_tax_change_notice
from .permissions import is_holder

# What the Steueramt asks when a dog is deregistered (the audit entry keeps the answer);
# the portal asks exactly these, and none if the tuple is empty.
REASONS = (
    ("died", _("The dog has died")),
    ("given_away", _("I gave the dog away or sold it")),
    ("moved", _("I moved away with the dog")),
)


class AlreadyDeregistered(Exception):
    pass


class DateNotPossible(ValueError):
    """The dog cannot have left before it came, nor in the future."""

    def __init__(self, given_up_on: date, *, earliest: date, latest: date):
        super().__init__(given_up_on)
        self.earliest, self.latest = earliest, latest


@unguarded("checks a date against the dog; writes nothing")
def check_given_up_on(dog: Dog, given_up_on: date) -> None:
    """Raises DateNotPossible unless the date lies between the day the dog came and today."""
    today = timezone.localdate()
    if given_up_on < dog.taken_in or given_up_on > today:
        raise DateNotPossible(given_up_on, earliest=dog.taken_in, latest=today)


@unguarded("date arithmetic; writes nothing")
def tax_ends_on(given_up_on: date) -> date:
    """The last day of dog tax: the end of the month in which the dog left."""
    return liability_end(given_up_on)


@guarded_by(is_holder, actor="holder")
@transaction.atomic
def deregister_dog(*, dog: Dog, holder, given_up_on: date, reason: str) -> Dog:
    dog = Dog.objects.select_for_update().get(pk=dog.pk, holder=holder)
    if dog.given_up_on:
        raise AlreadyDeregistered(dog.pk)
    check_given_up_on(dog, given_up_on)
    today = timezone.localdate()
    year = today.year
    bylaw = bylaw_in_force(today)
    previous = assess(
        bylaw, dog_category=dog.category, position_in_household=dog.position_in_household,
        taken_in=dog.taken_in, year=year,
        notice_date=dog.notice_date if dog.notice_date.year == year else None,
    )
    change = change_assessment(previous, bylaw, given_up=given_up_on, notice_date=today)
    dog.given_up_on = given_up_on
    dog.save(update_fields=["given_up_on"])
    case = dog.case
    pdf = render_dog_tax_change_notice(
        change=change, holder=holder_address(case),
        dog=TaxedDog(name=dog.name, breed=dog.breed, tax_tag_number=str(dog.tax_tag_number)),
        aktenzeichen=case.reference, payment=payment_instruction(mandate=dog.sepa_mandate),
        previous_notice_date=dog.notice_date,
    )
    filename = f"aenderungsbescheid-hundesteuer-{case.reference}.pdf"
    add_document(case_file=case.case_file, title=f"Änderungsbescheid Hundesteuer {year}",
                 kind="notice", content=pdf, media_type="application/pdf", filename=filename,
                 created_by=holder)
    deliver_message(
        recipient=holder, reference=case.reference,
        subject=f"Abmeldung Ihres Hundes {dog.name} – Änderungsbescheid",
        body=(f"Ihr Hund {dog.name} ist zum {given_up_on:%d.%m.%Y} abgemeldet. Die Hundesteuer "
              "endet mit Ablauf dieses Monats. Den Änderungsbescheid finden Sie im Anhang. "
              "Bitte geben Sie die Hundesteuermarke zurück."),
        attachments=[NewAttachment(filename=filename, media_type="application/pdf",
                                   content=pdf)],
        link_for=mailbox_link, actor=holder,
    )
    record("dogs.dog_deregistered", actor=holder, target=dog,
           data={"reference": case.reference, "given_up_on": given_up_on.isoformat(),
                 "reason": reason})
    return dog
