"""The asset kind "tree": what the cadastre records of a tree, how it is inspected,
and what the public sees of it. Registered by TreesConfig.ready."""

from django.utils.translation import gettext_lazy as _

from rathaus.assets.kinds import AssetKind, Attribute, InspectionKind, register_kind

from . import intervals
from .species import all_species, species_of

TRAFFIC_CHOICES = (
    (intervals.LOW, _("low (e.g. edge of a park)")),
    (intervals.MEDIUM, _("medium")),
    (intervals.HIGH, _("high (street, playground, school)")),
)
AGE_PHASE_CHOICES = (
    (intervals.YOUNG, _("young")),
    (intervals.MATURE, _("mature")),
    (intervals.AGEING, _("ageing")),
)
CONDITIONS = (
    (intervals.HEALTHY, _("healthy to slightly damaged")),
    (intervals.DAMAGED, _("clearly damaged")),
)

ATTRIBUTES = (
    Attribute("planting_year", _("planting year"), "integer", public=True,
              minimum=1600, maximum=2100),
    Attribute("height", _("height (m)"), "decimal", public=True, minimum=0, maximum=70,
              measured=True),
    Attribute("crown_diameter", _("crown diameter (m)"), "decimal", public=True,
              minimum=0, maximum=50, measured=True),
    Attribute("trunk_circumference", _("trunk circumference (cm)"), "integer",
              minimum=0, maximum=2500, measured=True),
    Attribute("traffic_expectation", _("traffic expectation"), "choice",
              choices=TRAFFIC_CHOICES),
    Attribute("age_phase", _("age phase (assessed)"), "choice", choices=AGE_PHASE_CHOICES),
    Attribute("street", _("street"), "text", public=True),
)

INSPECTION_KINDS = (
    InspectionKind("regular", _("regular inspection")),
    InspectionKind("storm", _("special inspection after a storm"), regular=False),
    InspectionKind("occasion", _("additional inspection for a reason"), regular=False),
)


def species_choices() -> list[tuple[str, str]]:
    return [(s.key, f"{s.german_name} ({s.botanical_name})") for s in all_species()]


def public_properties(asset) -> dict:
    """What the public map and list show of a tree: no condition, no inspection."""
    species = species_of(asset.type)
    return {
        "number": asset.number,
        "species": species.german_name if species else asset.type,
        "botanical_name": species.botanical_name if species else "",
        "planting_year": asset.attributes.get("planting_year"),
        "street": asset.attributes.get("street") or "",
    }


TREE = AssetKind(
    name="tree", cadastre="trees", label=_("tree"), label_plural=_("trees"),
    inspection_kinds=INSPECTION_KINDS, next_inspections=intervals.next_inspections,
    attributes=ATTRIBUTES, conditions=CONDITIONS, types=species_choices,
    public_properties=public_properties,
)


def register() -> None:
    from rathaus.assets.kinds import KINDS

    if "tree" not in KINDS:
        register_kind(TREE)
