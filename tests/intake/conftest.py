from dataclasses import dataclass

import pytest

from rathaus.accounts.models import StaffMembership
from rathaus.authorities.tenancy import authority_context
from rathaus.records.services import add_file_plan_entry, open_case_file
from tests.factories import make_citizen, make_department, make_staff, office_client


@dataclass
class Office:
    town: object
    steueramt: object
    ordnungsamt: object
    clerk: object  # of the Steueramt
    clerk_device: object
    other_clerk: object  # of the Ordnungsamt
    records_manager: object
    citizen: object
    dog_file: object  # the Steueramt's open file of the citizen, "Hundesteuer Bello"
    other_file: object  # the Ordnungsamt's

    def client(self, who="clerk"):
        return office_client(getattr(self, who), self._devices[who])


@pytest.fixture
def office(town) -> Office:
    steueramt = make_department(town, slug="steueramt", name="Steueramt")
    ordnungsamt = make_department(town, slug="ordnungsamt", name="Ordnungsamt")
    registratur = make_department(town, slug="registratur", name="Registratur")
    clerk, clerk_device = make_staff(town, departments=[steueramt])
    other, other_device = make_staff(town, departments=[ordnungsamt], email="otto@x.example")
    manager, manager_device = make_staff(town, departments=[registratur],
                                         email="rita@x.example",
                                         role=StaffMembership.Role.RECORDS_MANAGER)
    citizen = make_citizen()
    with authority_context(town):
        tax = add_file_plan_entry(code="32.41.01", title="Hundesteuer", retention_years=10,
                                  department=steueramt)
        order = add_file_plan_entry(code="32.10.01", title="Gefahrenabwehr",
                                    retention_years=5, department=ordnungsamt)
        dog_file = open_case_file(plan_entry=tax, title="Hundesteuer Bello", subject=citizen)
        other_file = open_case_file(plan_entry=order, title="Gefährlicher Hund Rex")
    office = Office(town, steueramt, ordnungsamt, clerk, clerk_device, other, manager,
                    citizen, dog_file, other_file)
    office._devices = {"clerk": clerk_device, "other_clerk": other_device,
                       "records_manager": manager_device}
    return office
