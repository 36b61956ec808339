"""What the resident register holds about a citizen, for the copy of their data (Art.
15 DSGVO). The register's persons are not linked to portal accounts: a person is the
citizen's when one of their approved registrations of residence moved them in (the
applicant, found as the decision found them: names and date of birth). Only the
citizen's own entry is given, not those of the people who moved with them."""

from rathaus.cases.models import Case
from rathaus.cases.selectors import cases_of_citizen
from rathaus.subject_access.providers import PersonalDataPart, personal_data_provider

from .models import Person
from .registration import SERVICE, movers_from_answers
from .selectors import address_history
from .services import find_person


@personal_data_provider("residents")
def register_part(*, citizen, case_references) -> PersonalDataPart | None:
    persons = _persons_of(citizen)
    if not persons:
        return None
    return PersonalDataPart(
        filename="melderegister.json",
        title="Melderegister",
        description=("Ihr Eintrag im Melderegister, wie ihn Ihre Anmeldungen angelegt haben: "
                     "Ihre Daten, Ihre Wohnungen mit Ein- und Auszug, Ihre Stellung im "
                     "Haushalt und Ihre Widersprüche und Übermittlungssperren."),
        data=[_person(person) for person in persons],
    )


def _persons_of(citizen) -> list[Person]:
    found: dict[int, Person] = {}
    for case in cases_of_citizen(user=citizen).filter(
            service_id=SERVICE, status=Case.Status.APPROVED).order_by("submitted_at"):
        try:
            applicant = movers_from_answers(case.answers)[0]
        except (KeyError, ValueError, TypeError):  # an application of an older form
            continue
        person = find_person(applicant)
        if person is not None:
            found.setdefault(person.pk, person)
    return list(found.values())


def _person(person: Person) -> dict:
    membership = getattr(person, "membership", None)
    return {
        "familienname": person.family_name, "vornamen": person.given_names,
        "geburtsdatum": person.date_of_birth, "geburtsort": person.place_of_birth,
        "geschlecht": person.get_sex_display(), "staatsangehoerigkeit": person.nationality or None,
        "wohnungen": [
            {"anschrift": str(residence.dwelling), "art": residence.get_kind_display(),
             "eingezogen_am": residence.moved_in, "ausgezogen_am": residence.moved_out,
             "eingetragen_durch": residence.get_started_by_display(),
             "beendet_durch": residence.get_ended_by_display() if residence.ended_by else None}
            for residence in address_history(person)],
        "stellung_im_haushalt": membership.get_relationship_display() if membership else None,
        "widersprueche": [
            {"art": objection.get_kind_display(), "eingelegt_am": objection.filed_on,
             "zurueckgenommen_am": objection.withdrawn_on, "begruendung": objection.reason or None}
            for objection in person.objections.order_by("filed_on", "pk")],
    }
