"""Changing the cadastres: assets, inspections, conflicts, planned inspections and work
orders. Each function is one transaction that writes the asset's revision (its
history) and an audit entry with the change.

Inspections come from the office form and from phones that were offline: each carries
an id made before sending (`client_id`), so the same inspection sent twice is stored
once, and the asset version its inspector saw (`seen_version`). When someone else has
changed or inspected the asset since, the inspection is kept as a conflict and applied
only when its inspector decides so (`decide_conflict`).
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.permissions import guarded_by, unguarded
from rathaus.audit.services import record

from .kinds import AssetKind, kind_of
from .models import (
    Asset,
    AssetRevision,
    Cadastre,
    Finding,
    Inspection,
    Risk,
    ScheduledInspection,
    Team,
    WorkOrder,
)
from .permissions import may_inspect, may_keep_cadastre, may_work_on_order
from .photos import store_photo

# Days until a finding's work order is due, by risk; a cadastre may set its own in
# settings["deadline_days"] ({"1": 90, …}).
DEADLINE_DAYS = {Risk.LOW: 90, Risk.MEDIUM: 30, Risk.HIGH: 7, Risk.VERY_HIGH: 0}


class InvalidAsset(ValueError):
    """A value the asset's kind does not accept; `str()` is the German reason."""


class NoTeam(ValueError):
    """No team takes the cadastre's work orders."""


class NotAConflict(ValueError):
    pass


@dataclass(frozen=True)
class NewFinding:
    description: str
    risk: int
    measure: str = ""


@dataclass(frozen=True)
class Recorded:
    inspection: Inspection
    created: bool  # False when the same client_id had been received before
    conflict: bool = False
    work_orders: list[WorkOrder] = field(default_factory=list)


# --- Assets -----------------------------------------------------------------------------

@unguarded("checks values against the kind; writes nothing")
def clean_attributes(kind: AssetKind, values: dict) -> dict:
    """The values converted to what the kind declares; raises InvalidAsset."""
    cleaned = {}
    for name, value in values.items():
        attribute = kind.attribute(name)
        if attribute is None:
            raise InvalidAsset(_("Unknown field: %(name)s.") % {"name": name})
        if value in (None, ""):
            if attribute.required:
                raise InvalidAsset(_("%(field)s is missing.") % {"field": attribute.label})
            cleaned[name] = None
            continue
        cleaned[name] = _converted(attribute, value)
    return cleaned


def _converted(attribute, value):
    if attribute.type in ("integer", "decimal"):
        try:
            number = Decimal(str(value).replace(",", "."))
        except InvalidOperation:
            raise InvalidAsset(
                _("%(field)s: „%(value)s“ is not a number.")
                % {"field": attribute.label, "value": value}
            ) from None
        if not number.is_finite() or (attribute.type == "integer" and number != int(number)):
            raise InvalidAsset(
                _("%(field)s: „%(value)s“ is not a whole number.")
                % {"field": attribute.label, "value": value}
            )
        if (attribute.minimum is not None and number < Decimal(str(attribute.minimum))) or (
            attribute.maximum is not None and number > Decimal(str(attribute.maximum))
        ):
            raise InvalidAsset(
                _("%(field)s must lie between %(min)s and %(max)s.")
                % {"field": attribute.label, "min": attribute.minimum, "max": attribute.maximum}
            )
        return int(number) if attribute.type == "integer" else float(number)
    if attribute.type == "choice":
        if value not in {key for key, _label in attribute.choices}:
            raise InvalidAsset(
                _("%(field)s: „%(value)s“ is not one of the choices.")
                % {"field": attribute.label, "value": value}
            )
        return value
    if attribute.type == "boolean":
        return bool(value) and value not in ("0", "false", "nein")
    return str(value).strip()[:500]


def _check_place(lon: float, lat: float) -> None:
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidAsset(_("The place lies outside the earth's coordinates."))


