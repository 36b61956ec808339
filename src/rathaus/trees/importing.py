"""Importing trees in two steps: `preview_import` reads the file, says what would
happen (new trees, changed trees with the changed fields, refused rows with their
line and a German reason) and keeps the file in the document store;
`confirm_import` starts `run_import` in the background, which applies it once, in one
transaction, through the cadastres' core (create_assets and change_asset with the
reason "Import <filename>"). New trees go in batches (5,000 in about 1.5 s on SQLite);
each changed tree is one change_asset, so a large file takes longer than a request may:
the worker runs it."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.permissions import guarded_by, unguarded
from rathaus.assets.import_files import (
    checked_number,
    outside_germany,
    read_limited,
    upload_name,
)
from rathaus.assets.kinds import kind_of
from rathaus.assets.models import Asset, Cadastre
from rathaus.assets.permissions import may_keep_cadastre
from rathaus.assets.services import (
    InvalidAsset,
    NewAsset,
    change_asset,
    clean_attributes,
    create_assets,
)
from rathaus.audit.services import appended_at_the_end, record
from rathaus.authorities.tenancy import current_authority
from rathaus.records.blobs import read_blob, store_stream

from . import import_files
from .import_files import FileRefused, RawRow, read_file
from .models import TreeImport
from .species import find_species

__all__ = ["FileRefused", "confirm_import", "preview_import", "run_import"]

ATTRIBUTE_COLUMNS = ("planting_year", "height", "crown_diameter", "trunk_circumference",
                     "traffic_expectation", "street", "age_phase")
# German words a spreadsheet may hold for the traffic expectation's keys.
TRAFFIC_WORDS = {"gering": "low", "niedrig": "low", "mittel": "medium", "hoch": "high"}
SAMPLE = 10
MAX_REFUSED_SHOWN = 500
MAX_CHANGED_SHOWN = 200
COORDINATE_TOLERANCE = 1e-7  # degrees, about a centimetre


@dataclass
class Planned:
    """What the rows of a file would do."""
    crs: str
    new: list[dict] = field(default_factory=list)
    changed: list[tuple[Asset, dict, list[str]]] = field(default_factory=list)
    unchanged: int = 0
    refused: list[dict] = field(default_factory=list)


@unguarded("checks the rows of a file against the cadastre; writes nothing")
def plan(content: bytes, *, filename: str, crs: str = "") -> Planned:
    """Read the file and sort its rows into new, changed, unchanged and refused."""
    crs, rows = read_file(content, filename=filename, crs=crs)
    planned = Planned(crs=crs)
    checked = []
    first_line: dict[str, int] = {}
    for row in rows:
        values, reason = _checked(row)
        number = str(row.values.get("number") or "").strip()
        if not reason and number in first_line:
            reason = _("The number %(number)s appears already in line %(line)s.") % {
                "number": number, "line": first_line[number]}
        if reason:
            planned.refused.append({"line": row.line, "number": number, "reason": reason})
            continue
        first_line[number] = row.line
        checked.append(values)
    existing = _existing({values["number"] for values in checked})
    for values in checked:
        asset = existing.get(values["number"])
        if asset is None:
            planned.new.append(values)
            continue
        changes, fields = _differences(asset, values)
        if changes:
            planned.changed.append((asset, changes, fields))
        else:
            planned.unchanged += 1
    return planned


def _existing(numbers: set[str]) -> dict[str, Asset]:
    found = {}
    numbers = sorted(numbers)
    for start in range(0, len(numbers), 500):
        for asset in Asset.objects.filter(kind="tree", number__in=numbers[start:start + 500]):
            found[asset.number] = asset
    return found


def _checked(row: RawRow) -> tuple[dict, str]:
    """The row's values ready for the core, or the German reason it is refused."""
    values = row.values
    number, reason = checked_number(values)
    if reason:
        return {}, reason
    species = find_species(str(values.get("species") or "").strip())
    if species is None:
        name = str(values.get("species") or "").strip()
        return {}, (_("Unknown species „%(species)s“.") % {"species": name[:60]} if name
                    else _("The species is missing."))
    if row.problem:
        return {}, row.problem
    lon, lat = values["lon"], values["lat"]
    if reason := outside_germany(lon, lat):
        return {}, reason
    attributes = {}
    for column in ATTRIBUTE_COLUMNS:
        value = values.get(column)
        if value in (None, ""):
            continue
        if column == "traffic_expectation":
            value = TRAFFIC_WORDS.get(str(value).strip().lower(), str(value).strip().lower())
        attributes[column] = value
    try:
        attributes = clean_attributes(kind_of("tree"), attributes)
    except InvalidAsset as error:
        return {}, str(error)
    return {"number": number, "type": species.key, "lon": lon, "lat": lat,
            "attributes": attributes}, ""


def _differences(asset: Asset, values: dict) -> tuple[dict, list[str]]:
    """What the row changes of the tree: {"type": …, "attributes": {…}} and the names
    of the changed fields. Empty cells leave a value as it is."""
    changes, fields = {}, []
    if asset.type != values["type"]:
        changes["type"] = values["type"]
        fields.append("species")
    if abs(asset.lon - values["lon"]) > COORDINATE_TOLERANCE \
            or abs(asset.lat - values["lat"]) > COORDINATE_TOLERANCE:
        changes["lon"], changes["lat"] = values["lon"], values["lat"]
        fields.append("place")
    attributes = {key: value for key, value in values["attributes"].items()
                  if asset.attributes.get(key) != value}
    if attributes:
        changes["attributes"] = attributes
        fields.extend(sorted(attributes))
    return changes, fields


