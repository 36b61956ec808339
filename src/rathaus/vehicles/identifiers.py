"""The identifiers a vehicle registration asks for, checked as the rules say, each with
a message in the citizen's words: the insurance confirmation number (eVB), the vehicle
identification number (VIN, ISO 3779), the number plate (§ 8 FZV), the number of the
registration certificate part II and the hidden security codes (§ 15 FZV).

Plain functions: each takes what was typed, returns it normalised, or raises
`InvalidIdentifier` with the message. The form's field types (`field_types.py`) and
the plate register (`plates.py`) call them.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


class InvalidIdentifier(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _compact(text: str) -> str:
    return re.sub(r"[\s\-–]", "", text or "").upper()


# The eVB-Nummer: seven letters and digits, as the insurer gives it.
_EVB = re.compile(r"^[A-Z0-9]{7}$")


def normalise_evb(text: str) -> str:
    evb = _compact(text)
    if not _EVB.fullmatch(evb):
        raise InvalidIdentifier(_(
            "The eVB number has 7 letters and digits, for example A1B2C3D. Your insurer "
            "gives it to you."))
    return evb


# ISO 3779: 17 characters, digits and capital letters without I, O and Q (they look
# like 1 and 0).
_VIN = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")


def normalise_vin(text: str) -> str:
    vin = _compact(text)
    if len(vin) != 17:
        raise InvalidIdentifier(_(
            "The vehicle identification number has 17 characters; you entered %(count)d. "
            "It is in field E of the registration certificate.") % {"count": len(vin)})
    if set(vin) & set("IOQ"):
        raise InvalidIdentifier(_(
            "A vehicle identification number has no I, O or Q: write 1 for I and 0 for "
            "O and Q."))
    if not _VIN.fullmatch(vin):
        raise InvalidIdentifier(_(
            "The vehicle identification number has only digits and capital letters."))
    return vin


# The number of the Zulassungsbescheinigung Teil II: two letters and seven digits.
_CERTIFICATE_NUMBER = re.compile(r"^[A-Z]{2}\d{7}$")


def normalise_certificate_number(text: str) -> str:
    number = _compact(text)
    if not _CERTIFICATE_NUMBER.fullmatch(number):
        raise InvalidIdentifier(_(
            "The number of the registration certificate part II has two letters and "
            "seven digits, for example AB1234567. It is at the top right of the "
            "certificate."))
    return number


# The hidden security codes (§ 15 FZV, Anlage 9 FZV), printed under a scratch-off
# field: 12 characters on part II, 7 on part I, 3 under the seal of the rear plate.
_CODE = re.compile(r"^[A-Z0-9]+$")
SECURITY_CODE_LENGTHS = {"part_two": 12, "part_one": 7, "seal": 3}


def security_code_normaliser(kind: str):
    """The function that checks a security code of `kind` (part_two, part_one or seal)."""
    length = SECURITY_CODE_LENGTHS[kind]

    def normalise(text: str) -> str:
        code = _compact(text)
        if len(code) != length:
            raise InvalidIdentifier(_(
                "The security code has %(length)d letters and digits; you entered "
                "%(count)d. Check that you uncovered the whole code.")
                % {"length": length, "count": len(code)})
        if not _CODE.fullmatch(code):
            raise InvalidIdentifier(_("The security code has only letters and digits."))
        return code

    return normalise


# § 8 (1a) FZV and the districts' practice: letter pairs and combinations that recall
# the Nazi regime are not given out.
FORBIDDEN_LETTERS = frozenset({"HJ", "KZ", "NS", "SA", "SS"})
FORBIDDEN_COMBINATIONS = frozenset({("AH", "18"), ("AH", "88"), ("HH", "88"), ("HH", "18"),
                                    ("AH", "1818"), ("HH", "8888"), ("IZ", "88")})
MAX_CHARACTERS = 8  # sign, letters and digits together


@dataclass(frozen=True)
class Plate:
    sign: str  # the district's distinguishing sign, e.g. GL
    letters: str
    digits: str

    def __str__(self) -> str:
        return f"{self.sign}-{self.letters} {self.digits}"

    @property
    def key(self) -> str:
        """The plate as the register keys it: GL-AB1234 → GLAB1234."""
        return f"{self.sign}{self.letters}{self.digits}"


_PLATE = re.compile(r"^([A-ZÄÖÜ]{1,3})[\s\-–:]*([A-Z]{1,2})[\s\-–]*(\d{1,4})$")


def parse_plate(text: str, *, sign: str) -> Plate:
    """A chosen plate of the district with the distinguishing sign `sign`: "GL-AB 1234",
    "gl ab 1234" or "AB 1234" (the sign added)."""
    typed = " ".join((text or "").upper().split())
    if not typed.startswith(sign):
        typed = f"{sign}-{typed}"
    match = _PLATE.fullmatch(typed)
    if match is None or match[1] != sign:
        raise InvalidIdentifier(_(
            "Enter the plate as %(sign)s, one or two letters and one to four digits, for "
            "example %(sign)s-AB 123.") % {"sign": sign})
    plate = Plate(sign=sign, letters=match[2], digits=match[3])
    if len(plate.key) > MAX_CHARACTERS:
        raise InvalidIdentifier(_(
            "A plate has at most %(max)d letters and digits together; %(plate)s has %(count)d."
        ) % {"max": MAX_CHARACTERS, "plate": plate, "count": len(plate.key)})
    if plate.digits.startswith("0"):
        raise InvalidIdentifier(_("The digits of a plate do not start with 0."))
    if plate.letters in FORBIDDEN_LETTERS or \
            (plate.letters, plate.digits) in FORBIDDEN_COMBINATIONS:
        raise InvalidIdentifier(_(
            "This combination is not given out (§ 8 FZV). Please choose another one."))
    return plate


def plate_from_key(key: str, *, sign: str) -> Plate:
    """The plate the register keys as `key`: GLAB123 → GL-AB 123."""
    return parse_plate(key.removeprefix(sign), sign=sign)
