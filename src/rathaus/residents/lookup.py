"""Looking persons up in the resident register, for the registration office's staff.

Both selectors ask `residents.may_keep_register` themselves, so no page, command or API
can show the register to anyone else. Opening a person's entry is logged in the audit
trail (`residents.person_viewed`): who looked at whose data.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F, Prefetch, Q, Value
from django.db.models.functions import Lower, Replace

from rathaus.accounts.permissions import guarded_by
from rathaus.audit.services import record

from .models import HouseholdMember, Objection, Person, Residence
from .permissions import may_keep_register

SEARCH_LIMIT = 50

# Staff type names as they hear them: "Mueller" for "Müller", "Weiss" for "Weiß". Both
# the name in the register and the search are spelt out this way before they are
# compared, in the database (SQLite's LOWER folds only ASCII, so capitals are spelt
# out too).
_SPELLED_OUT = (("Ä", "ae"), ("ä", "ae"), ("Ö", "oe"), ("ö", "oe"), ("Ü", "ue"),
                ("ü", "ue"), ("ẞ", "ss"), ("ß", "ss"))


def _spelled_out(text: str) -> str:
    for letter, spelling in _SPELLED_OUT:
        text = text.replace(letter, spelling)
    return " ".join(text.lower().split())


def _spelled_out_column(field: str):
    expression = F(field)
    for letter, spelling in _SPELLED_OUT:
        expression = Replace(expression, Value(letter), Value(spelling))
    return Lower(expression)


def _a_word_starts_with(column: str, text: str) -> Q:
    """The name, or one of its words or parts of a double name, begins with `text`:
    "Maria" finds "Anna Maria", "Lüd" finds "Müller-Lüdenscheidt"."""
    return (Q(**{f"{column}__startswith": text}) | Q(**{f"{column}__contains": f" {text}"})
            | Q(**{f"{column}__contains": f"-{text}"}))


@dataclass(frozen=True)
class Found:
    persons: list[Person]  # each with `current_residences`, the main residence first
    more: bool  # more persons match than the list holds


def _with_current_residences(persons):
    current = (Residence.objects.filter(moved_out__isnull=True).select_related("dwelling")
               .order_by("kind", "moved_in", "pk"))  # "main" sorts before "secondary"
    return persons.prefetch_related(
        Prefetch("residences", queryset=current, to_attr="current_residences"))


@guarded_by(may_keep_register)
def find_persons(*, actor, family_name: str = "", given_names: str = "",
                 date_of_birth: date | None = None) -> Found:
    """Persons of the register whose family name and given names begin with what was
    typed (a word of them does), case and umlaut spelling aside, born on
    `date_of_birth` if given. Without a name nobody is found: the register is not a
    list to browse."""
    family_name, given_names = _spelled_out(family_name), _spelled_out(given_names)
    if not family_name and not given_names:
        return Found(persons=[], more=False)
    persons = Person.objects.annotate(
        family_key=_spelled_out_column("family_name"),
        given_key=_spelled_out_column("given_names"))
    if family_name:
        persons = persons.filter(_a_word_starts_with("family_key", family_name))
    if given_names:
        persons = persons.filter(_a_word_starts_with("given_key", given_names))
    if date_of_birth:
        persons = persons.filter(date_of_birth=date_of_birth)
    persons = _with_current_residences(
        persons.order_by("family_name", "given_names", "date_of_birth", "pk"))
    found = list(persons[:SEARCH_LIMIT + 1])
    return Found(persons=found[:SEARCH_LIMIT], more=len(found) > SEARCH_LIMIT)


@dataclass(frozen=True)
class PersonEntry:
    """A person's entry in the register as the office shows it."""

    person: Person
    current: list[Residence]  # the main residence first
    history: list[Residence]  # every residence, the newest first
    membership: HouseholdMember | None
    household: list[HouseholdMember]  # every member, the head first, the person too
    objections: list[Objection]  # standing ones first, then withdrawn ones


_RELATIONSHIP_ORDER = {"head": 0, "spouse": 1, "partner": 1, "child": 2}


@guarded_by(may_keep_register)
def open_person(*, actor, person_id: int) -> PersonEntry | None:
    """The person's entry, or None if the authority's register has no such person.
    Records that `actor` opened it."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        return None
    history = list(person.residences.select_related("dwelling")
                   .order_by("-moved_in", "-pk"))
    membership = (HouseholdMember.objects.filter(person=person)
                  .select_related("household").first())
    household = []
    if membership is not None:
        household = sorted(
            membership.household.members.select_related("person"),
            key=lambda m: (_RELATIONSHIP_ORDER.get(m.relationship, 3),
                           m.person.date_of_birth, m.pk))
    objections = list(person.objections.order_by(
        F("withdrawn_on").desc(nulls_first=True), "-filed_on", "pk"))
    with transaction.atomic():
        record("residents.person_viewed", actor=actor, target=person)
    return PersonEntry(
        person=person,
        current=sorted((r for r in history if r.is_current), key=lambda r: r.kind),
        history=history, membership=membership, household=household,
        objections=objections)
