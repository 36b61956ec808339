"""The council's structure, kept by the Sitzungsdienst: bodies and party groups,
legislative terms, meeting places, persons and their memberships.

Each change is one transaction with an audit entry that names the object and the
fields changed, never a person's name or e-mail address. A changed object is touched,
so that OParl's `modified_since` finds it; a deleted one is only marked `deleted`
(OParl's `deleted: true`), its row stays. Saving the same new object twice (a double
submit) finds the first one instead of making a second.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from rathaus.accounts.models import User
from rathaus.accounts.permissions import guarded_by
from rathaus.audit.services import record

from .errors import CouncilError
from .models import CouncilObject, LegislativeTerm, Location, Membership, Organization, Person
from .permissions import may_keep

# The fields the office may set on each kind of object.
ORGANIZATION_FIELDS = ("name", "short_name", "kind", "start_date", "end_date", "location",
                       "website", "position")
TERM_FIELDS = ("name", "start_date", "end_date")
LOCATION_FIELDS = ("description", "street_address", "room", "postal_code", "locality")
PERSON_FIELDS = ("family_name", "given_name", "title", "form_of_address", "gender", "party")
MEMBERSHIP_FIELDS = ("person", "organization", "role", "voting_right", "start_date",
                     "end_date", "on_behalf_of")
# What makes a new object "the same" as one saved a moment ago (a double submit).
_TWIN_FIELDS = {Organization: ("name", "kind"), LegislativeTerm: ("name",),
                Location: ("description",), Person: ("family_name", "given_name"),
                Membership: ("person", "organization", "start_date")}


def _save(model, instance: CouncilObject | None, values: dict, *, fields, actor,
          action: str) -> CouncilObject:
    unknown = set(values) - set(fields)
    if unknown:
        raise ValueError(f"Not a field the office sets: {sorted(unknown)}")
    if instance is None:
        twin = model.objects.filter(
            deleted=False, **{name: values.get(name) for name in _TWIN_FIELDS[model]}).first()
        if twin is not None and all(getattr(twin, k) == v for k, v in values.items()):
            return twin  # the same form sent twice
        instance, changed = model(), sorted(values)
    else:
        instance = model.objects.select_for_update().get(pk=instance.pk)
        if instance.deleted:
            raise CouncilError(_("This entry has been deleted and cannot be changed."))
        changed = sorted(name for name, value in values.items()
                         if getattr(instance, name) != value)
        if not changed:
            return instance
    for name, value in values.items():
        setattr(instance, name, value)
    instance.full_clean(exclude=["authority"])
    instance.touch()
    instance.save()
    record(action, actor=actor, target=instance, data={"fields": changed})
    return instance


def _delete(instance: CouncilObject, *, actor, action: str) -> CouncilObject:
    instance = type(instance).objects.select_for_update().get(pk=instance.pk)
    if not instance.deleted:
        instance.deleted = True
        instance.touch()
        instance.save(update_fields=["deleted", "modified_at"])
        record(action, actor=actor, target=instance)
    return instance


def _end_memberships(memberships, *, actor) -> None:
    """A deleted person's or body's memberships go with it, each marked for OParl."""
    for membership in memberships.filter(deleted=False):
        _delete(membership, actor=actor, action="council.membership_deleted")


# --- Bodies and party groups ------------------------------------------------------------

@guarded_by(may_keep)
@transaction.atomic
def save_organization(*, actor, organization: Organization | None = None,
                      values: dict) -> Organization:
    """Create (organization None) or change a body or party group."""
    return _save(Organization, organization, values, fields=ORGANIZATION_FIELDS, actor=actor,
                 action="council.organization_saved")


@guarded_by(may_keep)
@transaction.atomic
def delete_organization(*, actor, organization: Organization) -> Organization:
    if organization.meetings.filter(deleted=False, state__in=["planned", "invited"],
                                    cancelled=False).exists():
        raise CouncilError(_("This body still has meetings ahead. Cancel or delete them "
                             "first."))
    _end_memberships(Membership.objects.filter(organization=organization), actor=actor)
    return _delete(organization, actor=actor, action="council.organization_deleted")


# --- Legislative terms and places -------------------------------------------------------

@guarded_by(may_keep)
@transaction.atomic
def save_term(*, actor, term: LegislativeTerm | None = None, values: dict) -> LegislativeTerm:
    if values.get("end_date") and values.get("start_date") and \
            values["end_date"] < values["start_date"]:
        raise CouncilError(_("The term cannot end before it starts."))
    return _save(LegislativeTerm, term, values, fields=TERM_FIELDS, actor=actor,
                 action="council.term_saved")


@guarded_by(may_keep)
@transaction.atomic
def delete_term(*, actor, term: LegislativeTerm) -> LegislativeTerm:
    return _delete(term, actor=actor, action="council.term_deleted")


@guarded_by(may_keep)
@transaction.atomic
def save_location(*, actor, location: Location | None = None, values: dict) -> Location:
    return _save(Location, location, values, fields=LOCATION_FIELDS, actor=actor,
                 action="council.location_saved")


@guarded_by(may_keep)
@transaction.atomic
def delete_location(*, actor, location: Location) -> Location:
    return _delete(location, actor=actor, action="council.location_deleted")


# --- Persons and memberships ------------------------------------------------------------

@guarded_by(may_keep)
@transaction.atomic
def save_person(*, actor, person: Person | None = None, values: dict) -> Person:
    return _save(Person, person, values, fields=PERSON_FIELDS, actor=actor,
                 action="council.person_saved")


@guarded_by(may_keep)
@transaction.atomic
def delete_person(*, actor, person: Person) -> Person:
    _end_memberships(Membership.objects.filter(person=person), actor=actor)
    person = _delete(person, actor=actor, action="council.person_deleted")
    if person.user_id is not None:  # the reading room closes with the person
        Person.objects.filter(pk=person.pk).update(user=None)
        person.user = None
    return person


@guarded_by(may_keep)
@transaction.atomic
def link_account(*, actor, person: Person, email: str) -> Person:
    """Give the person the reading room: their citizen account (found by its e-mail
    address) opens it, with its second factor. Staff accounts are no councillors'
    accounts: the reading room is a portal of its own."""
    email = email.strip()
    account = User.objects.filter(email__iexact=email, kind=User.Kind.CITIZEN,
                                  is_active=True).first() if email else None
    if account is None:
        raise CouncilError(_("There is no citizen account with this e-mail address. The "
                             "councillor registers in the portal first, with this "
                             "address."))
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.deleted:
        raise CouncilError(_("This entry has been deleted and cannot be changed."))
    other = Person.objects.filter(user=account, deleted=False).exclude(pk=person.pk).first()
    if other is not None:
        raise CouncilError(_("This account already opens the reading room of another "
                             "person."))
    if person.user_id != account.pk:
        person.user = account
        person.touch()
        person.save(update_fields=["user", "modified_at"])
        record("council.account_linked", actor=actor, target=person)
    return person


@guarded_by(may_keep)
@transaction.atomic
def unlink_account(*, actor, person: Person) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user_id is not None:
        person.user = None
        person.touch()
        person.save(update_fields=["user", "modified_at"])
        record("council.account_unlinked", actor=actor, target=person)
    return person


@guarded_by(may_keep)
@transaction.atomic
def save_membership(*, actor, membership: Membership | None = None,
                    values: dict) -> Membership:
    body, group = values.get("organization"), values.get("on_behalf_of")
    if values.get("end_date") and values.get("start_date") and \
            values["end_date"] < values["start_date"]:
        raise CouncilError(_("The membership cannot end before it starts."))
    if group is not None and group.kind != Organization.Kind.PARTY_GROUP:
        raise CouncilError(_("A member sits for a party group, not for a body."))
    if body is not None and group is not None and body.pk == group.pk:
        raise CouncilError(_("A party group's own members sit for no other group."))
    return _save(Membership, membership, values, fields=MEMBERSHIP_FIELDS, actor=actor,
                 action="council.membership_saved")


@guarded_by(may_keep)
@transaction.atomic
def delete_membership(*, actor, membership: Membership) -> Membership:
    return _delete(membership, actor=actor, action="council.membership_deleted")
