"""The test identity provider's persons in the demo's resident registers: a citizen who
moves must be known where they lived. Anna Testfrau lives in Leichlingen with her
partner and daughter (the household of the README's journey); Emil Zuzug lives in
Burscheid, so his move to Leichlingen sends the Rückmeldung into Burscheid's basket."""

from datetime import date

from django.conf import settings

from rathaus.accounts.models import User
from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context
from rathaus.identity.test_idp import PERSONS
from rathaus.residents.demo import register_demo_person
from rathaus.residents.directory import street_named
from rathaus.residents.models import Relationship, Sex, Street
from rathaus.residents.services import Newcomer

from . import data

# Who lives with the test persons; the ID card knows only its holder.
HOUSEHOLDS = {
    "anna": [("Tim", "Testmann", date(1983, 2, 11), "Köln", Sex.MALE, Relationship.PARTNER),
             ("Lina", "Testfrau", date(2018, 6, 3), "Leichlingen (Rheinland)", Sex.FEMALE,
              Relationship.CHILD)],
}
SEX = {"anna": Sex.FEMALE, "bernd": Sex.MALE, "clara": Sex.FEMALE, "deniz": Sex.DIVERSE,
       "emil": Sex.MALE}
BURSCHEID_STREETS = [("00800", "Hauptstraße", "Burscheid-Mitte"),
                     ("00450", "Höhestraße", "Burscheid-Mitte")]
MOVED_IN = date(2019, 4, 1)


def _household(person) -> list[Newcomer]:
    head = Newcomer(family_name=person.family_name, given_names=person.given_name,
                    date_of_birth=date.fromisoformat(person.birth_date),
                    place_of_birth=person.birth_place, sex=SEX[person.key])
    return [head, *(Newcomer(given_names=given, family_name=family, date_of_birth=born,
                             place_of_birth=place, sex=sex, relationship=relationship)
                    for given, family, born, place, sex, relationship
                    in HOUSEHOLDS.get(person.key, ()))]


def _clerk_of(authority: Authority) -> User | None:
    return User.objects.filter(memberships__department__authority=authority,
                               memberships__department__slug=settings.RATHAUS_RESIDENTS_OFFICE
                               ).first()


def load_test_identities() -> None:
    for authority in Authority.objects.filter(slug__in=[a["slug"] for a in data.AUTHORITIES]):
        clerk = _clerk_of(authority)
        if clerk is None:
            continue
        with authority_context(authority):
            if authority.slug == "burscheid":
                for key, name, district in BURSCHEID_STREETS:
                    Street.objects.get_or_create(key=key, defaults={
                        "name": name, "postcode": "51399", "place": "Burscheid",
                        "district": district})
            for person in PERSONS:
                if person.city.split(" (")[0] != authority.city.split(" (")[0]:
                    continue
                street, _, number = person.street.rpartition(" ")
                register_demo_person(clerk=clerk, street=street_named(street),
                                     house_number=number, household=_household(person),
                                     moved_in=MOVED_IN)
