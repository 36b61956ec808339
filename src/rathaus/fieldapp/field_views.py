"""The field app for inspectors (/verwaltung/kontrolle/): the route of due
inspections, the inspection form, the conflicts waiting for their inspector, and what
makes the app installable and usable offline (manifest, service worker, icons).

Pages work without JavaScript; field.js adds the offline queue (docs/decisions/0039).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from rathaus.accounts.access import staff_required
from rathaus.assets import selectors
from rathaus.assets.kinds import AssetKind, kind_of
from rathaus.assets.models import Asset, Inspection, Risk
from rathaus.assets.photos import UploadRejected
from rathaus.assets.services import (
    InvalidAsset,
    NotAConflict,
    Recorded,
    decide_conflict,
    record_inspection,
)
from rathaus.installable_app import InstallableApp

from .field_forms import InspectionForm, new_client_id

# The route shows what falls due within this many days, overdue first.
ROUTE_DAYS = 7
ROUTE_LIMIT = 300


@dataclass(frozen=True)
class AssetFacts:
    """What an inspector needs to recognise an asset: what it is and where."""

    what: str
    where: str
    part: str = ""


def _kind_types(kind: AssetKind) -> dict:
    return {key: str(label) for key, label in kind.types()}


def asset_facts(asset: Asset, types: dict | None = None) -> AssetFacts:
    kind = kind_of(asset.kind)
    types = _kind_types(kind) if types is None else types
    what = types.get(asset.type, asset.type) or asset.name or str(kind.label)
    street = asset.attributes.get("street") or ""
    where = (asset.parent.name or asset.parent.number) if asset.parent_id else street
    part = ""
    part_attribute = kind.attribute("en1176_part")
    if part_attribute is not None:
        part = dict(part_attribute.choices).get(asset.attributes.get("en1176_part"), "")
    return AssetFacts(what=str(what), where=str(where), part=str(part))


def _asset_or_404(request, asset_id: int) -> Asset:
    kept = selectors.cadastres_kept_by(request.user)
    return get_object_or_404(
        Asset.objects.select_related("cadastre", "parent")
        .exclude(status=Asset.Status.REMOVED),
        pk=asset_id, cadastre__in=kept)


def _route_map(rows: list[dict], until: date) -> dict | None:
    """The maps helper's staff points of the cadastre with most of the route (the map
    include is one per page), once that URL exists."""
    counts = {}
    for row in rows:
        counts[row["asset"].cadastre] = counts.get(row["asset"].cadastre, 0) + 1
    if not counts:
        return None
    cadastre = max(counts, key=counts.get)
    try:
        url = reverse("maps:staff_points", kwargs={"cadastre": cadastre.name})
    except NoReverseMatch:
        return None
    return {"url": f"{url}?due={until.isoformat()}",
            "label": _("Map of the due inspections")}


@staff_required
@require_GET
def route(request):
    today = timezone.localdate()
    until = today + timedelta(days=ROUTE_DAYS)
    cadastres = selectors.cadastres_kept_by(request.user)
    due = selectors.due_inspections(cadastres, until=until).select_related(
        "asset__parent", "asset__cadastre")
    types = {}
    rows = []
    for planned in due[:ROUTE_LIMIT + 1]:
        asset = planned.asset
        kind = kind_of(asset.kind)
        if asset.kind not in types:
            types[asset.kind] = _kind_types(kind)
        inspection_kind = kind.inspection_kind(planned.kind)
        rows.append({
            "asset": asset,
            "facts": asset_facts(asset, types[asset.kind]),
            "kind_label": inspection_kind.label if inspection_kind else planned.kind,
            "due_on": planned.due_on,
            "overdue": planned.due_on < today,
            "closed": asset.status == Asset.Status.CLOSED,
            "url": reverse("field:inspect", args=[asset.pk]) + f"?kind={planned.kind}",
        })
    more = len(rows) > ROUTE_LIMIT
    return render(request, "fieldapp/field_route.html", {
        "rows": rows[:ROUTE_LIMIT],
        "more": more,
        "until": until,
        "cadastres": cadastres,
        "map": _route_map(rows, until),
        "conflicts": selectors.pending_conflicts(request.user).count(),
    })


def _record(request, asset: Asset, form: InspectionForm) -> Recorded:
    data = form.cleaned_data
    return record_inspection(
        actor=request.user, asset=asset, client_id=data["client_id"], kind=data["kind"],
        inspected_at=data["inspected_at"], seen_version=data["seen_version"],
        condition=data.get("condition") or "", notes=data.get("notes") or "",
        values=data["values"], findings=data["findings"], photos=data["photos"])


def record_from_form(request, asset: Asset, form: InspectionForm) -> Recorded | None:
    """Store the valid form's inspection; a refusal of the core (a photo, a value) goes
    onto the form and gives None."""
    try:
        return _record(request, asset, form)
    except UploadRejected as error:
        form.add_error("photos", str(error))
    except InvalidAsset as error:
        form.add_error(None, str(error))
    return None


def _success_message(request, asset: Asset, recorded: Recorded) -> None:
    if not recorded.created:
        messages.info(request, _("This inspection of %(number)s had already been "
                                 "received.") % {"number": asset.number})
        return
    text = _("Inspection of %(number)s saved.") % {"number": asset.number}
    if recorded.work_orders:
        text += " " + ngettext("%(count)d work order created.",
                               "%(count)d work orders created.",
                               len(recorded.work_orders)) % {"count": len(recorded.work_orders)}
    if any(order.closes_asset for order in recorded.work_orders):
        text += " " + _("The asset is closed until the work is done.")
    messages.success(request, text)


@staff_required
@require_http_methods(["GET", "POST"])
def inspect(request, asset_id: int):
    asset = _asset_or_404(request, asset_id)
    kind = kind_of(asset.kind)
    if not kind.inspected:
        raise Http404
    wanted = request.GET.get("kind", "")
    due_kind = wanted if kind.inspection_kind(wanted) else ""
    if request.method == "POST":
        form = InspectionForm(request.POST, request.FILES, kind=kind, due_kind=due_kind)
        if form.is_valid():
            recorded = record_from_form(request, asset, form)
            if recorded is not None:
                if recorded.conflict:
                    messages.warning(request, _(
                        "Someone else inspected or changed %(number)s after you opened "
                        "the form. Please decide whether your inspection counts.")
                        % {"number": asset.number})
                    return redirect("field:conflicts")
                _success_message(request, asset, recorded)
                return redirect("field:route")
    else:
        form = InspectionForm(kind=kind, due_kind=due_kind, initial={
            "client_id": new_client_id(), "seen_version": asset.version})
    photos_lost = request.method == "POST" and bool(request.FILES.getlist("photos"))
    return render(request, "fieldapp/field_inspect.html", {
        "asset": asset,
        "asset_kind": kind,
        "facts": asset_facts(asset),
        "form": form,
        "photos_lost": photos_lost,
        "very_high": Risk.VERY_HIGH,
    }, status=400 if request.method == "POST" else 200)


def _readable(kind: AssetKind, name: str, value) -> str:
    if value in (None, ""):
        return "–"
    if name == "status":
        return str(dict(Asset.Status.choices).get(value, value))
    if name == "attributes.condition":
        return str(dict(kind.conditions).get(value, value))
    attribute = kind.attribute(name.removeprefix("attributes."))
    if attribute is not None and attribute.choices:
        return str(dict(attribute.choices).get(value, value))
    return str(value)


def _field_label(kind: AssetKind, name: str) -> str:
    labels = {"status": _("Status"), "next_due": _("Next inspection"),
              "attributes.condition": _("Condition")}
    if name in labels:
        return labels[name]
    attribute = kind.attribute(name.removeprefix("attributes."))
    return str(attribute.label) if attribute is not None else name


def _came_first(inspection: Inspection, kind: AssetKind) -> list[dict]:
    """The changes and inspections of others since the version its inspector saw, with
    their changes in words."""
    return [{"revision": revision,
             "changes": [{"label": _field_label(kind, name),
                          "before": _readable(kind, name, before),
                          "after": _readable(kind, name, after)}
                         for name, (before, after) in revision.changes.items()
                         if name != "created"]}
            for revision in selectors.history(inspection.asset)
            if revision.version > inspection.seen_version
            and revision.changed_by_id != inspection.inspector_id]


@staff_required
@require_http_methods(["GET", "POST"])
def conflicts(request):
    pending = selectors.pending_conflicts(request.user).prefetch_related("findings")
    if request.method == "POST":
        chosen = request.POST.get("inspection", "")
        decision = request.POST.get("decision", "")
        inspection = pending.filter(pk=int(chosen)).first() if chosen.isdigit() else None
        if inspection is None or decision not in ("keep", "discard"):
            messages.error(request, _("This inspection no longer waits for a decision."))
            return redirect("field:conflicts")
        try:
            decide_conflict(actor=request.user, asset=inspection.asset,
                            inspection=inspection, keep=decision == "keep")
        except NotAConflict:
            messages.error(request, _("This inspection no longer waits for a decision."))
            return redirect("field:conflicts")
        if decision == "keep":
            messages.success(request, _("Your inspection of %(number)s counts now.")
                             % {"number": inspection.asset.number})
        else:
            messages.success(request, _("Your inspection of %(number)s was discarded; it "
                                        "stays in the history.")
                             % {"number": inspection.asset.number})
        return redirect("field:conflicts")
    items = []
    for inspection in pending:
        kind = kind_of(inspection.asset.kind)
        inspection_kind = kind.inspection_kind(inspection.kind)
        items.append({
            "inspection": inspection,
            "kind_label": inspection_kind.label if inspection_kind else inspection.kind,
            "condition_label": dict(kind.conditions).get(inspection.condition,
                                                         inspection.condition),
            "first": _came_first(inspection, kind),
        })
    return render(request, "fieldapp/field_conflicts.html", {"items": items})


# --- Installable and offline ------------------------------------------------------------

def _draw_clipboard(draw, unit: float) -> None:
    # A clipboard with a tick: the inspection.
    draw.rounded_rectangle((4 * unit, 3 * unit, 12 * unit, 13.5 * unit), radius=unit,
                           fill=(255, 255, 255))
    draw.rectangle((6 * unit, 2.2 * unit, 10 * unit, 4 * unit), fill=(230, 230, 230))
    draw.line([(5.8 * unit, 8.6 * unit), (7.4 * unit, 10.2 * unit),
               (10.4 * unit, 6.4 * unit)], fill=(11, 91, 72), width=max(2, int(unit)))


FIELD_APP = InstallableApp(name="Rathaus Kontrolle", short_name="Kontrolle",
                           colour=(11, 91, 72), draw=_draw_clipboard,
                           worker_script="rathaus/field-sw.js", config_name="FIELD_CONFIG")


@require_GET
def manifest(request):
    return FIELD_APP.manifest_response(
        start_url=reverse("field:route"),
        icon_urls={192: reverse("field:icon_small"), 512: reverse("field:icon_large")})


@never_cache
@require_GET
def service_worker(request):
    """The service worker, served from the app's folder so that its scope covers the
    app; the static files it needs by their (hashed, in production) names."""
    return FIELD_APP.worker_response(scope=reverse("field:route"), config={
        "storeScript": static("rathaus/offline-store.js"),
        "queueScript": static("rathaus/field-queue.js"),
        "syncUrl": reverse("field:sync"),
        "scope": reverse("field:route"),
    })


@require_GET
def icon_small(request):
    return FIELD_APP.icon_response(192)


@require_GET
def icon_large(request):
    return FIELD_APP.icon_response(512)
