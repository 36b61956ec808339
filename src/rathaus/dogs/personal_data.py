"""What the dog register holds about a holder, for the copy of their data (Art. 15
DSGVO): each dog's register entry with its tax tag, the dog tax assessed for every year
of its liability, and the SEPA mandate it is paid by. Registered with
subject_access.providers."""

from datetime import date

from django.utils import timezone

from rathaus.subject_access.providers import PersonalDataPart, personal_data_provider

from .dog_tax import NoBylawInForce, TaxAssessment, assess, bylaw_in_force
from .models import Dog
from .selectors import dogs_of


@personal_data_provider("dogs")
def dogs_part(*, citizen, case_references) -> PersonalDataPart | None:
    dogs = list(dogs_of(holder=citizen).select_related("case", "sepa_mandate"))
    if not dogs:
        return None
    return PersonalDataPart(
        filename="hunde.json",
        title="Hunderegister und Hundesteuer",
        description=("Ihre Hunde, wie das Hunderegister sie führt (mit Steuermarke), die "
                     "Hundesteuer jedes Jahres, für das Sie steuerpflichtig sind oder waren, "
                     "und das SEPA-Lastschriftmandat, mit dem Sie zahlen."),
        data=[_dog(dog) for dog in dogs],
    )


def _dog(dog: Dog) -> dict:
    mandate = dog.sepa_mandate
    return {
        "name": dog.name,
        "rasse": dog.breed,
        "steuerkategorie": dog.get_category_display(),
        "chipnummer": dog.microchip,
        "aufgenommen_am": dog.taken_in,
        "steuermarke": dog.tax_tag_number,
        "steuerpflichtig_ab": dog.liable_from,
        "stelle_im_haushalt": dog.position_in_household,
        "bescheid_vom": dog.notice_date,
        "abgemeldet_zum": dog.given_up_on,
        "ortsteil": dog.district or None,
        "eingetragen_am": dog.registered_at,
        "aktenzeichen_der_anmeldung": dog.case.reference,
        "hundesteuer": [_assessment(tax) for tax in _assessments(dog)],
        "sepa_lastschriftmandat": None if mandate is None else {
            "kontoinhaber": mandate.debtor_name, "iban": mandate.iban,
            "mandatsreferenz": mandate.reference, "erteilt_am": mandate.signed_on,
        },
    }


def _assessments(dog: Dog) -> list[TaxAssessment]:
    """The tax of each year from the first liable one to this one (or the year the dog
    was given up), by the bylaw in force then. A year without a bylaw has no tax."""
    today = timezone.localdate()
    last = min(today.year, dog.given_up_on.year) if dog.given_up_on else today.year
    found = []
    for year in range(dog.liable_from.year, last + 1):
        on = dog.notice_date if year == dog.notice_date.year else date(year, 1, 1)
        try:
            bylaw = bylaw_in_force(on)
        except NoBylawInForce:
            continue
        found.append(assess(bylaw, dog_category=dog.category,
                            position_in_household=dog.position_in_household,
                            taken_in=dog.taken_in, year=year, given_up=dog.given_up_on,
                            notice_date=dog.notice_date if year == dog.notice_date.year
                            else None))
    return found


def _assessment(tax: TaxAssessment) -> dict:
    return {
        "jahr": tax.year, "satzung": tax.legal_basis, "jahressatz_euro": tax.yearly_rate,
        "steuerfrei": tax.exempt, "pflichtig_von": tax.liable_from,
        "pflichtig_bis": tax.liable_until, "monate": tax.months, "betrag_euro": tax.amount,
        "zahlungen": [{"faellig_am": payment.due_on, "betrag_euro": payment.amount}
                      for payment in tax.payments],
    }
