"""The playground cadastre's asset kinds: playgrounds and the play equipment they hold
(`Asset.parent`), registered with the cadastres' core from `PlaygroundsConfig.ready`.

What is public of them (`public_properties`: the public pages, the map, open data):
attributes marked public, the number, name and type, and whether a piece is open or
closed. Never inspection notes, findings or who inspected.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rathaus.assets.kinds import AssetKind, Attribute, InspectionKind, register_kind
from rathaus.assets.models import Asset

from . import intervals

CADASTRE = "playgrounds"
PLAYGROUND = "playground"
EQUIPMENT = "play_equipment"

AGE_GROUPS = (
    ("0–6", _("0–6 years")),
    ("3–12", _("3–12 years")),
    ("6–14", _("6–14 years")),
    ("alle", _("all ages")),
)

# DIN EN 1176: part 1 holds the general requirements (for what has no part of its
# own), parts 2–6, 10 and 11 those of particular equipment; part 7 is the inspection.
EN1176_PARTS = (
    ("1", _("DIN EN 1176-1 (general requirements)")),
    ("2", _("DIN EN 1176-2 (swings)")),
    ("3", _("DIN EN 1176-3 (slides)")),
    ("4", _("DIN EN 1176-4 (cableways)")),
    ("5", _("DIN EN 1176-5 (carousels)")),
    ("6", _("DIN EN 1176-6 (rocking equipment)")),
    ("10", _("DIN EN 1176-10 (fully enclosed play equipment)")),
    ("11", _("DIN EN 1176-11 (spatial networks)")),
)

# Equipment types (Asset.type) and the EN 1176 part they usually fall under.
EQUIPMENT_TYPES = (
    ("schaukel", _("swing"), "2"),
    ("nestschaukel", _("nest swing"), "2"),
    ("rutsche", _("slide"), "3"),
    ("seilbahn", _("cableway"), "4"),
    ("karussell", _("carousel"), "5"),
    ("wippe", _("seesaw"), "6"),
    ("federwippgeraet", _("spring rocker"), "6"),
    ("spielhaus", _("play house"), "10"),
    ("kriechtunnel", _("crawl tunnel"), "10"),
    ("netz", _("climbing net"), "11"),
    ("klettergeruest", _("climbing frame"), "1"),
    ("kombination", _("play tower with slide"), "1"),
    ("sandkasten", _("sandpit"), "1"),
    ("balancierbalken", _("balance beam"), "1"),
    ("trampolin", _("trampoline"), "1"),
)
TYPICAL_PART = {key: part for key, _label, part in EQUIPMENT_TYPES}


class PublicStatus:
    """How a playground or a piece of equipment shows on the public side."""

    OPEN = "open"
    PARTLY_CLOSED = "partly_closed"
    CLOSED = "closed"


def public_status_label(status: str) -> str:
    return {
        PublicStatus.OPEN: gettext("open for play"),
        PublicStatus.PARTLY_CLOSED: gettext("partly closed"),
        PublicStatus.CLOSED: gettext("closed off"),
    }[status]


def equipment_types() -> list[tuple[str, str]]:
    return [(key, label) for key, label, _part in EQUIPMENT_TYPES]


def _label(choices, key) -> str:
    for choice, label in choices:
        if choice == key:
            return str(label)
    return key or ""


def type_label(key: str) -> str:
    return _label(equipment_types(), key)


def part_label(key: str) -> str:
    return _label(EN1176_PARTS, key)


def age_group_label(key: str) -> str:
    return _label(AGE_GROUPS, key)


def equipment_status(piece: Asset) -> str:
    """Closed when the piece is, or the whole playground is."""
    closed = piece.status == Asset.Status.CLOSED or (
        piece.parent_id is not None and piece.parent.status == Asset.Status.CLOSED)
    return PublicStatus.CLOSED if closed else PublicStatus.OPEN


def pieces(playground: Asset) -> list[Asset]:
    """The playground's equipment in service or closed (not removed), by number. Uses
    `prefetch_related("children")` where the caller made it."""
    return sorted((child for child in playground.children.all()
                   if child.kind == EQUIPMENT and child.status != Asset.Status.REMOVED),
                  key=lambda child: child.number)


def status_of(playground_closed: bool, pieces_total: int, pieces_closed: int) -> str:
    """Closed when the playground itself is closed or every piece is; partly closed
    when some pieces are; open otherwise."""
    if playground_closed or (pieces_total and pieces_closed == pieces_total):
        return PublicStatus.CLOSED
    return PublicStatus.PARTLY_CLOSED if pieces_closed else PublicStatus.OPEN


def _counts(asset: Asset, equipment: list[Asset] | None) -> tuple[int, int]:
    """(pieces, closed pieces): from `equipment`, from the annotations the public
    selectors add (`pieces_total`, `pieces_closed`), or else asked."""
    if equipment is None and hasattr(asset, "pieces_total"):
        return asset.pieces_total, asset.pieces_closed
    equipment = pieces(asset) if equipment is None else equipment
    return len(equipment), sum(1 for p in equipment if p.status == Asset.Status.CLOSED)


def playground_status(playground: Asset, equipment: list[Asset] | None = None) -> str:
    total, closed = _counts(playground, equipment)
    return status_of(playground.status == Asset.Status.CLOSED, total, closed)


def playground_properties(asset: Asset, equipment: list[Asset] | None = None) -> dict:
    total, closed = _counts(asset, equipment)
    status = status_of(asset.status == Asset.Status.CLOSED, total, closed)
    age_group = asset.attributes.get("age_group", "")
    return {
        "number": asset.number,
        "name": asset.name,
        "street": asset.attributes.get("street", ""),
        "age_group": age_group,
        "age_group_label": age_group_label(age_group),
        "equipment": total,
        "equipment_closed": closed,
        "status": status,
        "status_label": public_status_label(status),
    }


def equipment_properties(asset: Asset) -> dict:
    status = equipment_status(asset)
    part = asset.attributes.get("en1176_part", "")
    return {
        "number": asset.number,
        "playground": asset.parent.number if asset.parent_id else "",
        "type": asset.type,
        "type_label": type_label(asset.type),
        "en1176_part": part,
        "en1176_part_label": part_label(part),
        "manufacturer": asset.attributes.get("manufacturer", ""),
        "installed_year": asset.attributes.get("installed_year"),
        "status": status,
        "status_label": public_status_label(status),
    }


CONDITIONS = (("ok", _("without defects")), ("defects", _("defects")))

PLAYGROUND_KIND = AssetKind(
    name=PLAYGROUND, cadastre=CADASTRE, label=_("playground"), label_plural=_("playgrounds"),
    inspection_kinds=(), next_inspections=intervals.nothing_planned, inspected=False,
    attributes=(
        Attribute("street", _("street"), "text", public=True),
        Attribute("age_group", _("age group"), "choice", choices=AGE_GROUPS, public=True),
        Attribute("area_m2", _("area (m²)"), "integer", public=True, minimum=0,
                  maximum=1_000_000),
    ),
    public_properties=playground_properties,
)

EQUIPMENT_KIND = AssetKind(
    name=EQUIPMENT, cadastre=CADASTRE, label=_("piece of play equipment"),
    label_plural=_("play equipment"),
    inspection_kinds=(
        InspectionKind("routine", _("visual routine inspection")),
        InspectionKind("operational", _("operational inspection")),
        InspectionKind("main", _("annual main inspection")),
        InspectionKind("occasion", _("occasional inspection"), regular=False),
    ),
    next_inspections=intervals.next_inspections,
    attributes=(
        Attribute("en1176_part", _("DIN EN 1176 part"), "choice", choices=EN1176_PARTS,
                  public=True, required=True),
        Attribute("manufacturer", _("manufacturer"), "text", public=True, required=True),
        Attribute("installed_year", _("year installed"), "integer", public=True,
                  minimum=1950, maximum=2100),
        Attribute("impact_area", _("impact area"), "text"),
    ),
    conditions=CONDITIONS,
    types=equipment_types,
    public_properties=equipment_properties,
)


def register() -> None:
    for kind in (PLAYGROUND_KIND, EQUIPMENT_KIND):
        register_kind(kind)
