"""The cemetery cadastre's asset kinds, registered with the cadastres' core from
`CemeteriesConfig.ready`: a cemetery holds fields (`Asset.parent`), a field holds
graves. None of them is inspected by the core's rules yet, and none is on the public
maps: what the public learns of a cemetery is the grave search (`public.py`) and the
aggregated open data, never a grave's holder or its dead."""

from django.utils.translation import gettext_lazy as _

from rathaus.assets.kinds import AssetKind, Attribute, register_kind

from .models import GraveKind

CADASTRE = "cemeteries"
CEMETERY = "cemetery"
FIELD = "cemetery_field"
GRAVE = "grave"


def _nothing_planned(asset, inspection, today) -> dict:
    return {}


def grave_types() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in GraveKind.choices]


CEMETERY_KIND = AssetKind(
    name=CEMETERY, cadastre=CADASTRE, label=_("cemetery"), label_plural=_("cemeteries"),
    inspection_kinds=(), next_inspections=_nothing_planned, inspected=False,
    attributes=(
        Attribute("street", _("address"), "text", public=True),
    ),
)

FIELD_KIND = AssetKind(
    name=FIELD, cadastre=CADASTRE, label=_("cemetery field"),
    label_plural=_("cemetery fields"),
    inspection_kinds=(), next_inspections=_nothing_planned, inspected=False,
)

GRAVE_KIND = AssetKind(
    name=GRAVE, cadastre=CADASTRE, label=_("grave"), label_plural=_("graves"),
    inspection_kinds=(), next_inspections=_nothing_planned, inspected=False,
    attributes=(
        Attribute("places", _("places"), "integer", minimum=1, maximum=12),
    ),
    types=grave_types,
)


def register() -> None:
    for kind in (CEMETERY_KIND, FIELD_KIND, GRAVE_KIND):
        register_kind(kind)
