"""eVB, VIN and plates: what a citizen types is accepted in its usual spellings, and
every wrong value gets a message that says how to put it right."""

import pytest

from rathaus.vehicles.identifiers import (
    InvalidIdentifier,
    normalise_evb,
    normalise_vin,
    parse_plate,
)


@pytest.mark.parametrize("typed", ["a1b2c3d", "A1B 2C3D", " A1B2C3D "])
def test_an_evb_number_is_seven_letters_and_digits(typed):
    assert normalise_evb(typed) == "A1B2C3D"


@pytest.mark.parametrize("typed", ["", "A1B2C3", "A1B2C3D4", "A1B2C3!"])
def test_a_wrong_evb_number_is_refused_in_german(typed):
    with pytest.raises(InvalidIdentifier) as refused:
        normalise_evb(typed)
    assert "7 Buchstaben und Ziffern" in str(refused.value.message)


def test_a_vin_is_seventeen_characters_in_any_spacing():
    assert normalise_vin("wvw zzz 1jz 3w 386752") == "WVWZZZ1JZ3W386752"


@pytest.mark.parametrize(("typed", "says"), [
    ("WVWZZZ1JZ3W38675", "16"),
    ("WVWZZZ1JZ3W3867522", "18"),
    ("WVWZZZ1JZ3W38675O", "kein I, O oder Q"),
    ("WVWZZZ1JZ3W38675Ä", "nur Ziffern und Großbuchstaben"),
])
def test_a_wrong_vin_says_what_is_wrong(typed, says):
    with pytest.raises(InvalidIdentifier) as refused:
        normalise_vin(typed)
    assert says in str(refused.value.message)


@pytest.mark.parametrize(("typed", "plate"), [
    ("GL-AB 1234", "GL-AB 1234"), ("gl ab 12", "GL-AB 12"), ("AB 7", "GL-AB 7"),
    ("GL:X 1", "GL-X 1"),
])
def test_a_plate_is_read_in_its_usual_spellings(typed, plate):
    assert str(parse_plate(typed, sign="GL")) == plate


@pytest.mark.parametrize(("typed", "says"), [
    ("GL-ABC 1", "ein oder zwei Buchstaben"),
    ("GL-AB 12345", "ein oder zwei Buchstaben"),
    ("K-AB 12", "ein oder zwei Buchstaben"),
    ("GL-AB 012", "nicht mit 0"),
    ("GL-SS 12", "§ 8 FZV"), ("GL-KZ 1", "§ 8 FZV"), ("GL-HJ 1", "§ 8 FZV"),
    ("GL-NS 1", "§ 8 FZV"), ("GL-SA 1", "§ 8 FZV"), ("GL-AH 18", "§ 8 FZV"),
    ("GL-HH 88", "§ 8 FZV"),
])
def test_a_plate_against_the_rules_is_refused(typed, says):
    with pytest.raises(InvalidIdentifier) as refused:
        parse_plate(typed, sign="GL")
    assert says in str(refused.value.message)


def test_a_plate_has_at_most_eight_characters():
    with pytest.raises(InvalidIdentifier) as refused:
        parse_plate("HSK-AB 1234", sign="HSK")
    assert "höchstens 8" in str(refused.value.message)