@guarded_by(may_keep_cadastre)
@transaction.atomic
def create_asset(*, actor, cadastre: Cadastre, kind: str, number: str, lon: float, lat: float,
                 name: str = "", type: str = "", attributes: dict | None = None,
                 parent: Asset | None = None, outline: dict | None = None,
                 reason: str = "") -> Asset:
    """A new asset; the rules of its kind plan its first inspections."""
    asset_kind = kind_of(kind)
    if asset_kind.cadastre != cadastre.name:
        raise InvalidAsset(_("This kind of asset belongs to another cadastre."))
    _check_place(lon, lat)
    if Asset.objects.filter(kind=kind, number=number).exists():
        raise InvalidAsset(_("The number %(number)s is taken.") % {"number": number})
    cleaned = _complete(asset_kind, attributes)
    asset = Asset.objects.create(
        cadastre=cadastre, kind=kind, number=number, name=name, type=type, lon=lon, lat=lat,
        attributes=cleaned, parent=parent, outline=outline,
    )
    _reschedule(asset, asset_kind, asset_kind.next_inspections(asset, None, timezone.localdate()))
    asset.save(update_fields=["next_due"])
    changes = {"created": [None, asset.number]}
    AssetRevision.objects.create(asset=asset, version=asset.version, changed_by=actor,
                                 reason=reason, changes=changes)
    record("assets.asset_created", actor=actor, target=asset,
           data={"kind": kind, "number": number, "reason": reason})
    return asset


@dataclass(frozen=True)
class NewAsset:
    number: str
    lon: float
    lat: float
    type: str = ""
    name: str = ""
    attributes: dict = field(default_factory=dict)
    parent: Asset | None = None  # a grave's field
    outline: dict | None = None  # GeoJSON geometry in WGS 84


@guarded_by(may_keep_cadastre)
@transaction.atomic
def create_assets(*, actor, cadastre: Cadastre, kind: str, assets, reason: str,
                  batch: int = 2000) -> int:
    """Many new assets of one kind at once (an import): each checked as `create_asset`
    checks one, planned by the kind's rules, with its first revision; inserted in
    batches, with one audit entry for all (count and numbers' range). All or nothing."""
    asset_kind = kind_of(kind)
    if asset_kind.cadastre != cadastre.name:
        raise InvalidAsset(_("This kind of asset belongs to another cadastre."))
    today = timezone.localdate()
    created, first, last = 0, None, None
    rows = iter(assets)
    while chunk := [row for _i, row in zip(range(batch), rows, strict=False)]:
        numbers = [new.number for new in chunk]
        taken = Asset.objects.filter(kind=kind, number__in=numbers).values_list(
            "number", flat=True).first()
        if taken is not None or len(set(numbers)) != len(numbers):
            raise InvalidAsset(_("The number %(number)s is taken.") % {
                "number": taken or next(n for n in numbers if numbers.count(n) > 1)})
        new_assets, plans = [], []
        for new in chunk:
            _check_place(new.lon, new.lat)
            asset = Asset(cadastre=cadastre, kind=kind, number=new.number, name=new.name,
                          type=new.type, lon=new.lon, lat=new.lat, parent=new.parent,
                          outline=new.outline,
                          attributes=_complete(asset_kind, new.attributes))
            due = asset_kind.next_inspections(asset, None, today)
            asset.next_due = min(due.values(), default=None)
            new_assets.append(asset)
            plans.append(due)
        new_assets = Asset.objects.bulk_create(new_assets)
        ScheduledInspection.objects.bulk_create(
            ScheduledInspection(asset=asset, kind=name, due_on=due_on)
            for asset, due in zip(new_assets, plans, strict=True)
            for name, due_on in due.items())
        AssetRevision.objects.bulk_create(
            AssetRevision(asset=asset, version=asset.version, changed_by=actor, reason=reason,
                          changes={"created": [None, asset.number]}) for asset in new_assets)
        created += len(new_assets)
        first, last = first or numbers[0], numbers[-1]
    record("assets.assets_created", actor=actor, target=cadastre,
           data={"kind": kind, "count": created, "first": first, "last": last,
                 "reason": reason})
    return created


def _complete(asset_kind: AssetKind, values: dict) -> dict:
    """The values checked by the kind, every required attribute present."""
    cleaned = clean_attributes(asset_kind, values or {})
    for attribute in asset_kind.attributes:
        if attribute.required and attribute.name not in cleaned:
            raise InvalidAsset(_("%(field)s is missing.") % {"field": attribute.label})
    return cleaned


