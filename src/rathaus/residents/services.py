"""Changing the resident register: moves of whole households, and objections.

Each service is one transaction that writes the register's rows, its audit entry and
tells the adapter (`fachverfahren.py`), and returns what changed. History is never
overwritten: a move ends residences (sets `moved_out`, once) and starts new ones.

The rule of the main residence: a person has exactly one current main residence in the
register, or none when they live here only in a secondary residence (their main one is
elsewhere) or have moved away. The database refuses a second one
(`one_current_main_residence`); the services refuse it first, with a specific error.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from rathaus.accounts.permissions import guarded_by, unguarded
from rathaus.audit.services import record

from .changes import Change, ChangeKind
from .fachverfahren import adapter
from .models import (
    NEEDS_REASON,
    Dwelling,
    EndedBy,
    Household,
    HouseholdMember,
    Objection,
    ObjectionKind,
    Person,
    Relationship,
    Residence,
    ResidenceKind,
    StartedBy,
)
from .permissions import may_keep_register


class RegisterError(Exception):
    """A change the register's rules do not allow; the message is for staff."""


class AlreadyMainResident(RegisterError):
    """Someone moving in already has a current main residence in the register."""


class NotResident(RegisterError):
    """Someone moving within or out of the town has no current residence of that kind."""


class MoveBeforeMoveIn(RegisterError):
    """The date of a move lies before the day the person moved into the old dwelling."""


class HouseholdWithoutHead(RegisterError):
    """A new household names no head, or more than one."""


class ReasonRequired(RegisterError):
    """An information block (§51 BMG) needs a reason."""


@dataclass(frozen=True)
class Newcomer:
    """A person moving into the town who is not in the register yet."""

    family_name: str
    given_names: str
    date_of_birth: date
    place_of_birth: str
    sex: str
    relationship: str = Relationship.HEAD
    nationality: str = ""
    objections: tuple[str, ...] = field(default_factory=tuple)


def _members(household: Household) -> list[Person]:
    return [m.person for m in household.members.select_related("person").order_by("pk")]


def _current(person: Person, kind: str) -> Residence | None:
    return person.residences.filter(kind=kind, moved_out__isnull=True).first()


def _start(person: Person, dwelling: Dwelling, kind: str, moved_in: date, *,
           by: str, none_current: bool = False) -> Residence:
    """A new residence, started by the change `by` (a `ChangeKind`). `none_current`:
    the caller has just looked up the person's current residence of `kind` in this
    transaction and ended it or found none, so the check need not ask again."""
    kind = ResidenceKind(kind)
    if kind == ResidenceKind.MAIN and not none_current and _current(person, ResidenceKind.MAIN):
        raise AlreadyMainResident(f"{person} already has a main residence.")
    residence = Residence(person=person, dwelling=dwelling, kind=kind, moved_in=moved_in,
                          started_by=StartedBy(by))
    residence.save()
    return residence


def _end(residence: Residence, moved_out: date, *, by: str) -> Residence:
    """The residence ends on `moved_out`, ended by the change `by` (a `ChangeKind`)."""
    if moved_out < residence.moved_in:
        raise MoveBeforeMoveIn(f"{residence.person} moved in on {residence.moved_in}.")
    residence.moved_out = moved_out
    residence.ended_by = EndedBy(by)
    residence.save(update_fields=["moved_out", "ended_by"])
    return residence


def _new_household(newcomers: Sequence[Newcomer], *, filed_on: date) -> Household:
    heads = [n for n in newcomers if n.relationship == Relationship.HEAD]
    if len(heads) != 1:
        raise HouseholdWithoutHead("A household has exactly one head.")
    household = Household.objects.create()
    for newcomer in newcomers:
        person = Person.objects.create(
            family_name=newcomer.family_name, given_names=newcomer.given_names,
            date_of_birth=newcomer.date_of_birth, place_of_birth=newcomer.place_of_birth,
            sex=newcomer.sex, nationality=newcomer.nationality)
        HouseholdMember.objects.create(household=household, person=person,
                                       relationship=newcomer.relationship)
        for kind in newcomer.objections:
            _file(person, ObjectionKind(kind), filed_on=filed_on, reason="")
    return household


