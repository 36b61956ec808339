"""The cadastres' pages for staff (/verwaltung/kataster/): the overview of the
cadastres a person keeps, the assets, an asset with its inspections, work orders and
history, the due list with the plan of the next weeks, extra inspections for an area,
work orders and their photos.

Anything of a cadastre the person does not keep is not found (404), so another
department's assets are never revealed. Writes go through rathaus.assets.services."""

import csv
from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rathaus.accounts.access import staff_required
from rathaus.accounts.permissions import NotPermitted, allows
from rathaus.assets import selectors, services
from rathaus.assets.kinds import KINDS, AssetKind, kinds_of_cadastre
from rathaus.assets.models import Asset, Cadastre, Photo, WorkOrder
from rathaus.assets.permissions import may_keep_cadastre, may_work_on_order
from rathaus.assets.photos import UploadRejected
from rathaus.records.errors import ContentIntegrityError
from rathaus.records.responses import stored_content_response

from .office_forms import (
    AssetChangeForm,
    AssetSearchForm,
    DueForm,
    FinishForm,
    PlanExtraForm,
    WorkOrderForm,
)

PAGE_SIZE = 50
DUE_DAYS = 28  # the due list's default: four weeks ahead
PLAN_WEEKS = 8


# --- Looking things up: what the person may not see is not found -----------------------

def _kept(request, name: str) -> Cadastre:
    cadastre = Cadastre.objects.filter(name=name).first()
    if cadastre is None or not allows(may_keep_cadastre, request.user, cadastre=cadastre):
        raise Http404
    return cadastre


def _asset(request, asset_id: int) -> Asset:
    asset = Asset.objects.select_related("cadastre", "parent").filter(pk=asset_id).first()
    if asset is None or not allows(may_keep_cadastre, request.user, cadastre=asset.cadastre):
        raise Http404
    return asset


def _order(request, order_id: int) -> WorkOrder:
    order = (WorkOrder.objects.select_related("asset__cadastre", "team", "done_by")
             .filter(pk=order_id).first())
    if order is None or not allows(may_work_on_order, request.user, work_order=order):
        raise Http404
    return order


def _kind(name: str) -> AssetKind | None:
    """The registered kind, or None for a kind no installed app registers (yet)."""
    return KINDS.get(name)


def _kinds_of(cadastre: Cadastre) -> list[AssetKind]:
    return kinds_of_cadastre(cadastre.name)


def _cadastre_label(cadastre: Cadastre) -> str:
    kinds = _kinds_of(cadastre)
    # The cadastre is named after its first (main) kind: trees, playgrounds.
    return str(kinds[0].label_plural) if kinds else cadastre.name


def _page_number(value: str) -> int:
    # A page number typed by hand or cut off: the first page rather than an error.
    return int(value) if value.isdigit() and len(value) < 6 else 1


