"""A playground of the town with equipment, made through the cadastres' core."""

import uuid

import pytest
from django.utils import timezone

from rathaus.assets import services
from rathaus.authorities.tenancy import authority_context


def add_playground(cadastres, *, number="SP-01", name="Spielplatz Am Wall",
                   street="Am Wall", pieces=(("SG-01-1", "schaukel", "2"),
                                             ("SG-01-2", "rutsche", "3"))):
    """A playground and its pieces ((number, type, EN 1176 part), …); call it with the
    authority active. Returns (playground, [pieces])."""
    actor, cadastre = cadastres["inspector"], cadastres["playgrounds"]
    playground = services.create_asset(
        actor=actor, cadastre=cadastre, kind="playground", number=number, name=name,
        lon=7.0186, lat=51.1056,
        attributes={"street": street, "age_group": "3–12", "area_m2": "850"})
    made = [
        services.create_asset(
            actor=actor, cadastre=cadastre, kind="play_equipment", number=piece_number,
            type=kind, parent=playground, lon=7.0187, lat=51.1057,
            attributes={"en1176_part": part, "manufacturer": "Kompan",
                        "installed_year": "2019", "impact_area": "Fallschutzkies 30 cm"})
        for piece_number, kind, part in pieces
    ]
    return playground, made


def inspect(cadastres, piece, *, kind="routine", findings=(), notes="", when=None):
    return services.record_inspection(
        actor=cadastres["inspector"], asset=piece, client_id=uuid.uuid4(), kind=kind,
        inspected_at=when or timezone.now(), seen_version=piece.version,
        condition="defects" if findings else "ok", notes=notes, findings=list(findings))


@pytest.fixture
def playground(cadastres, town):
    with authority_context(town):
        return add_playground(cadastres)
