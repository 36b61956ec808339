"""The checks of the registration form's answers taken together (the definition's
`checks:`), in the citizen's words."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from rathaus.forms.checks import answer_check

from .directory import street_named
from .models import InvalidHouseNumber, normalise_house_number

MEMBER_SLOTS = 4


def members(answers: dict) -> list[dict]:
    """The persons moving with the applicant, as the form asked them (member1_… to
    member4_…, as many as `members_count` says)."""
    count = int(answers.get("members_count") or 0)
    return [
        {key: answers.get(f"member{slot}_{key}") for key in (
            "given_names", "family_name", "date_of_birth", "place_of_birth", "sex",
            "relationship")}
        for slot in range(1, min(count, MEMBER_SLOTS) + 1)
    ]


@answer_check("residents.new_address")
def new_address(answers: dict) -> dict:
    """The new home is at a street of the town's directory, with a house number, in
    the street's postcode."""
    street = street_named(answers.get("new_street") or "")
    if street is None:
        return {"new_street": _(
            "We do not know this street in the town. Check the spelling, for example "
            "“Marktstraße”, or call the Bürgerbüro.")}
    problems = {}
    try:
        normalise_house_number(answers.get("new_house_number") or "")
    except InvalidHouseNumber:
        problems["new_house_number"] = _(
            "Enter the house number with digits, for example 12 or 12a.")
    if answers.get("new_postcode") and answers["new_postcode"] != street.postcode:
        problems["new_postcode"] = _(
            "The postcode of %(street)s is %(postcode)s. Check the postcode.") % {
            "street": street.name, "postcode": street.postcode}
    return problems


@answer_check("residents.household")
def household(answers: dict) -> dict:
    problems = {}
    partners = [slot for slot, member in enumerate(members(answers), start=1)
                if member["relationship"] in ("spouse", "partner")]
    for slot in partners[1:]:
        problems[f"member{slot}_relationship"] = _(
            "Only one spouse or partner can move with you. Check the relationship.")
    applicant_born = answers.get("date_of_birth")
    for slot, member in enumerate(members(answers), start=1):
        born = member["date_of_birth"]
        if (member["relationship"] == "child" and born and applicant_born
                and date.fromisoformat(born) <= date.fromisoformat(applicant_born)):
            problems.setdefault(f"member{slot}_date_of_birth", _(
                "A child cannot be born before you. Check the date of birth."))
    return problems