def _page(rows, request, *, count=None):
    paginator = Paginator(rows, PAGE_SIZE)
    if count is not None:
        paginator.count = count  # counted once already by the caller
    return paginator.get_page(_page_number(request.GET.get("page", "")))


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _url_or_empty(name: str, *args) -> str:
    """A URL of another helper's page, or "" while it does not exist yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# --- Overview -------------------------------------------------------------------------

@staff_required
@require_safe
def overview(request):
    today = timezone.localdate()
    cadastres = [
        {"cadastre": c, "label": _cadastre_label(c),
         "figures": selectors.cadastre_figures(c, today=today, soon_days=DUE_DAYS)}
        for c in selectors.cadastres_kept_by(request.user)]
    teams = selectors.teams_of(request.user)
    if not cadastres and not teams:
        raise Http404
    return render(request, "fieldapp/cadastre_overview.html", {
        "cadastres": cadastres, "teams": teams,
        "open_orders": selectors.open_work_orders(teams).count() if teams else 0,
        "field_url": "/verwaltung/kontrolle/",
        "import_url": "/verwaltung/kataster/import/",
    })


# --- Assets ---------------------------------------------------------------------------

@staff_required
@require_safe
def assets(request, cadastre):
    cadastre = _kept(request, cadastre)
    kinds = _kinds_of(cadastre)
    types = sorted({pair for kind in kinds for pair in kind.types()}, key=lambda p: str(p[1]))
    form = AssetSearchForm(request.GET or None, kinds=kinds, types=types)
    filters = {}
    status = 200
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            filters = {"text": data["q"], "kind": data["kind"], "type": data["type"],
                       "status": data["status"], "due_until": data["due_until"]}
        else:
            status = 400
    page = _page(selectors.find_assets(cadastre, **filters), request)
    return render(request, "fieldapp/cadastre_assets.html", {
        "cadastre": cadastre, "label": _cadastre_label(cadastre), "form": form,
        "page": page, "query": _query_without_page(request),
        "kind_labels": {kind.name: kind.label for kind in kinds},
        "points_url": _url_or_empty("maps:staff_points", cadastre.name),
    }, status=status)


@staff_required
@require_safe
def asset(request, asset_id):
    asset = _asset(request, asset_id)
    return _asset_page(request, asset)


def _asset_page(request, asset, *, change_form=None, order_form=None, status=200):
    kind = _kind(asset.kind)
    return render(request, "fieldapp/cadastre_asset.html", {
        "asset": asset, "kind": kind, "cadastre": asset.cadastre,
        "label": _cadastre_label(asset.cadastre),
        "attributes": _attribute_rows(asset, kind),
        "inspection_labels": {k.name: k.label for k in kind.inspection_kinds} if kind else {},
        "condition_labels": dict(kind.conditions) if kind else {},
        "change_form": change_form or AssetChangeForm(asset=asset, kind=kind),
        "order_form": order_form or _order_form(asset),
        "details": selectors.asset_details(asset),
        "inspect_url": f"/verwaltung/kontrolle/{asset.pk}/",
        "attribute_labels": _attribute_labels(kind),
        "value_labels": _value_labels(kind),
    }, status=status)


def _value_labels(kind) -> dict:
    """Words for the coded values a revision names: statuses and choices."""
    labels = {"status": dict(Asset.Status.choices)}
    for attribute in kind.attributes if kind else ():
        if attribute.type == "choice":
            labels[f"attributes.{attribute.name}"] = dict(attribute.choices)
    if kind and kind.conditions:
        labels.setdefault("attributes.condition", dict(kind.conditions))
    return labels


def _attribute_rows(asset, kind) -> list[tuple[str, object]]:
    if kind is None:
        return sorted(asset.attributes.items())
    rows = []
    for attribute in kind.attributes:
        value = asset.attributes.get(attribute.name)
        if attribute.type == "choice":
            value = dict(attribute.choices).get(value, value)
        elif attribute.type == "boolean" and value is not None:
            value = _("yes") if value else _("no")
        rows.append((attribute.label, value))
    return rows


def _attribute_labels(kind) -> dict:
    """Labels of the fields a revision names ("attributes.height" …)."""
    labels = {"name": _("Name"), "type": _("Asset type"), "lon": _("Longitude"),
              "lat": _("Latitude"), "status": _("Status"), "number": _("Number"),
              "outline": _("Outline"), "next_due": _("Next inspection"),
              "created": _("Created")}
    for attribute in kind.attributes if kind else ():
        labels[f"attributes.{attribute.name}"] = attribute.label
    if kind and kind.conditions and "attributes.condition" not in labels:
        labels["attributes.condition"] = _("Condition")
    return labels


def _order_form(asset, data=None):
    return WorkOrderForm(data, teams=selectors.teams_for_cadastre(asset.cadastre),
                         initial={"deadline": timezone.localdate() + timedelta(days=30)})


@staff_required
@require_POST
def change_asset(request, asset_id):
    asset = _asset(request, asset_id)
    form = AssetChangeForm(request.POST, asset=asset, kind=_kind(asset.kind))
    if not form.is_valid():
        return _asset_page(request, asset, change_form=form, status=400)
    try:
        services.change_asset(actor=request.user, cadastre=asset.cadastre, asset=asset,
                              changes=form.changes(), reason=form.cleaned_data["reason"],
                              seen_version=form.cleaned_data["seen_version"])
    except services.Conflict:
        messages.error(request, _("Someone else changed this asset in the meantime. "
                                  "Please look at the changes and enter yours again."))
        return redirect("cadastre:asset", asset_id=asset.pk)
    except services.InvalidAsset as invalid:
        form.add_error(None, str(invalid))
        return _asset_page(request, asset, change_form=form, status=400)
    messages.success(request, _("The asset was changed."))
    return redirect("cadastre:asset", asset_id=asset.pk)


@staff_required
@require_POST
def create_work_order(request, asset_id):
    asset = _asset(request, asset_id)
    form = _order_form(asset, request.POST)
    if not form.is_valid():
        return _asset_page(request, asset, order_form=form, status=400)
    data = form.cleaned_data
    try:
        order = services.create_work_order(
            actor=request.user, cadastre=asset.cadastre, asset=asset,
            team=form.teams[data["team"]], title=data["title"],
            description=data["description"], deadline=data["deadline"], risk=data["risk"])
    except services.InvalidAsset as invalid:
        form.add_error(None, str(invalid))
        return _asset_page(request, asset, order_form=form, status=400)
    messages.success(request, _("The work order was created."))
    return redirect("cadastre:work_order", order_id=order.pk)


# --- Due list and plan ----------------------------------------------------------------

def _due_rows(request, cadastre):
    form = DueForm(request.GET or None)
    today = timezone.localdate()
    until = today + timedelta(days=DUE_DAYS)
    if form.is_bound and form.is_valid() and form.cleaned_data["until"]:
        until = form.cleaned_data["until"]
    return form, today, until, selectors.due_list([cadastre], until=until)


def _inspection_labels(cadastre) -> dict:
    return {k.name: k.label for kind in _kinds_of(cadastre) for k in kind.inspection_kinds}


@staff_required
@require_safe
def due(request, cadastre):
    cadastre = _kept(request, cadastre)
    form, today, until, rows = _due_rows(request, cadastre)
    count, plan = selectors.due_figures([cadastre], today=today, until=until,
                                        weeks=PLAN_WEEKS)
    page = _page(rows, request, count=count)
    return render(request, "fieldapp/cadastre_due.html", {
        "cadastre": cadastre, "label": _cadastre_label(cadastre), "form": form,
        "today": today, "until": until, "page": page, "query": _query_without_page(request),
        "inspection_labels": _inspection_labels(cadastre),
        "kind_labels": {kind.name: kind.label for kind in _kinds_of(cadastre)},
        "plan": plan,
    }, status=400 if form.is_bound and not form.is_valid() else 200)


class _Echo:
    def write(self, value):
        return value


@staff_required
@require_safe
def due_csv(request, cadastre):
    """The due list as CSV (semicolons, as German spreadsheets read it), streamed."""
    cadastre = _kept(request, cadastre)
    _form, today, until, rows = _due_rows(request, cadastre)
    labels = _inspection_labels(cadastre)
    writer = csv.writer(_Echo(), delimiter=";")

    def lines():
        yield "\ufeff"  # so spreadsheets read the umlauts as UTF-8
        yield writer.writerow([_("Due on"), _("Overdue"), _("Number"), _("Name"),
                               _("Kind of inspection"), _("Reason"), _("Street"),
                               _("Longitude"), _("Latitude")])
        for row in rows.iterator(chunk_size=2000):
            asset = row.asset
            yield writer.writerow([
                row.due_on.isoformat(), _("yes") if row.due_on < today else "",
                asset.number, asset.name, str(labels.get(row.kind, row.kind)), row.reason,
                asset.attributes.get("street", ""), asset.lon, asset.lat])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="faellig-{cadastre.name}-{until.isoformat()}.csv"')
    response["Cache-Control"] = "private, no-store"
    return response


# --- Extra inspections for an area ----------------------------------------------------

def _extra_kinds(cadastre) -> list[tuple[str, str]]:
    """The inspection kinds planned by hand (after a storm) of the cadastre's kinds."""
    found = {}
    for kind in _kinds_of(cadastre):
        for inspection_kind in kind.inspection_kinds:
            if not inspection_kind.regular:
                found.setdefault(inspection_kind.name, inspection_kind.label)
    return list(found.items())


