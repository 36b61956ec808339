"""The registry of asset kinds: what a domain app tells the core about its assets.

    from rathaus.assets.kinds import AssetKind, Attribute, InspectionKind, register_kind

    register_kind(AssetKind(
        name="tree", cadastre="trees", label=_("tree"), label_plural=_("trees"),
        attributes=(Attribute("height", _("height (m)"), "decimal", public=False), …),
        inspection_kinds=(InspectionKind("regular", _("regular inspection")), …),
        conditions=(("healthy", _("healthy")), ("damaged", _("damaged"))),
        next_inspections=fll.next_inspections,
    ))

`next_inspections(asset, inspection, today)` returns {inspection kind: due date} for
the kinds the rules plan: after `inspection`, or for a new asset when it is None. Kinds
it leaves out keep their planned date (a storm inspection stays until done).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from rathaus.registry import Registry


@dataclass(frozen=True)
class Attribute:
    name: str
    label: str
    type: str = "text"  # "text", "integer", "decimal", "choice", "boolean"
    choices: tuple[tuple[str, str], ...] = ()
    public: bool = False  # published in open data and on the public map
    measured: bool = False  # asked at each inspection (a tree's height), not in the office
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class InspectionKind:
    name: str
    label: str
    # Planned by the rules; False for kinds planned by hand (after a storm).
    regular: bool = True


@dataclass(frozen=True)
class AssetKind:
    name: str
    cadastre: str
    label: str
    label_plural: str
    inspection_kinds: tuple[InspectionKind, ...]
    next_inspections: Callable[..., dict[str, date]]
    attributes: tuple[Attribute, ...] = ()
    conditions: tuple[tuple[str, str], ...] = ()
    # False for what holds inspected assets without being inspected itself (a
    # playground holds its equipment).
    inspected: bool = True
    types: Callable[[], list[tuple[str, str]]] = field(default=lambda: [])
    # What the public map and list show of an asset of this kind (only public
    # attributes, no inspection notes, no names of staff); None: not on public maps.
    public_properties: Callable[..., dict] | None = None

    def inspection_kind(self, name: str) -> InspectionKind | None:
        return next((k for k in self.inspection_kinds if k.name == name), None)

    def attribute(self, name: str) -> Attribute | None:
        return next((a for a in self.attributes if a.name == name), None)


KINDS: Registry[AssetKind] = Registry("asset kind")


def register_kind(kind: AssetKind) -> AssetKind:
    KINDS.register(kind.name, kind)
    return kind


def kind_of(name: str) -> AssetKind:
    return KINDS[name]


def kinds_of_cadastre(cadastre: str) -> list[AssetKind]:
    return [kind for kind in KINDS.all().values() if kind.cadastre == cadastre]