def _file(person: Person, kind: ObjectionKind, *, filed_on: date, reason: str) -> Objection:
    if kind in NEEDS_REASON and not reason.strip():
        raise ReasonRequired(f"{kind.label} needs a reason.")
    standing = person.objections.filter(kind=kind, withdrawn_on__isnull=True).first()
    if standing:
        return standing
    return Objection.objects.create(person=person, kind=kind, filed_on=filed_on,
                                    reason=reason)


def _finish(change: Change, *, actor) -> Change:
    record(f"residents.{change.kind}", actor=actor, target=change.household, data={
        "change": str(change.id), "effective_on": change.effective_on.isoformat(),
        "started": [r.pk for r in change.started], "ended": [r.pk for r in change.ended],
    })
    adapter().changed(change)
    return change


@guarded_by(may_keep_register)
@transaction.atomic
def register_move_in(*, actor, household: Household | Sequence[Newcomer],
                     dwelling: Dwelling, moved_in: date, kind: str) -> Change:
    """A household moves into `dwelling` from elsewhere (Anmeldung). Newcomers become
    persons of a new household; a household already in the register (a secondary
    residence moving in, someone returning) keeps its persons."""
    if not isinstance(household, Household):
        household = _new_household(household, filed_on=moved_in)
    started = [_start(person, dwelling, kind, moved_in, by=ChangeKind.MOVE_IN)
               for person in _members(household)]
    return _finish(Change(ChangeKind.MOVE_IN, moved_in, household, started=started),
                   actor=actor)


@guarded_by(may_keep_register)
@transaction.atomic
def move_within(*, actor, household: Household, dwelling: Dwelling, moved_in: date,
                kind: str = ResidenceKind.MAIN) -> Change:
    """The whole household moves from its current residence of `kind` in the town to
    `dwelling` on `moved_in` (Ummeldung): the old residences end that day, new ones
    start."""
    ended, started = [], []
    for person in _members(household):
        old = _current(person, kind)
        if old is None:
            raise NotResident(f"{person} has no current {kind} residence here.")
        ended.append(_end(old, moved_in, by=ChangeKind.MOVE_WITHIN))
        started.append(_start(person, dwelling, kind, moved_in, by=ChangeKind.MOVE_WITHIN,
                              none_current=True))
    return _finish(Change(ChangeKind.MOVE_WITHIN, moved_in, household, started=started,
                          ended=ended), actor=actor)


@guarded_by(may_keep_register)
@transaction.atomic
def move_out(*, actor, household: Household, moved_out: date) -> Change:
    """The whole household moves away from the town (Abmeldung): every current residence
    of its members ends on `moved_out`."""
    ended = []
    for person in _members(household):
        current = list(person.residences.filter(moved_out__isnull=True))
        if not current:
            raise NotResident(f"{person} has no current residence here.")
        ended += [_end(residence, moved_out, by=ChangeKind.MOVE_OUT) for residence in current]
    return _finish(Change(ChangeKind.MOVE_OUT, moved_out, household, ended=ended),
                   actor=actor)


@guarded_by(may_keep_register)
@transaction.atomic
def file_objection(*, actor, person: Person, objection: str, filed_on: date,
                   reason: str = "") -> Objection:
    """A resident objects to a transfer of their data; filing it again changes nothing."""
    filed = _file(person, ObjectionKind(objection), filed_on=filed_on, reason=reason)
    record("residents.objection_filed", actor=actor, target=person,
           data={"objection": filed.kind, "filed_on": filed.filed_on.isoformat()})
    return filed


@unguarded("reads the active authority's register for the services and the decision "
           "handler that ask their own rules")