@guarded_by(may_keep_cadastre)
@transaction.atomic
def change_asset(*, actor, cadastre: Cadastre, asset: Asset, changes: dict, reason: str,
                 seen_version: int | None = None) -> Asset:
    """Change fields (name, type, lon, lat, status, outline) and attributes
    ({"attributes": {…}}) with a reason. With `seen_version`, a change made since by
    someone else refuses it (`Conflict`)."""
    asset = Asset.objects.select_for_update().get(pk=asset.pk, cadastre=cadastre)
    if seen_version is not None and _changed_by_others(asset, seen_version, actor):
        raise Conflict(asset)
    asset_kind = kind_of(asset.kind)
    before = {}
    after = {}
    for name, value in changes.items():
        if name == "attributes":
            cleaned = clean_attributes(asset_kind, value)
            for key, new in cleaned.items():
                old = asset.attributes.get(key)
                if old != new:
                    before[f"attributes.{key}"], after[f"attributes.{key}"] = old, new
                    asset.attributes[key] = new
            continue
        if name not in ("name", "type", "lon", "lat", "status", "outline", "number"):
            raise InvalidAsset(_("Unknown field: %(name)s.") % {"name": name})
        old = getattr(asset, name)
        if old != value:
            before[name], after[name] = old, value
            setattr(asset, name, value)
    _check_place(asset.lon, asset.lat)
    if not after:
        return asset
    if not reason.strip():
        raise InvalidAsset(_("Please give a reason for the change."))
    asset.version += 1
    asset.save()
    revision_changes = {key: [before[key], after[key]] for key in after}
    AssetRevision.objects.create(asset=asset, version=asset.version, changed_by=actor,
                                 reason=reason, changes=revision_changes)
    record("assets.asset_changed", actor=actor, target=asset,
           data={"changes": revision_changes, "reason": reason})
    return asset


class Conflict(Exception):
    """Someone else changed or inspected the asset after the version the actor saw."""

    def __init__(self, asset: Asset):
        super().__init__(asset.pk)
        self.asset = asset


def _changed_by_others(asset: Asset, seen_version: int, actor) -> bool:
    return (
        AssetRevision.objects.filter(asset=asset, version__gt=seen_version)
        .exclude(changed_by=actor).exists()
    )


# --- Inspections ------------------------------------------------------------------------

@guarded_by(may_inspect)
def record_inspection(*, actor, asset: Asset, client_id: uuid.UUID | str, kind: str,
                      inspected_at: datetime, seen_version: int, condition: str = "",
                      notes: str = "", values: dict | None = None,
                      findings: list[NewFinding] = (), photos: list = ()) -> Recorded:
    """Store an inspection once per `client_id`, with its findings and photos.

    Applied at once, unless someone else changed or inspected the asset after
    `seen_version`: then it waits as a conflict for its inspector's decision. Applying
    it sets the attributes it measured, plans the next inspections by the kind's rules,
    gives each finding with a risk a work order, and closes the asset on the highest
    risk. Photos are checked before anything is written (UploadRejected)."""
    existing = _received_before(client_id)
    if existing is not None:
        return Recorded(existing, created=False,
                        conflict=existing.state == Inspection.State.CONFLICT)
    asset_kind = kind_of(asset.kind)
    inspection_kind = asset_kind.inspection_kind(kind)
    if inspection_kind is None:
        raise InvalidAsset(_("Unknown kind of inspection."))
    if condition and condition not in {key for key, _label in asset_kind.conditions}:
        raise InvalidAsset(_("Unknown condition."))
    cleaned = clean_attributes(asset_kind, values or {})
    for finding in findings:
        if finding.risk not in Risk.values or not finding.description.strip():
            raise InvalidAsset(_("Each finding needs a description and a risk."))
    if inspected_at > timezone.now() + timedelta(minutes=10):
        raise InvalidAsset(_("An inspection cannot lie in the future."))
    try:
        with transaction.atomic():
            locked = Asset.objects.select_for_update().get(pk=asset.pk)
            conflict = _changed_by_others(locked, seen_version, actor)
            inspection = Inspection.objects.create(
                client_id=client_id, asset=locked, kind=kind, inspected_at=inspected_at,
                inspector=actor, condition=condition, notes=notes, values=cleaned,
                seen_version=seen_version,
                state=Inspection.State.CONFLICT if conflict else Inspection.State.RECORDED,
            )
            for finding in findings:
                Finding.objects.create(inspection=inspection, description=finding.description,
                                       risk=finding.risk, measure=finding.measure)
            for photo in photos:
                store_photo(photo, inspection=inspection)
            record("assets.inspection_received", actor=actor, target=inspection,
                   data={"asset": locked.number, "kind": kind, "conflict": conflict})
            orders = [] if conflict else _apply(inspection, locked, asset_kind, actor)
    except IntegrityError:
        existing = _received_before(client_id)
        if existing is None:
            raise
        return Recorded(existing, created=False,
                        conflict=existing.state == Inspection.State.CONFLICT)
    return Recorded(inspection, created=True, conflict=conflict, work_orders=orders)