def _plan_form(cadastre, data=None):
    return PlanExtraForm(data, kinds=_extra_kinds(cadastre),
                         streets=selectors.streets_of(cadastre))


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_extra(request, cadastre):
    cadastre = _kept(request, cadastre)
    if request.method != "POST":
        return _plan_page(request, cadastre, _plan_form(cadastre))
    form = _plan_form(cadastre, request.POST)
    if not form.is_valid():
        return _plan_page(request, cadastre, form, status=400)
    data = form.cleaned_data
    kinds = [kind.name for kind in _kinds_of(cadastre)
             if kind.inspection_kind(data["kind"]) is not None]
    base = Asset.objects.filter(cadastre=cadastre, kind__in=kinds)
    parts = []
    if data["area"]:
        parts.append(selectors.in_area(base, **data["area"]))
    if data["streets"]:
        on_streets = selectors.assets_on_streets(cadastre, data["streets"])
        parts.append(base.filter(pk__in=on_streets.values("pk")))
    chosen = parts[0] if len(parts) == 1 else parts[0] | parts[1]
    try:
        count = services.plan_inspections(
            actor=request.user, cadastre=cadastre, assets=chosen, kind=data["kind"],
            due_on=data["due_on"], reason=data["reason"])
    except services.InvalidAsset as invalid:
        form.add_error(None, str(invalid))
        return _plan_page(request, cadastre, form, status=400)
    messages.success(request, ngettext(
        "%(count)s inspection was planned.", "%(count)s inspections were planned.", count)
        % {"count": count})
    return redirect("cadastre:due", cadastre=cadastre.name)


