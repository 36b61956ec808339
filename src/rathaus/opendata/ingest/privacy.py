"""The privacy guard of the open data portal, as plain functions.

A published table holds only columns declared public. A column that looks personal, by
its name or by its values, is refused unless staff record why it is not personal
(e.g. "addresses of polling stations, not of persons"). Aggregates show no count below
`MIN_COUNT` (`rathaus.publication.small_counts`), so that no person can be singled
out.
"""

import re
import unicodedata
from collections.abc import Iterable
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.payments.iban import is_valid_iban

from .decisions import ColumnDecision


class PersonalKind(StrEnum):
    NAME = "name"
    EMAIL = "email"
    BIRTH_DATE = "birth_date"
    IBAN = "iban"
    ADDRESS = "address"
    PHONE = "phone"


DESCRIPTIONS = {
    PersonalKind.NAME: gettext_lazy("names of persons"),
    PersonalKind.EMAIL: gettext_lazy("e-mail addresses"),
    PersonalKind.BIRTH_DATE: gettext_lazy("dates of birth"),
    PersonalKind.IBAN: gettext_lazy("bank account numbers (IBAN)"),
    PersonalKind.ADDRESS: gettext_lazy("exact addresses"),
    PersonalKind.PHONE: gettext_lazy("phone numbers"),
}

# Words in column names, after folding to ASCII lower case; matched as whole words of
# the name split at non-letters, or as the start of a compound ("geburtsdatum").
_NAME_WORDS = {
    PersonalKind.BIRTH_DATE: ("geburt", "birth", "dob", "gebdat", "gebdatum"),
    PersonalKind.EMAIL: ("email", "mail", "emailadresse", "mailadresse"),
    PersonalKind.IBAN: ("iban", "kontonummer", "bankverbindung", "kontoverbindung"),
    PersonalKind.PHONE: ("telefon", "phone", "mobil", "handy", "tel", "fax"),
    PersonalKind.ADDRESS: ("adresse", "anschrift", "address", "strasse", "str", "street",
                           "hausnummer", "hausnr", "wohnort", "wohnanschrift"),
    PersonalKind.NAME: ("name", "vorname", "nachname", "familienname", "firstname",
                        "lastname", "surname", "givenname", "geburtsname", "person",
                        "halter", "inhaber", "antragsteller", "eigentuemer"),
}
# Compounds that start with one of these words are personal too ("geburtsort",
# "emailadresse", "strassenname"); the short words only count as whole words.
_PREFIX_WORDS = {"geburt", "birth", "email", "telefon", "adresse", "anschrift", "strasse",
                 "hausnummer", "vorname", "nachname", "familienname"}

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE)
_IBAN_SHAPE = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9 ]{11,36}")


def _fold(text: str) -> str:
    text = text.lower().replace("ß", "ss").replace("ä", "ae").replace("ö", "oe")
    text = text.replace("ü", "ue")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def kind_by_name(name: str) -> PersonalKind | None:
    words = [word for word in re.split(r"[^a-z0-9]+", _fold(name)) if word]
    joined = "".join(words)
    for kind, candidates in _NAME_WORDS.items():
        for candidate in candidates:
            if candidate in words or candidate == joined:
                return kind
            if candidate in _PREFIX_WORDS and (
                    joined.startswith(candidate) or any(w.startswith(candidate) for w in words)):
                return kind
    return None


def kind_by_value(value: str) -> PersonalKind | None:
    """What a single value looks like; cheap tests first, since every value passes here."""
    if "@" in value and _EMAIL.fullmatch(value.strip()):
        return PersonalKind.EMAIL
    if (len(value) >= 15 and value[:2].isalpha() and value[2:4].isdigit()
            and _IBAN_SHAPE.fullmatch(value.strip().upper())
            and is_valid_iban(value)):
        return PersonalKind.IBAN
    return None


def column_kind(name: str, value_kinds: Iterable[PersonalKind]) -> PersonalKind | None:
    """The values are the stronger evidence: an e-mail address is one whatever the
    column is called."""
    for kind in value_kinds:
        return kind
    return kind_by_name(name)


def describe(kind: str) -> str:
    return str(DESCRIPTIONS.get(PersonalKind(kind), kind)) if kind else ""


class PrivacyRefusal(Exception):
    """Columns that look personal were to be published without a recorded reason."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems  # (column, German message)
        super().__init__("; ".join(message for _column, message in problems))


def check_publishable(columns: Iterable[ColumnDecision]) -> None:
    """Raises PrivacyRefusal naming every public column that looks personal and has no
    reason."""
    problems = []
    for column in columns:
        if column.public and column.personal_kind and not column.reason.strip():
            problems.append((column.name, _(
                "The column “%(column)s” seems to contain %(what)s. Leave it out of the "
                "publication, or record why its values are not personal data.")
                % {"column": column.name, "what": describe(column.personal_kind)}))
    if problems:
        raise PrivacyRefusal(problems)
