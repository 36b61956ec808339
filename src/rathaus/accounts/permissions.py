"""Named permission rules and the guard that services put in front of themselves.

Who may do what is decided in the service, so a view, a task, a command or an API
cannot forget it. A rule is a named predicate over the acting person (None for nobody)
and the objects the service acts on; each app keeps its rules in its own
`permissions.py`, built from the primitives here. A service declares its rule with
`@guarded_by(rule)`; the guard asks it before the service runs and raises
`NotPermitted`, which views turn into a German message. Views ask the same rules
(`allows`) only to decide which buttons to show.

`GUARDED` records every guarded service with its rule, and `UNGUARDED` every service
that deliberately asks none, with the reason: the permission tests are generated from
both, so a new service cannot slip through unnoticed.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied

from .models import StaffMembership


class NotPermitted(PermissionDenied):
    """The acting person may not do this; `rule` names the rule that said no."""

    def __init__(self, rule: str = ""):
        super().__init__(rule)
        self.rule = rule


@dataclass(frozen=True)
class Rule:
    name: str
    check: Callable[..., bool]

    def __call__(self, actor, **subjects) -> bool:
        return bool(self.check(actor, **subjects))

    def subjects(self) -> tuple[str, ...]:
        """The keyword arguments the rule reads besides the actor."""
        parameters = list(inspect.signature(self.check).parameters.values())[1:]
        return tuple(p.name for p in parameters)


def rule(name: str):
    """Names a predicate `check(actor, *, subject…) -> bool` as a rule. A check may
    raise a more specific NotPermitted itself (four eyes says why)."""
    def decorator(check):
        return Rule(name, check)
    return decorator


def require(rule: Rule, actor, **subjects) -> None:
    if not rule(actor, **subjects):
        raise NotPermitted(rule.name)


def allows(rule: Rule, actor, **subjects) -> bool:
    try:
        require(rule, actor, **subjects)
    except NotPermitted:
        return False
    return True


# --- The registry of guarded services ---------------------------------------------------

@dataclass(frozen=True)
class Guarded:
    function: Callable  # the service as callers see it, guard included
    rule: Rule
    actor: str  # the keyword argument that holds the acting person


GUARDED: dict[str, Guarded] = {}
UNGUARDED: dict[str, str] = {}  # qualified name → why the service asks no rule
# Modules of building blocks that act for no person of their own → why.
UNGUARDED_MODULES: dict[str, str] = {}


def _qualified(function) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def guarded_by(rule: Rule, *, actor: str = "actor"):
    """The service runs only when `rule` allows the person in the keyword argument
    `actor`; the rule's subjects are taken from the call's keyword arguments."""
    def decorator(function):
        @wraps(function)
        def guarded(**kwargs):
            require(rule, kwargs.get(actor), **{name: kwargs[name] for name in rule.subjects()})
            return function(**kwargs)

        name = _qualified(function)
        if name in GUARDED or name in UNGUARDED:
            raise ValueError(f"{name} is declared twice")
        GUARDED[name] = Guarded(guarded, rule, actor)
        guarded.rule = rule
        return guarded
    return decorator


def unguarded(reason: str):
    """Marks a service that asks no rule on purpose; the reason is required."""
    def decorator(function):
        if not reason.strip():
            raise ValueError("say why the service needs no rule")
        UNGUARDED[_qualified(function)] = reason
        return function
    return decorator


def unguarded_module(module: str, reason: str) -> None:
    """Every function of `module` asks no rule on purpose: a building block that knows
    no person and is called only inside guarded services and tasks."""
    if not reason.strip():
        raise ValueError("say why the module needs no rule")
    UNGUARDED_MODULES[module] = reason


# --- Primitives -------------------------------------------------------------------------
#
# Memberships are read through the tenant manager, so only those in the active
# authority count: staff of another authority are nobody here.

LEADING_ROLES = frozenset({StaffMembership.Role.TEAM_LEAD, StaffMembership.Role.ADMINISTRATOR})


def is_person(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def is_citizen(actor) -> bool:
    return is_person(actor) and actor.is_citizen


def acts_in_portal(actor) -> bool:
    """A citizen or a firm's person: applies in the portal and has a mailbox. Whether a
    firm's person is admitted at the active authority is asked at the portal's door
    (access.applicant_required)."""
    return is_person(actor) and actor.acts_in_portal


def memberships(actor):
    if not is_person(actor) or not actor.is_staff_member:
        return StaffMembership.objects.none()
    return StaffMembership.objects.filter(user=actor)


def is_staff_of_authority(actor) -> bool:
    return memberships(actor).exists()


def is_member_of(actor, department_ids) -> bool:
    return memberships(actor).filter(department_id__in=list(department_ids)).exists()


def is_team_lead_or_administrator(actor) -> bool:
    """Team lead or administrator in any department of the active authority."""
    return memberships(actor).filter(role__in=LEADING_ROLES).exists()


@rule("accounts.may_work_in")
def may_work_in(actor, *, department_id: int) -> bool:
    """A member of the department (any role): the office lets them work as it."""
    return is_member_of(actor, [department_id])

@rule("accounts.may_admit_firms")
def may_admit_firms(actor, *, department) -> bool:
    """A member of the department (any role): it checks and admits the firms that apply
    to it, and keeps their access (ADR 0041)."""
    return department is not None and is_member_of(actor, [department.pk])


@rule("accounts.may_keep_firm")
def may_keep_firm(actor, *, firm) -> bool:
    """A member of the department that admitted the firm."""
    return firm is not None and is_member_of(actor, [firm.department_id])


@rule("audit.may_read_log")
def may_read_audit_log(actor) -> bool:
    """An administrator of the active authority. The log spans every department and
    names whose data staff opened; its entries carry no department by which a team
    lead could be shown only their own. (The audit app lies below accounts.)"""
    return memberships(actor).filter(role=StaffMembership.Role.ADMINISTRATOR).exists()


# The audit app lies below accounts and cannot declare this itself.
unguarded_module("rathaus.audit.services",
                 "the audit log: written inside every service's transaction, for nobody")
