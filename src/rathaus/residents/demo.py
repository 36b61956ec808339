"""The demo's street directory, and about two hundred fictional residents in its
streets, entered through the register's services as the Bürgerbüro would: households of
singles, couples and families, some moved within the town before, some with a
secondary residence, some living here in a secondary residence only.

Every name is invented from lists of common German names; a random generator with a
fixed seed makes the same town every time. Loading again adds nothing: a household
whose head is in the register already is skipped.
"""

import random
from datetime import date, timedelta

from .directory import dwelling_at
from .models import Dwelling, Person, Relationship, ResidenceKind, Sex, Street
from .services import Newcomer, move_within, register_move_in

POSTCODE, PLACE = "42799", "Leichlingen (Rheinland)"

# The demo's street directory, with invented street keys (Straßenschlüssel) in the
# five-digit form most towns use, and the parts of town (Ortsteile) that the dog
# register's demo (dogs.demo.DEMO_STREETS) gives the same streets. A real town loads
# its full directory.
DEMO_DIRECTORY = [
    ("00120", "Am Büscherhof", "Leichlingen-Mitte"),
    ("00210", "Bahnhofstraße", "Leichlingen-Mitte"),
    ("00340", "Brückenstraße", "Leichlingen-Mitte"),
    ("01050", "Kirchstraße", "Leichlingen-Mitte"),
    ("01210", "Marktstraße", "Leichlingen-Mitte"),
    ("01450", "Musterweg", "Leichlingen-Mitte"),
    ("01530", "Neukirchener Straße", "Leichlingen-Mitte"),
    ("01620", "Opladener Straße", "Leichlingen-Mitte"),
    ("02010", "Solinger Straße", "Witzhelden"),
    ("02030", "Burscheider Straße", "Witzhelden"),
    ("02060", "Am Rittergut", "Witzhelden"),
    ("02510", "Unterberg", "Unterberg"),
    ("02520", "Hasensprung", "Unterberg"),
]

# The streets the demo's households live in: those the dog register's demo knows too.
DEMO_STREETS = ["Am Büscherhof", "Brückenstraße", "Marktstraße", "Musterweg",
                "Solinger Straße", "Burscheider Straße", "Unterberg", "Hasensprung"]

FAMILY_NAMES = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder",
    "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange",
    "Schmitt", "Werner", "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier",
    "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs",
    "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert", "Vogel",
    "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler", "Roth", "Beck",
    "Lorenz", "Baumann", "Franke", "Albrecht", "Schuster", "Simon", "Ludwig", "Böhm",
    "Winter", "Kraus", "Martin", "Schumacher", "Krämer", "Vogt", "Stein", "Jäger",
    "Otto", "Sommer", "Groß", "Seidel", "Heinrich", "Brandt", "Haas",
]
GIVEN_NAMES = {
    Sex.FEMALE: ["Anna", "Maria", "Julia", "Laura", "Sarah", "Lena", "Katharina", "Sophie",
                 "Hannah", "Lea", "Claudia", "Sabine", "Petra", "Monika", "Andrea",
                 "Stefanie", "Nicole", "Ursula", "Christine", "Emma", "Mia", "Lina"],
    Sex.MALE: ["Thomas", "Michael", "Andreas", "Stefan", "Christian", "Markus", "Peter",
               "Jan", "Tobias", "Lukas", "Jonas", "Felix", "Paul", "Klaus", "Jürgen",
               "Wolfgang", "Frank", "Matthias", "Sebastian", "Ben", "Noah", "Elias"],
}
BIRTH_PLACES = ["Leichlingen (Rheinland)", "Solingen", "Leverkusen", "Köln", "Düsseldorf",
                "Wuppertal", "Bergisch Gladbach", "Langenfeld (Rheinland)", "Burscheid",
                "Bonn", "Essen", "Hamburg", "Ankara", "Krakau"]
HOUSEHOLDS = 85
HOUSE_NUMBERS = 24  # per street


def create_demo_streets() -> None:
    for key, name, district in DEMO_DIRECTORY:
        Street.objects.get_or_create(key=key, defaults={
            "name": name, "postcode": POSTCODE, "place": PLACE, "district": district})


def _dwelling(street: str, number: int) -> Dwelling:
    return dwelling_at(street=Street.objects.get(name=street), house_number=str(number))