def _received_before(client_id) -> Inspection | None:
    try:
        return Inspection.objects.filter(client_id=client_id).first()
    except Exception:  # a malformed id is no earlier inspection
        return None


@guarded_by(may_inspect)
@transaction.atomic
def decide_conflict(*, actor, asset: Asset, inspection: Inspection, keep: bool) -> Recorded:
    """The inspector of a conflicting inspection keeps it (applied now, after what came
    first) or discards it (kept in the history as discarded)."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk, asset=asset)
    if inspection.state != Inspection.State.CONFLICT or inspection.inspector_id != actor.pk:
        raise NotAConflict(inspection.pk)
    inspection.decided_at = timezone.now()
    if not keep:
        inspection.state = Inspection.State.DISCARDED
        inspection.save(update_fields=["state", "decided_at"])
        record("assets.inspection_discarded", actor=actor, target=inspection,
               data={"asset": asset.number})
        return Recorded(inspection, created=False)
    inspection.state = Inspection.State.RECORDED
    inspection.save(update_fields=["state", "decided_at"])
    locked = Asset.objects.select_for_update().get(pk=asset.pk)
    record("assets.inspection_kept", actor=actor, target=inspection,
           data={"asset": asset.number})
    orders = _apply(inspection, locked, kind_of(locked.kind), actor)
    return Recorded(inspection, created=False, work_orders=orders)


def _apply(inspection: Inspection, asset: Asset, asset_kind: AssetKind, actor) -> list[WorkOrder]:
    inspected_on = timezone.localdate(inspection.inspected_at)
    before = {"status": asset.status, "next_due": _iso(asset.next_due)}
    changes = {}
    for key, value in inspection.values.items():
        if asset.attributes.get(key) != value:
            changes[f"attributes.{key}"] = [asset.attributes.get(key), value]
            asset.attributes[key] = value
    if inspection.condition and asset.attributes.get("condition") != inspection.condition:
        changes["attributes.condition"] = [asset.attributes.get("condition"),
                                           inspection.condition]
        asset.attributes["condition"] = inspection.condition
    orders = []
    team = None
    for finding in inspection.findings.all():
        if finding.risk == Risk.NONE:
            continue
        team = team or team_for(asset.cadastre)
        order = WorkOrder.objects.create(
            asset=asset, team=team, title=(finding.measure or finding.description)[:200],
            description=finding.description, risk=finding.risk,
            deadline=deadline_for(asset.cadastre, finding.risk, inspected_on),
            source=WorkOrder.Source.INSPECTION, created_by=actor,
            closes_asset=finding.risk == Risk.VERY_HIGH,
        )
        finding.work_order = order
        finding.save(update_fields=["work_order"])
        orders.append(order)
        if order.closes_asset:
            asset.status = Asset.Status.CLOSED
    ScheduledInspection.objects.filter(asset=asset, kind=inspection.kind).delete()
    _reschedule(asset, asset_kind,
                asset_kind.next_inspections(asset, inspection, inspected_on))
    asset.version += 1
    asset.save()
    after = {"status": asset.status, "next_due": _iso(asset.next_due)}
    changes.update({key: [before[key], after[key]] for key in after if before[key] != after[key]})
    AssetRevision.objects.create(
        asset=asset, version=asset.version, changed_by=actor,
        reason=_("Inspection of %(date)s") % {"date": inspected_on.isoformat()},
        changes=changes,
    )
    record("assets.inspection_applied", actor=actor, target=asset,
           data={"inspection": inspection.pk, "changes": changes,
                 "work_orders": [order.pk for order in orders]})
    return orders


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _reschedule(asset: Asset, asset_kind: AssetKind, due: dict[str, date]) -> None:
    for kind, due_on in due.items():
        ScheduledInspection.objects.update_or_create(
            asset=asset, kind=kind, defaults={"due_on": due_on, "reason": ""}
        )
    asset.next_due = (
        ScheduledInspection.objects.filter(asset=asset).order_by("due_on")
        .values_list("due_on", flat=True).first()
    )


@unguarded("looks up the cadastre's team; writes nothing")
def team_for(cadastre: Cadastre) -> Team:
    """The first team (by name) that takes the cadastre's work orders."""
    for team in Team.objects.order_by("name", "pk"):
        if cadastre.name in team.cadastres:
            return team
    raise NoTeam(cadastre.name)


