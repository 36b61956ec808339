"""Reading the playground cadastre for the public: the playgrounds of the active
authority with their equipment, in the words `kinds.public_properties` publishes.

Nothing internal leaves here: no inspections, findings, notes or staff. Read fresh on
every call, so a piece closed a moment ago shows as closed at once.
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from rathaus.accounts.permissions import unguarded
from rathaus.assets.models import Asset

from .kinds import EQUIPMENT, PLAYGROUND, equipment_properties, pieces, playground_properties


@dataclass(frozen=True)
class PublicPlayground:
    properties: dict  # kinds.playground_properties
    lon: float
    lat: float
    equipment: list[dict]  # kinds.equipment_properties of each piece, by number


def _playgrounds(*, equipment: bool):
    rows = (Asset.objects.filter(kind=PLAYGROUND, cadastre__name="playgrounds")
            .exclude(status=Asset.Status.REMOVED).order_by("name", "number"))
    if not equipment:  # the counts are enough (kinds.playground_properties reads them)
        in_use = Q(children__kind=EQUIPMENT) & ~Q(children__status=Asset.Status.REMOVED)
        return rows.annotate(
            pieces_total=Count("children", filter=in_use),
            pieces_closed=Count("children", filter=in_use & Q(
                children__status=Asset.Status.CLOSED)))
    # Only what kinds.pieces and kinds.equipment_properties read of each piece.
    children = (Asset.objects.filter(kind=EQUIPMENT).exclude(status=Asset.Status.REMOVED)
                .only("parent_id", "kind", "number", "type", "status", "attributes")
                .order_by("number"))
    return rows.prefetch_related(Prefetch("children", queryset=children))


def _public(playground: Asset, *, equipment: bool) -> PublicPlayground:
    if not equipment:
        return PublicPlayground(properties=playground_properties(playground),
                                lon=playground.lon, lat=playground.lat, equipment=[])
    own = pieces(playground)
    for piece in own:
        piece.parent = playground  # its number, without a query per piece
    return PublicPlayground(
        properties=playground_properties(playground, own), lon=playground.lon,
        lat=playground.lat, equipment=[equipment_properties(piece) for piece in own],
    )


@unguarded("public: what the public pages and the map show of every playground")
def public_playgrounds(*, equipment: bool = False) -> list[PublicPlayground]:
    """Every playground of the active authority (not removed), by name; with
    `equipment`, each with its pieces' properties."""
    return [_public(playground, equipment=equipment)
            for playground in _playgrounds(equipment=equipment)]


@unguarded("public: what the public pages show of one playground")
def public_playground(number: str) -> PublicPlayground | None:
    """The playground with `number`, or None (also for a removed one)."""
    playground = _playgrounds(equipment=True).filter(number=number).first()
    return _public(playground, equipment=True) if playground is not None else None


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
