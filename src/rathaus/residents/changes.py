"""What one change of the register did, as the services return it and the adapters
(`fachverfahren.py`) pass it on."""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from .models import Dwelling, Household, Person, Residence

SCHEMA = "rathaus.melderegister.change"
SCHEMA_VERSION = 1


class ChangeKind:
    MOVE_IN = "move_in"  # into the town from elsewhere (Anmeldung)
    MOVE_WITHIN = "move_within"  # from one dwelling of the town to another (Ummeldung)
    MOVE_OUT = "move_out"  # away from the town (Abmeldung)


@dataclass(frozen=True)
class Change:
    """One move of one household: the residences it started and those it ended."""

    kind: str
    effective_on: date
    household: Household
    started: list[Residence] = field(default_factory=list)
    ended: list[Residence] = field(default_factory=list)
    id: uuid.UUID = field(default_factory=uuid.uuid4)

    def persons(self) -> list[Person]:
        seen: dict[int, Person] = {}
        for residence in (*self.ended, *self.started):
            seen.setdefault(residence.person_id, residence.person)
        return list(seen.values())


def _dwelling(dwelling: Dwelling) -> dict:
    return {"street": dwelling.street, "street_key": dwelling.street_key,
            "house_number": dwelling.house_number, "postcode": dwelling.postcode,
            "place": dwelling.place}


def _residence(residence: Residence | None) -> dict | None:
    if residence is None:
        return None
    return {"dwelling": _dwelling(residence.dwelling), "kind": residence.kind,
            "moved_in": residence.moved_in.isoformat(),
            "moved_out": residence.moved_out.isoformat() if residence.moved_out else None}


def _person(person: Person, change: Change) -> dict:
    membership = getattr(person, "membership", None)
    started = next((r for r in change.started if r.person_id == person.pk), None)
    ended = next((r for r in change.ended if r.person_id == person.pk), None)
    return {
        "person_id": person.pk,
        "family_name": person.family_name,
        "given_names": person.given_names,
        "date_of_birth": person.date_of_birth.isoformat(),
        "place_of_birth": person.place_of_birth,
        "sex": person.sex,
        "nationality": person.nationality or None,
        "relationship": membership.relationship if membership else None,
        "objections": sorted(person.objections.filter(withdrawn_on__isnull=True)
                             .values_list("kind", flat=True)),
        "moved_out_of": _residence(ended),
        "moved_into": _residence(started),
    }


def as_document(change: Change, *, authority, recorded_at: datetime) -> dict:
    """The change as the JSON file of `fachverfahren.JsonFiles` carries it
    (docs/residents.md describes every field)."""
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "change_id": str(change.id),
        "change": change.kind,
        "effective_on": change.effective_on.isoformat(),
        "recorded_at": recorded_at.isoformat(),
        "authority": {"name": authority.name, "municipality_key": authority.municipality_key},
        "household_id": change.household.pk,
        "persons": [_person(person, change) for person in change.persons()],
    }
