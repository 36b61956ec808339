"""The street directory (Straßenverzeichnis): finding the street a citizen typed, and the
dwelling at an address of it.

The register matches addresses by the street key, never by spelling, so whatever
enters the register passes through here: a typed name becomes a `Street` of the
directory, and a dwelling carries that street's key, postcode and place.
"""

from rathaus.accounts.permissions import unguarded

from .models import Dwelling, Street, normalise_house_number, normalise_street_name


@unguarded("reads the street directory, which is public; writes nothing")
def street_named(name: str) -> Street | None:
    """The street of the active authority's directory that `name` spells, however it
    is spelt ("Marktstr.", "marktstrasse"), or None when the town has no such street."""
    key = normalise_street_name(name)
    return Street.objects.filter(name_key=key).first() if key else None


@unguarded("adds at most an address row, which registers nobody; called by the register's "
           "guarded services and decision handlers in their transaction")
def dwelling_at(*, street: Street, house_number: str) -> Dwelling:
    """The dwelling at `house_number` of `street`, created with the street's key,
    postcode and place when the register has none there yet. The house number is
    normalised ("12 a" is "12a"); `InvalidHouseNumber` when it is none."""
    dwelling, _ = Dwelling.objects.get_or_create(
        street_key=street.key, house_number=normalise_house_number(house_number),
        defaults={"street": street.name, "postcode": street.postcode, "place": street.place})
    return dwelling
