"""IBAN (ISO 13616): normalise, check and format account numbers for SEPA payments.

`check_iban` is the pure check and raises `InvalidIBAN` with a reason; `validate_iban`
is the Django validator that turns each reason into a message for the citizen, in one
place. No third-party library: the length table and ISO 7064 MOD 97-10 are enough.
"""

import re
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# IBAN length per country of the SEPA schemes' geographical scope (SWIFT IBAN registry).
# French overseas departments, Åland, Guernsey, Jersey and the Isle of Man use the IBANs
# of FR, FI and GB. AL, MD, ME, MK and RS joined the SEPA scope in 2024–2025; check the
# EPC's list of SEPA countries when updating this table.
SEPA_IBAN_LENGTHS = {
    "AD": 24, "AL": 28, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24,
    "DE": 22, "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23,
    "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20,
    "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MT": 31, "NL": 18,
    "NO": 15, "PL": 28, "PT": 25, "RO": 24, "RS": 22, "SE": 24, "SI": 19, "SK": 24,
    "SM": 27, "VA": 22,
}

_WHITESPACE = re.compile(r"\s+")
_ALPHANUMERIC = re.compile(r"[A-Z0-9]+")


class Problem(StrEnum):
    EMPTY = "empty"
    CHARACTERS = "characters"
    COUNTRY_CODE = "country_code"
    CHECK_DIGIT_FORMAT = "check_digit_format"
    NOT_SEPA = "not_sepa"
    LENGTH = "length"
    CHECK_DIGITS = "check_digits"


class InvalidIBAN(ValueError):
    def __init__(self, problem: Problem, **details):
        super().__init__(problem.value, details)
        self.problem = problem
        self.details = details


def normalise_iban(value: str) -> str:
    """Drop every kind of space (also non-breaking ones pasted from PDFs) and upper-case."""
    return _WHITESPACE.sub("", value or "").upper()


def mod97(text: str) -> int:
    """ISO 7064 MOD 97-10 remainder of letters and digits, letters counting A=10 … Z=35."""
    return int("".join(str(int(char, 36)) for char in text)) % 97


def check_iban(value: str) -> str:
    """The normalised IBAN, or `InvalidIBAN` saying what is wrong with it."""
    iban = normalise_iban(value)
    if not iban:
        raise InvalidIBAN(Problem.EMPTY)
    if not _ALPHANUMERIC.fullmatch(iban):
        raise InvalidIBAN(Problem.CHARACTERS)
    country = iban[:2]
    if not (len(country) == 2 and country.isalpha()):
        raise InvalidIBAN(Problem.COUNTRY_CODE)
    if not iban[2:4].isdigit():
        raise InvalidIBAN(Problem.CHECK_DIGIT_FORMAT)
    expected = SEPA_IBAN_LENGTHS.get(country)
    if expected is None:
        raise InvalidIBAN(Problem.NOT_SEPA, country=country)
    if len(iban) != expected:
        raise InvalidIBAN(Problem.LENGTH, country=country, expected=expected, actual=len(iban))
    # Check digits 00, 01 and 99 are never issued, although 00 and 01 can pass MOD 97.
    if iban[2:4] in {"00", "01", "99"} or mod97(iban[4:] + iban[:4]) != 1:
        raise InvalidIBAN(Problem.CHECK_DIGITS)
    return iban


def is_valid_iban(value: str) -> bool:
    try:
        check_iban(value)
    except InvalidIBAN:
        return False
    return True


def format_iban(value: str) -> str:
    """Print form: groups of four, e.g. "DE89 3704 0044 0532 0130 00"."""
    iban = normalise_iban(value)
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


def mask_iban(value: str) -> str:
    """For letters: country, check digits and the last four characters stay readable."""
    iban = normalise_iban(value)
    return format_iban(iban[:4] + "X" * (len(iban) - 8) + iban[-4:])


MESSAGES = {
    Problem.EMPTY: _("Please enter an IBAN."),
    Problem.CHARACTERS: _("The IBAN may only contain letters and digits."),
    Problem.COUNTRY_CODE: _(
        "The IBAN is not valid: it must start with a two-letter country code, e.g. DE."
    ),
    Problem.CHECK_DIGIT_FORMAT: _(
        "The IBAN is not valid: the country code must be followed by two check digits."
    ),
    Problem.NOT_SEPA: _(
        "The IBAN is not valid: “%(country)s” is not the country code of a SEPA country."
    ),
    Problem.LENGTH: _(
        "The IBAN is not valid: an IBAN from %(country)s has %(expected)d characters, "
        "this one has %(actual)d."
    ),
    Problem.CHECK_DIGITS: _(
        "The IBAN is not valid: please check the check digits. They do not match the "
        "rest of the IBAN, which usually means a typing error."
    ),
}


def validate_iban(value: str) -> None:
    """Django validator; the message says what exactly is wrong."""
    try:
        check_iban(value)
    except InvalidIBAN as error:
        raise ValidationError(
            MESSAGES[error.problem], code=f"iban_{error.problem.value}", params=error.details
        ) from error
