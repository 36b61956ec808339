"""The versions of the definition format, and the migrations that bring an older
definition to the current one.

A definition written for an earlier format (a file exported years ago by another
authority, an old file in services/) is upgraded step by step before it is checked:
each migration takes the data of one format version to the next, as a town's
administration would have rewritten it by hand. A format change that old files do not
satisfy gets a new version and a migration here; a test upgrades a file of every
earlier version (tests/catalog/formats/).

The versions:
1. The first format (November 2026): a required field brings no message of its own.
2. Every required field says how to answer it (`errors.required`): the form no longer
   repeats the question as its message.
3. Information services (no steps; `leika`, `contact`, `online_form`, `life_events`)
   and who performs a service (`performed_by`), which in format 2 was always the town.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

CURRENT = 3


class UnknownFormat(ValueError):
    """A definition of a format this installation cannot read."""


def _required_field_messages(data: dict) -> dict:
    """1 → 2: a message for each required field that has none, from its label. Staff
    should write a better one; this one at least names the question."""
    for step in data.get("steps", ()):
        for spec in step.get("fields", ()):
            if spec.get("required") and "required" not in spec.get("errors", {}):
                spec.setdefault("errors", {})["required"] = _fill_in(spec)
    return data


def _fill_in(spec: dict) -> dict:
    label = spec.get("label", {})
    german, english = label.get("de", ""), label.get("en") or label.get("de", "")
    if spec.get("type") in ("radio", "select", "checkbox"):
        return {"de": f"Wählen Sie bei „{german}“ eine Antwort aus.",
                "en": f"Select an answer for “{english}”."}
    return {"de": f"Füllen Sie „{german}“ aus.", "en": f"Fill in “{english}”."}


def _performed_by_the_town(data: dict) -> dict:
    """2 → 3: format 2 knew only services the town performs; say so."""
    data.setdefault("performed_by", "municipality")
    return data


# version → the migration from it to the next
MIGRATIONS: dict[int, Callable[[dict], dict]] = {
    1: _required_field_messages,
    2: _performed_by_the_town,
}


def upgrade(data: dict, *, version: int) -> dict:
    """The definition `data` of format `version`, rewritten for the current format (a
    copy: the caller's data stays as it was)."""
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise UnknownFormat(f"format version {version!r} is not a version number")
    if version > CURRENT:
        raise UnknownFormat(f"format version {version} is newer than this installation's "
                            f"({CURRENT})")
    data = copy.deepcopy(data)
    for step in range(version, CURRENT):
        data = MIGRATIONS[step](data)
    return data