@unguarded("date arithmetic; writes nothing")
def deadline_for(cadastre: Cadastre, risk: int, found_on: date) -> date:
    days = cadastre.settings.get("deadline_days", {}).get(str(int(risk)))
    if days is None:
        days = DEADLINE_DAYS.get(Risk(risk), 90)
    return found_on + timedelta(days=int(days))


@guarded_by(may_keep_cadastre)
@transaction.atomic
def plan_inspections(*, actor, cadastre: Cadastre, assets, kind: str, due_on: date,
                     reason: str) -> int:
    """Plan an inspection of `kind` for each asset of `assets` (a queryset of the
    cadastre, e.g. the trees in a storm's area) by `due_on`; an earlier date already
    planned stays. Returns how many were planned."""
    if not reason.strip():
        raise InvalidAsset(_("Please give a reason, e.g. the storm and its date."))
    # In sets, not asset by asset: a storm's area holds thousands of trees.
    area = assets.filter(cadastre=cadastre).exclude(status=Asset.Status.REMOVED)
    later = ScheduledInspection.objects.filter(
        asset__in=area.values("pk"), kind=kind, due_on__gt=due_on
    ).update(due_on=due_on, reason=reason)
    new = list(area.exclude(schedule__kind=kind).values_list("pk", flat=True))
    ScheduledInspection.objects.bulk_create(
        ScheduledInspection(asset_id=pk, kind=kind, due_on=due_on, reason=reason)
        for pk in new)
    # Each asset of the area now has this inspection planned by due_on at the latest.
    Asset.objects.filter(pk__in=area.values("pk")).filter(
        Q(next_due__isnull=True) | Q(next_due__gt=due_on)).update(next_due=due_on)
    count = later + len(new)
    record("assets.inspections_planned", actor=actor, target=cadastre,
           data={"kind": kind, "due_on": due_on.isoformat(), "reason": reason, "count": count})
    return count


# --- Work orders ------------------------------------------------------------------------

@guarded_by(may_keep_cadastre)
@transaction.atomic
def create_work_order(*, actor, cadastre: Cadastre, asset: Asset | None, team: Team,
                      title: str, deadline: date, description: str = "",
                      risk: int = Risk.NONE) -> WorkOrder:
    if not title.strip():
        raise InvalidAsset(_("Please give the work order a title."))
    order = WorkOrder.objects.create(
        asset=asset, team=team, title=title, description=description, deadline=deadline,
        risk=risk, source=WorkOrder.Source.STAFF, created_by=actor,
    )
    record("assets.work_order_created", actor=actor, target=order,
           data={"asset": asset.number if asset else None, "team": team.name})
    return order


@guarded_by(may_work_on_order)
@transaction.atomic
def finish_work_order(*, actor, work_order: WorkOrder, note: str, photo=None) -> WorkOrder:
    """Done, with a note and, where taken, a photo. An asset the order had closed opens
    again unless another open order closed it too."""
    order = WorkOrder.objects.select_for_update().get(pk=work_order.pk)
    if order.status == WorkOrder.Status.DONE:
        return order
    if not note.strip():
        raise InvalidAsset(_("Please say in a note what was done."))
    if photo is not None:
        store_photo(photo, work_order=order)
    order.status = WorkOrder.Status.DONE
    order.done_at = timezone.now()
    order.done_by = actor
    order.done_note = note
    order.save()
    record("assets.work_order_done", actor=actor, target=order, data={"note": note})
    asset = order.asset
    if order.closes_asset and asset is not None:
        asset = Asset.objects.select_for_update().get(pk=asset.pk)
        still_closing = asset.work_orders.filter(
            closes_asset=True, status=WorkOrder.Status.OPEN).exists()
        if asset.status == Asset.Status.CLOSED and not still_closing:
            asset.status = Asset.Status.IN_SERVICE
            asset.version += 1
            asset.save()
            changes = {"status": [Asset.Status.CLOSED, Asset.Status.IN_SERVICE]}
            AssetRevision.objects.create(
                asset=asset, version=asset.version, changed_by=actor,
                reason=_("Work order %(number)s done") % {"number": order.pk}, changes=changes,
            )
            record("assets.asset_reopened", actor=actor, target=asset,
                   data={"work_order": order.pk})
    return order
