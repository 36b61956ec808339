"""The street directory: what a citizen types finds the town's street, and an address
becomes a dwelling with the street's key, postcode and place."""

import pytest
from django.db import IntegrityError, transaction

from rathaus.authorities.tenancy import authority_context
from rathaus.residents.directory import dwelling_at, street_named
from rathaus.residents.models import (
    Dwelling,
    InvalidHouseNumber,
    Street,
    normalise_house_number,
    normalise_street_name,
)
from tests.factories import make_authority


def street(key="01210", name="Marktstraße", district="Leichlingen-Mitte") -> Street:
    return Street.objects.create(key=key, name=name, postcode="42799",
                                 place="Leichlingen (Rheinland)", district=district)


@pytest.mark.parametrize("typed", ["Marktstraße", "Marktstr.", "Marktstr", "marktstrasse",
                                   "  MARKT STRASSE ", "Markt-Str."])
def test_spellings_of_one_street_fold_alike(typed):
    assert normalise_street_name(typed) == normalise_street_name("Marktstraße")


@pytest.mark.parametrize("typed", ["Brueckenstrasse", "Brückenstrasse", "brückenstr.",
                                   "Brueckenstraße"])
def test_umlauts_and_sharp_s_typed_without_them_fold_alike(typed):
    assert normalise_street_name(typed) == normalise_street_name("Brückenstraße")


def test_different_streets_stay_different():
    assert normalise_street_name("Marktstraße") != normalise_street_name("Marktplatz")
    assert normalise_street_name("Am Hammer") != normalise_street_name("Am Hammerweg")


@pytest.mark.parametrize(("typed", "written"), [
    ("12", "12"), ("12 a", "12a"), (" 12A ", "12a"), ("012", "12"), ("12 - 14", "12-14"),
    ("12–14", "12-14"), ("7/1", "7/1"),
])
def test_house_numbers_are_written_one_way(typed, written):
    assert normalise_house_number(typed) == written


@pytest.mark.parametrize("typed", ["", "a", "12ab", "12 a b", "1-2-3", "Hinterhaus"])
def test_what_is_no_house_number_is_refused(typed):
    with pytest.raises(InvalidHouseNumber):
        normalise_house_number(typed)


def test_a_street_is_found_however_the_citizen_spells_it(in_town):
    street(key="00340", name="Brückenstraße")
    solinger = street(key="02010", name="Solinger Straße", district="Witzhelden")
    assert street_named("Brueckenstrasse").name == "Brückenstraße"
    assert street_named("solinger str.") == solinger
    assert street_named("Unbekannter Weg") is None
    assert street_named("  ") is None


def test_a_street_of_another_town_is_not_found(in_town):
    other = make_authority("burscheid", name="Stadt Burscheid", host="burscheid.localhost")
    with authority_context(other):
        street()
    assert street_named("Marktstraße") is None


def test_a_street_key_and_a_street_name_are_unique_in_a_town(in_town):
    street()
    for duplicate in ({"key": "01210", "name": "Marktplatz"},
                      {"key": "09999", "name": "Marktstraße"},
                      {"key": "09999", "name": "Marktstr."}):
        with pytest.raises(IntegrityError), transaction.atomic():
            street(**duplicate)


def test_a_street_key_has_five_digits(in_town):
    with pytest.raises(IntegrityError), transaction.atomic():
        street(key="1210")


def test_the_dwelling_at_an_address_carries_the_streets_key_postcode_and_place(in_town):
    markt = street()
    dwelling = dwelling_at(street=markt, house_number="12 a")
    assert (dwelling.street, dwelling.street_key, dwelling.house_number, dwelling.postcode,
            dwelling.place) == ("Marktstraße", "01210", "12a", "42799",
                                "Leichlingen (Rheinland)")
    assert dwelling_at(street=markt, house_number="12A") == dwelling
    assert Dwelling.objects.count() == 1


def test_an_address_without_a_house_number_makes_no_dwelling(in_town):
    with pytest.raises(InvalidHouseNumber):
        dwelling_at(street=street(), house_number="hinten")
    assert not Dwelling.objects.exists()
