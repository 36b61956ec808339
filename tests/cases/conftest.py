"""Cases made through the services (no HTTP), and one person of every kind who could
try to act on them."""

from dataclasses import dataclass, replace

import pytest

from rathaus.accounts.models import StaffMembership
from rathaus.authorities.tenancy import authority_context
from rathaus.cases.submission import submit_application
from rathaus.catalog import registry
from rathaus.forms.services import fill_in, start_draft
from tests.conftest import make_citizen, make_department, make_staff
from tests.forms.conftest import DOG, HOLDER, PAYMENT_TRANSFER, dog_service, dog_town  # noqa: F401

SERVICE = "hundeanmeldung"


def make_case(citizen, *, large: bool = True):
    """A submitted Hundeanmeldung of `citizen` in the active authority; a large dog
    gives the Ordnungsamt a task besides the Steueramt's deciding one."""
    service = registry.definition(SERVICE)
    draft = fill_in(draft=start_draft(user=citizen, definition=service), definition=service,
                    pages=[HOLDER, DOG, {"is_large": "yes" if large else "no"},
                           PAYMENT_TRANSFER])
    return submit_application(user=citizen, draft_id=draft.pk, definition=service)


@dataclass
class People:
    """Every kind of person the permission tests try (None: nobody logged in)."""

    owner: object
    other_citizen: object
    decider: object  # clerk of the deciding department (Steueramt)
    second: object  # another Steueramt clerk, for four eyes
    other_task: object  # clerk of a department with a task that does not decide
    no_task: object  # clerk of a department without a task on the case
    team_lead: object  # team lead of the deciding department
    administrator: object  # administrator of a department without a task
    foreign: object  # staff of another authority, in a Steueramt of the same name

    def kinds(self) -> dict:
        return {"anonymous": None, **vars(self)}


@pytest.fixture
def people(dog_town, district, citizen) -> People:  # noqa: F811  (the fixture above)
    from rathaus.authorities.models import Department

    with authority_context(dog_town):
        departments = {d.slug: d for d in Department.objects.all()}
    buergerbuero = make_department(dog_town, "buergerbuero", "Bürgerbüro")
    foreign_office = make_department(district, "steueramt", "Steueramt")
    lead = StaffMembership.Role.TEAM_LEAD
    admin = StaffMembership.Role.ADMINISTRATOR
    return People(
        owner=citizen,
        other_citizen=make_citizen("nachbar@example.org"),
        decider=make_staff(dog_town, [departments["steueramt"]], "max@x.example")[0],
        second=make_staff(dog_town, [departments["steueramt"]], "erika@x.example")[0],
        other_task=make_staff(dog_town, [departments["ordnungsamt"]], "otto@x.example")[0],
        no_task=make_staff(dog_town, [buergerbuero], "lieschen@x.example")[0],
        team_lead=make_staff(dog_town, [departments["steueramt"]], "lea@x.example",
                             role=lead)[0],
        administrator=make_staff(dog_town, [buergerbuero], "admin@x.example", role=admin)[0],
        foreign=make_staff(district, [foreign_office], "klara@rbk.example")[0],
    )


@pytest.fixture
def without_four_eyes(monkeypatch):
    """The Hundeanmeldung as if its definition had no four eyes."""
    plain = replace(registry.definition(SERVICE), four_eyes=False)
    monkeypatch.setitem(registry._definitions, SERVICE, plain)