def find_person(mover: Newcomer) -> Person | None:
    """The register's person with the mover's names and date of birth, if any."""
    return (Person.objects.filter(family_name__iexact=mover.family_name.strip(),
                                  given_names__iexact=mover.given_names.strip(),
                                  date_of_birth=mover.date_of_birth)
            .order_by("pk").first())


def _person_of(mover: Newcomer, *, filed_on: date) -> Person:
    person = find_person(mover)
    if person is None:
        person = Person.objects.create(
            family_name=mover.family_name.strip(), given_names=mover.given_names.strip(),
            date_of_birth=mover.date_of_birth, place_of_birth=mover.place_of_birth,
            sex=mover.sex, nationality=mover.nationality)
    for kind in mover.objections:
        _file(person, ObjectionKind(kind), filed_on=filed_on, reason="")
    return person


def _household_of(persons: list[Person], movers: Sequence[Newcomer]) -> Household:
    """The movers' household: the one they form already, or a new one with the first
    mover as its head (those who stay behind keep the old one)."""
    memberships = HouseholdMember.objects.filter(person__in=persons)
    households = {m.household_id for m in memberships}
    if len(households) == 1 and len(memberships) == len(persons):
        household = memberships[0].household
        if household.members.count() == len(persons):
            return household
    memberships.delete()
    household = Household.objects.create()
    for person, mover in zip(persons, movers, strict=True):
        HouseholdMember.objects.create(household=household, person=person,
                                       relationship=mover.relationship)
    return household


@guarded_by(may_keep_register)
@transaction.atomic
def register_move(*, actor, movers: Sequence[Newcomer], dwelling: Dwelling, moved_in: date,
                  kind: str) -> Change:
    """A registration of residence as an application brings it: the persons moving
    together into `dwelling`, the first one the head. A person the register knows (same
    names and date of birth) keeps their history: their current residence of `kind` in
    the town ends the day they move (a move within the town); anyone else is entered.
    They form one household; those who stayed behind keep the old one."""
    if [m.relationship for m in movers].count(Relationship.HEAD) != 1:
        raise HouseholdWithoutHead("A household has exactly one head.")
    persons = [_person_of(mover, filed_on=moved_in) for mover in movers]
    ended, started = [], []
    for person in persons:
        old = _current(person, kind)
        if old is not None:
            if old.dwelling_id == dwelling.pk:
                raise RegisterError(f"{person} lives in {dwelling} already.")
            ended.append(_end(old, moved_in, by=ChangeKind.MOVE_WITHIN))
        # Per person: in a household moving together, one may be new to the town.
        started.append(_start(person, dwelling, kind, moved_in, none_current=True,
                              by=ChangeKind.MOVE_WITHIN if old else ChangeKind.MOVE_IN))
    household = _household_of(persons, movers)
    change_kind = ChangeKind.MOVE_WITHIN if ended else ChangeKind.MOVE_IN
    return _finish(Change(change_kind, moved_in, household, started=started, ended=ended),
                   actor=actor)


@unguarded("a Rückmeldung (§ 33 BMG) of another registration authority on this instance: "
           "the law makes the new authority tell the old one")
@transaction.atomic
def receive_report_back(*, movers: Sequence[Newcomer], moved_out: date,
                        new_address: str) -> Change | None:
    """The persons of a Rückmeldung moved away: their current residences in this
    authority end on `moved_out`. None when the register knows none of them."""
    ended = []
    for mover in movers:
        person = find_person(mover)
        if person is not None:
            ended += [_end(r, moved_out, by=ChangeKind.MOVE_OUT)
                      for r in person.residences.filter(moved_out__isnull=True)]
    if not ended:
        return None
    membership = HouseholdMember.objects.filter(person=ended[0].person).first()
    household = membership.household if membership else Household.objects.create()
    change = Change(ChangeKind.MOVE_OUT, moved_out, household, ended=ended)
    record("residents.report_back_received", actor=None, target=household, data={
        "change": str(change.id), "effective_on": moved_out.isoformat(),
        "ended": [r.pk for r in ended], "new_address": new_address})
    adapter().changed(change)
    return change
