"""Reading the playground cadastre for the public: the playgrounds of the active
authority with their equipment, in the words `kinds.public_properties` publishes.

Nothing internal leaves here: no inspections, findings, notes or staff. Read fresh on
every call, so a piece closed a moment ago shows as closed at once.
"""

from dataclasses import dataclass

from django.db.models import Prefetch

from rathaus.accounts.permissions import unguarded
from rathaus.assets.models import Asset

from .kinds import EQUIPMENT, PLAYGROUND, equipment_properties, pieces, playground_properties


@dataclass(frozen=True)
class PublicPlayground:
    properties: dict  # kinds.playground_properties
    lon: float
    lat: float
    equipment: list[dict]  # kinds.equipment_properties of each piece, by number


def _playgrounds():
    children = Asset.objects.filter(kind=EQUIPMENT).exclude(status=Asset.Status.REMOVED) \
        .select_related("parent").order_by("number")
    return (
        Asset.objects.filter(kind=PLAYGROUND, cadastre__name="playgrounds")
        .exclude(status=Asset.Status.REMOVED)
        .prefetch_related(Prefetch("children", queryset=children))
        .order_by("name", "number")
    )


def _public(playground: Asset) -> PublicPlayground:
    return PublicPlayground(
        properties=playground_properties(playground), lon=playground.lon, lat=playground.lat,
        equipment=[equipment_properties(piece) for piece in pieces(playground)],
    )


@unguarded("public: what the public pages and the map show of every playground")
def public_playgrounds() -> list[PublicPlayground]:
    """Every playground of the active authority (not removed), by name."""
    return [_public(playground) for playground in _playgrounds()]


@unguarded("public: what the public pages show of one playground")
def public_playground(number: str) -> PublicPlayground | None:
    """The playground with `number`, or None (also for a removed one)."""
    playground = _playgrounds().filter(number=number).first()
    return _public(playground) if playground is not None else None


@unguarded("public: the equipment as the public map and open data show it")
def public_equipment() -> list[tuple[Asset, dict]]:
    """Every piece of equipment (not removed) of a playground that is not removed, with
    its public properties, by number."""
    rows = (
        Asset.objects.filter(kind=EQUIPMENT, cadastre__name="playgrounds")
        .exclude(status=Asset.Status.REMOVED)
        .exclude(parent__status=Asset.Status.REMOVED)
        .select_related("parent").order_by("number")
    )
    return [(piece, equipment_properties(piece)) for piece in rows]