def _person(rng: random.Random, family_name: str, sex: str, born: date,
            relationship: str) -> Newcomer:
    place = rng.choice(BIRTH_PLACES)
    return Newcomer(
        family_name=family_name, given_names=rng.choice(GIVEN_NAMES[sex]),
        date_of_birth=born, place_of_birth=place, sex=sex, relationship=relationship,
        nationality="TR" if place == "Ankara" else "PL" if place == "Krakau" else "DE",
        objections=("address_books",) if rng.random() < 0.2 else ())


def _birthday(rng: random.Random, first_year: int, last_year: int) -> date:
    return date(first_year, 1, 1) + timedelta(
        days=rng.randrange((date(last_year, 12, 31) - date(first_year, 1, 1)).days))


def _household(rng: random.Random) -> list[Newcomer]:
    """A single, a couple, or a family with one to three children."""
    family_name = rng.choice(FAMILY_NAMES)
    head_sex = rng.choice([Sex.FEMALE, Sex.MALE])
    head_born = _birthday(rng, 1950, 2002)
    members = [_person(rng, family_name, head_sex, head_born, Relationship.HEAD)]
    shape = rng.random()
    if shape < 0.3:
        return members
    other_sex = Sex.MALE if head_sex == Sex.FEMALE else Sex.FEMALE
    married = rng.random() < 0.7
    partner_name = family_name if married else rng.choice(FAMILY_NAMES)
    members.append(_person(
        rng, partner_name, other_sex, _birthday(rng, head_born.year - 4, head_born.year + 4),
        Relationship.SPOUSE if married else Relationship.PARTNER))
    if shape < 0.5 or head_born.year > 1995:
        return members
    first_child_year = min(head_born.year + rng.randrange(22, 36), 2024)
    for number in range(rng.randrange(1, 4)):
        born = _birthday(rng, min(first_child_year + 2 * number, 2025),
                         min(first_child_year + 2 * number, 2025))
        members.append(_person(rng, family_name, rng.choice([Sex.FEMALE, Sex.MALE]), born,
                               Relationship.CHILD))
    return members


def load_demo_residents(*, clerk) -> int:
    """Enters the demo's households in the active authority as `clerk` (of its
    Bürgerbüro); returns how many households were new."""
    create_demo_streets()
    rng = random.Random(14)  # noqa: S311  (a demo, not a secret)
    streets = list(DEMO_STREETS)
    added = 0
    for index in range(HOUSEHOLDS):
        newcomers = _household(rng)
        street = streets[index % len(streets)]
        home = _dwelling(street, 1 + (index // len(streets)) * 2)
        moved_in = _birthday(rng, max(newcomers[0].date_of_birth.year + 18, 1990), 2025)
        head = newcomers[0]
        if Person.objects.filter(family_name=head.family_name, given_names=head.given_names,
                                 date_of_birth=head.date_of_birth).exists():
            continue
        added += 1
        only_secondary = index % 15 == 7  # the main residence is elsewhere
        kind = ResidenceKind.SECONDARY if only_secondary else ResidenceKind.MAIN
        youngest = max(n.date_of_birth for n in newcomers)
        moved_in = max(moved_in, youngest)
        if index % 6 == 1 and youngest < moved_in - timedelta(days=900):
            # Lived in another street of the town before.
            earlier = _dwelling(streets[(index + 3) % len(streets)], 2 + index % HOUSE_NUMBERS)
            change = register_move_in(actor=clerk, household=newcomers, dwelling=earlier,
                                      moved_in=moved_in - timedelta(days=900), kind=kind)
            move_within(actor=clerk, household=change.household, dwelling=home,
                        moved_in=moved_in, kind=kind)
            continue
        change = register_move_in(actor=clerk, household=newcomers, dwelling=home,
                                  moved_in=moved_in, kind=kind)
        if index % 10 == 3:  # and a secondary residence in another street
            register_move_in(actor=clerk, household=change.household,
                             dwelling=_dwelling(streets[(index + 5) % len(streets)],
                                                30 + index % HOUSE_NUMBERS),
                             moved_in=moved_in + timedelta(days=200),
                             kind=ResidenceKind.SECONDARY)
    return added


def register_demo_person(*, clerk, street: Street, house_number: str,
                         household: list[Newcomer], moved_in: date) -> bool:
    """Enters one household at an address (the test identity provider's persons, who
    must be in the register to move); False when its head is there already."""
    head = household[0]
    if Person.objects.filter(family_name=head.family_name, given_names=head.given_names,
                             date_of_birth=head.date_of_birth).exists():
        return False
    register_move_in(actor=clerk, household=household,
                     dwelling=dwelling_at(street=street, house_number=house_number),
                     moved_in=moved_in, kind=ResidenceKind.MAIN)
    return True