def _plan_page(request, cadastre, form, status=200):
    return render(request, "fieldapp/cadastre_plan_extra.html", {
        "cadastre": cadastre, "label": _cadastre_label(cadastre), "form": form,
        "points_url": _url_or_empty("maps:staff_points", cadastre.name),
    }, status=status)


# --- Work orders ----------------------------------------------------------------------

@staff_required
@require_safe
def work_orders(request):
    teams = selectors.teams_of(request.user)
    if not teams:
        raise Http404
    chosen = teams
    team_id = request.GET.get("team", "")
    if team_id.isdigit():
        chosen = [team for team in teams if team.pk == int(team_id)] or teams
    today = timezone.localdate()
    page = _page(selectors.open_work_orders(chosen), request)
    return render(request, "fieldapp/cadastre_work_orders.html", {
        "teams": teams, "team_id": int(team_id) if team_id.isdigit() else None,
        "page": page, "today": today, "query": _query_without_page(request),
    })


@staff_required
@require_safe
def work_order(request, order_id):
    order = _order(request, order_id)
    return _order_page(request, order, FinishForm())


def _report_of(order):
    """The citizen's report behind the order, when there is one (the reverse
    one-to-one raises an AttributeError without one)."""
    return getattr(order, "report", None)


def _order_page(request, order, form, status=200):
    finding = getattr(order, "finding", None)
    asset = order.asset
    return render(request, "fieldapp/cadastre_work_order.html", {
        "order": order, "asset": asset, "form": form, "finding": finding,
        "report": _report_of(order), "today": timezone.localdate(),
        "asset_visible": asset is not None and allows(
            may_keep_cadastre, request.user, cadastre=asset.cadastre),
        "photos": list(order.photos.order_by("created_at", "pk")),
    }, status=status)


@staff_required
@require_POST
def finish_work_order(request, order_id):
    order = _order(request, order_id)
    form = FinishForm(request.POST, request.FILES)
    if not form.is_valid():
        return _order_page(request, order, form, status=400)
    try:
        services.finish_work_order(actor=request.user, work_order=order,
                                   note=form.cleaned_data["note"],
                                   photo=form.cleaned_data["photo"])
    except UploadRejected as rejected:
        form.add_error("photo", str(rejected))
        return _order_page(request, order, form, status=400)
    except services.InvalidAsset as invalid:
        form.add_error(None, str(invalid))
        return _order_page(request, order, form, status=400)
    messages.success(request, _("The work order is done."))
    return redirect("cadastre:work_order", order_id=order.pk)


# --- Photos ---------------------------------------------------------------------------

def _may_see_photo(user, photo: Photo) -> bool:
    if photo.inspection_id is not None:
        asset = photo.inspection.asset
        return allows(may_keep_cadastre, user, cadastre=asset.cadastre)
    if photo.work_order_id is not None:
        return allows(may_work_on_order, user, work_order=photo.work_order)
    from rathaus.assets.models import DamageReport

    report = DamageReport.objects.filter(photo=photo).select_related("work_order").first()
    return report is not None and allows(may_work_on_order, user,
                                         work_order=report.work_order)


@staff_required
@require_safe
def photo(request, photo_id):
    """The photo, its hash checked before the first byte, for staff who may see its
    inspection's asset or its work order; not found for everyone else."""
    found = (Photo.objects.select_related("inspection__asset__cadastre", "work_order__team",
                                          "work_order__asset__cadastre")
             .filter(pk=photo_id).first())
    try:
        if found is None or not _may_see_photo(request.user, found):
            raise Http404
    except NotPermitted:
        raise Http404 from None
    extension = "png" if found.media_type == "image/png" else "jpg"
    try:
        return stored_content_response(
            storage_name=found.blob_name, sha256=found.sha256, media_type=found.media_type,
            filename=f"foto-{found.pk}.{extension}", as_attachment=False)
    except ContentIntegrityError as damaged:
        raise Http404 from damaged
