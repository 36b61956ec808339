"""A small cemetery of the town made through the cemetery services: the
Friedhofsverwaltung keeping the cadastre "cemeteries", its clerk, one cemetery with the
bylaw's grave types, one field with graves of every type.

Helpers of other test modules add their fixtures below; keep each one small."""

from datetime import date
from decimal import Decimal

import pytest

from rathaus.assets.models import Cadastre
from rathaus.authorities.models import Department
from rathaus.authorities.tenancy import authority_context
from rathaus.cemeteries import services
from rathaus.cemeteries.models import Grave, GraveKind
from tests.factories import make_staff

CLERK_EMAIL = "friedhof@leichlingen.example"

# The bylaw of the test cemetery: (kind, values).
BYLAW = {
    GraveKind.ROW: dict(places=1, rest_period_coffin_years=25, rest_period_urn_years=20,
                        right_years=25, extendable=False, right_fee=Decimal("1200.00"),
                        burial_fee_coffin=Decimal("850.00"), burial_fee_urn=Decimal("320.00")),
    GraveKind.CHOICE: dict(places=2, rest_period_coffin_years=25, rest_period_urn_years=20,
                           right_years=30, extendable=True, extension_min_years=1,
                           extension_max_years=30, max_total_years=60,
                           right_fee=Decimal("1800.00"), extension_fee_per_year=Decimal("60.00"),
                           burial_fee_coffin=Decimal("850.00"),
                           burial_fee_urn=Decimal("320.00")),
    GraveKind.URN_ROW: dict(places=1, rest_period_urn_years=20, right_years=20,
                            extendable=False, right_fee=Decimal("700.00"),
                            burial_fee_urn=Decimal("320.00")),
    GraveKind.URN_CHOICE: dict(places=4, rest_period_urn_years=20, right_years=25,
                               extendable=True, extension_min_years=1, extension_max_years=25,
                               right_fee=Decimal("1100.00"),
                               extension_fee_per_year=Decimal("44.00"),
                               burial_fee_urn=Decimal("320.00")),
    GraveKind.ANONYMOUS: dict(places=1, rest_period_urn_years=20, right_years=0,
                              right_fee=Decimal("450.00"), burial_fee_urn=Decimal("320.00")),
    GraveKind.TREE: dict(places=1, rest_period_urn_years=20, right_years=20, extendable=True,
                         extension_min_years=1, extension_max_years=10,
                         right_fee=Decimal("1300.00"), extension_fee_per_year=Decimal("65.00"),
                         burial_fee_urn=Decimal("320.00")),
}


def make_cemetery_world(authority) -> dict:
    """{"department", "cadastre", "clerk", "device", "cemetery", "field", "types" (by
    kind), "graves" (by kind: [Grave, Grave])}: two graves of every type in rows."""
    with authority_context(authority):
        department = Department.objects.create(slug="friedhofsverwaltung",
                                               name="Friedhofsverwaltung")
        cadastre = Cadastre.objects.create(name="cemeteries", department=department)
    clerk, device = make_staff(authority, departments=[department], email=CLERK_EMAIL)
    with authority_context(authority):
        cemetery = services.create_cemetery(
            actor=clerk, cadastre=cadastre, number="FH-T1", name="Testfriedhof",
            lon=7.0175, lat=51.1090, street="Friedhofsweg 1")
        field = services.create_field(actor=clerk, cadastre=cadastre, cemetery=cemetery,
                                      number="FH-T1-A", name="Feld A", lon=7.0176, lat=51.1091)
        types = {kind: services.save_grave_type(actor=clerk, cadastre=cadastre,
                                                cemetery=cemetery, kind=kind, values=values)
                 for kind, values in BYLAW.items()}
        new = [services.NewGrave(number=f"A-{row}-{position}", row=row, position=position,
                                 kind=kind, lon=7.0176 + position * 0.00003,
                                 lat=51.1091 + row * 0.00003)
               for row, kind in enumerate(BYLAW, start=1) for position in (1, 2)]
        services.create_graves(actor=clerk, cadastre=cadastre, field=field, graves=new,
                               reason="Testplan")
        graves = {kind: list(Grave.objects.filter(grave_type=types[kind])
                             .select_related("asset", "grave_type").order_by("position"))
                  for kind in BYLAW}
    return {"department": department, "cadastre": cadastre, "clerk": clerk,
            "device": device, "cemetery": cemetery, "field": field, "types": types,
            "graves": graves}


@pytest.fixture
def cemetery_world(town):
    return make_cemetery_world(town)


HOLDER = services.Holder(name="Margarete Beispiel", street="Am Hang 3", postcode="42799",
                         city="Leichlingen", successor_name="Paul Beispiel")


def deceased(first="Heinrich", last="Beispiel", died=date(2026, 11, 30)):
    return services.Deceased(first_name=first, last_name=last, died_on=died,
                             born_on=date(1940, 5, 1))


def make_demo_cemeteries(authority) -> dict:
    """The demo's two cemeteries (cemeteries.demo) in `authority`, kept by its
    Friedhofsverwaltung, made by its clerk: {"department", "cadastre", "clerk",
    "device", "graves" (how many)}. Not together with `cemetery_world` (one department)."""
    from rathaus.cemeteries.demo import set_up_demo_cemeteries

    with authority_context(authority):
        department = Department.objects.create(slug="friedhofsverwaltung",
                                               name="Friedhofsverwaltung")
        cadastre = Cadastre.objects.create(name="cemeteries", department=department)
    clerk, device = make_staff(authority, departments=[department], email=CLERK_EMAIL)
    with authority_context(authority):
        graves = set_up_demo_cemeteries(clerk=clerk)
    return {"department": department, "cadastre": cadastre, "clerk": clerk,
            "device": device, "graves": graves}


@pytest.fixture
def demo_cemeteries(town):
    return make_demo_cemeteries(town)