def _summary(planned: Planned) -> dict:
    return {
        "crs": planned.crs,
        "new": len(planned.new),
        "changed": len(planned.changed),
        "unchanged": planned.unchanged,
        "refused": len(planned.refused),
        "refused_rows": planned.refused[:MAX_REFUSED_SHOWN],
        "changed_rows": [{"number": asset.number, "fields": [_field_label(f) for f in fields]}
                         for asset, _changes, fields in planned.changed[:MAX_CHANGED_SHOWN]],
        "sample_new": [_sample(values) for values in planned.new[:SAMPLE]],
    }


def _field_label(name: str) -> str:
    """The field's name for the preview page, in the uploader's language."""
    if name == "species":
        return _("species")
    if name == "place":
        return _("place")
    attribute = kind_of("tree").attribute(name)
    return str(attribute.label) if attribute else name


def _sample(values: dict) -> dict:
    species = find_species(values["type"])
    return {"number": values["number"], "species": values["type"],
            "species_name": f"{species.german_name} ({species.botanical_name})",
            "lon": round(values["lon"], 6), "lat": round(values["lat"], 6),
            "planting_year": values["attributes"].get("planting_year"),
            "street": values["attributes"].get("street") or ""}


@guarded_by(may_keep_cadastre)
def preview_import(*, actor, cadastre: Cadastre, file, crs: str = "") -> TreeImport:
    """Read `file` (an uploaded file), keep it for the confirmation, and return the
    import with what it would do (`summary`). Raises FileRefused for a file that
    cannot be read at all."""
    filename = upload_name(file)
    content = read_limited(file, max_bytes=import_files.MAX_BYTES)
    planned = plan(content, filename=filename, crs=crs)
    stored = store_stream(content, authority_slug=current_authority().slug)
    with transaction.atomic():
        tree_import = TreeImport.objects.create(
            filename=filename, blob_name=stored.name, sha256=stored.sha256, crs=crs,
            created_by=actor, summary=_summary(planned),
        )
        record("trees.import_previewed", actor=actor, target=tree_import,
               data={"filename": filename, "new": len(planned.new),
                     "changed": len(planned.changed), "refused": len(planned.refused)})
    return tree_import


@guarded_by(may_keep_cadastre)
def confirm_import(*, actor, cadastre: Cadastre, tree_import: TreeImport) -> TreeImport:
    """Start the import in the background (a large file takes minutes, longer than a
    request may); a second confirmation changes nothing."""
    from .tasks import run_tree_import

    with transaction.atomic():
        locked = TreeImport.objects.select_for_update().get(pk=tree_import.pk)
        if locked.state != TreeImport.State.PREVIEWED:
            return locked
        locked.state = TreeImport.State.RUNNING
        locked.save(update_fields=["state"])
        record("trees.import_confirmed", actor=actor, target=locked,
               data={"filename": locked.filename})
        run_tree_import.enqueue(authority_id=locked.authority_id, import_id=locked.pk,
                                actor_id=actor.pk)
    locked.refresh_from_db()
    return locked


@guarded_by(may_keep_cadastre)
def run_import(*, actor, cadastre: Cadastre, tree_import: TreeImport) -> TreeImport:
    """Apply the import once, all or nothing. The rows are checked again (someone may
    have added a tree since the preview); a second call changes nothing."""
    with transaction.atomic(), appended_at_the_end():
        locked = TreeImport.objects.select_for_update().get(pk=tree_import.pk)
        if locked.state in (TreeImport.State.DONE, TreeImport.State.FAILED):
            return locked
        content = read_blob(locked.blob_name, sha256=locked.sha256)
        planned = plan(content, filename=locked.filename, crs=locked.crs)
        reason = f"Import {locked.filename}"[:300]
        create_assets(actor=actor, cadastre=cadastre, kind="tree", reason=reason, assets=(
            NewAsset(number=values["number"], type=values["type"], lon=values["lon"],
                     lat=values["lat"], attributes=values["attributes"])
            for values in planned.new))
        for asset, changes, _fields in planned.changed:
            change_asset(actor=actor, cadastre=cadastre, asset=asset, changes=changes,
                         reason=reason)
        locked.state = TreeImport.State.DONE
        locked.done_at = timezone.now()
        locked.summary = {**locked.summary, "result": {
            "created": len(planned.new), "changed": len(planned.changed),
            "unchanged": planned.unchanged, "refused": len(planned.refused)}}
        locked.save(update_fields=["state", "done_at", "summary"])
        record("trees.import_done", actor=actor, target=locked,
               data={"filename": locked.filename, **locked.summary["result"]})
        _figures_changed()
    return locked


@unguarded("the background task's record of an import that could not run; no person acts")
def mark_failed(*, tree_import: TreeImport, reason: str) -> None:
    with transaction.atomic():
        locked = TreeImport.objects.select_for_update().get(pk=tree_import.pk)
        if locked.state != TreeImport.State.RUNNING:
            return
        locked.state = TreeImport.State.FAILED
        locked.done_at = timezone.now()
        locked.summary = {**locked.summary, "error": reason}
        locked.save(update_fields=["state", "done_at", "summary"])
        record("trees.import_failed", actor=None, target=locked,
               data={"filename": locked.filename, "reason": reason})


def _figures_changed() -> None:
    from rathaus.publication.signals import figures_changed

    figures_changed.send(sender=Asset)


@guarded_by(may_keep_cadastre)
def import_of(*, actor, cadastre: Cadastre, pk: int) -> TreeImport:
    """An import of the authority, for its preview and result pages."""
    return TreeImport.objects.get(pk=pk)


@unguarded("names the authority's trees cadastre; reveals nothing")
def trees_cadastre() -> Cadastre | None:
    return Cadastre.objects.filter(name="trees").first()
