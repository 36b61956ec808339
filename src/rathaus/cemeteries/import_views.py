"""The cemetery plan import pages (/verwaltung/friedhof/import/): upload a plan for a
cemetery, see what it would do, confirm once, see the result. Only who keeps the
cemetery cadastre gets them; for anyone else they do not exist (404), as the other
cadastre pages.

The previewed import is kept in the uploader's session until it is confirmed (the file
itself in the document store): it is theirs alone, and it runs in the request, so no
one else needs to see it."""

import secrets

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rathaus.accounts.access import staff_required
from rathaus.accounts.permissions import NotPermitted, allows
from rathaus.assets.models import Cadastre
from rathaus.records.errors import ContentIntegrityError

from . import importing
from .import_files import UTM32, WGS84
from .models import GraveKind
from .permissions import may_manage

SESSION_KEY = "cemetery_imports"
KEPT = 5  # previews kept per session; an older one has to be uploaded again

CRS_CHOICES = (
    ("", gettext_lazy("automatic (from the file)")),
    (UTM32, gettext_lazy("EPSG:25832 (ETRS89 / UTM 32N)")),
    (WGS84, gettext_lazy("EPSG:4326 (WGS 84)")),
)


class PlanImportForm(forms.Form):
    cemetery = forms.TypedChoiceField(
        label=gettext_lazy("Cemetery"), coerce=int,
        error_messages={"required": gettext_lazy("Please choose a cemetery."),
                        "invalid_choice": gettext_lazy("Please choose a cemetery.")})
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("CSV (separated by ; or ,) with points, or GeoJSON with "
                               "points or polygons; at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={
            "accept": ".csv,.txt,.geojson,.json,text/csv,application/geo+json"}),
        error_messages={"required": gettext_lazy("Please choose a file."),
                        "empty": gettext_lazy("The file is empty.")},
    )
    crs = forms.ChoiceField(
        label=gettext_lazy("Coordinate reference system"), choices=CRS_CHOICES,
        required=False, initial="", widget=forms.RadioSelect,
        help_text=gettext_lazy("Automatic reads it from the GeoJSON; a CSV with columns x "
                               "and y is taken as EPSG:25832, with lon and lat as WGS 84."),
        error_messages={"invalid_choice": gettext_lazy("Please choose one of the systems.")},
    )

    def __init__(self, *args, cemeteries, **kwargs):
        super().__init__(*args, **kwargs)
        self.cemeteries = {c.pk: c for c in cemeteries}
        choices = [(c.pk, f"{c.name} ({c.number})") for c in cemeteries]
        self.fields["cemetery"].choices = choices
        if len(choices) == 1:
            self.fields["cemetery"].initial = choices[0][0]


def _kept(request) -> Cadastre:
    cadastre = importing.cemeteries_cadastre()
    if cadastre is None or not allows(may_manage, request.user, cadastre=cadastre):
        raise Http404
    return cadastre


def _imports(request) -> dict:
    return request.session.get(SESSION_KEY) or {}


def _import(request, item_id: int) -> dict:
    found = _imports(request).get(str(item_id))
    if found is None:
        raise Http404
    return found


def _keep(request, item_id: int, item: dict) -> None:
    kept = _imports(request)
    kept[str(item_id)] = item
    # The newest few only: a session is no archive.
    for old in sorted(kept, key=lambda key: kept[key].get("order", 0))[:-KEPT]:
        del kept[old]
    request.session[SESSION_KEY] = kept


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request):
    cadastre = _kept(request)
    form = PlanImportForm(request.POST or None, request.FILES or None,
                          cemeteries=importing.cemeteries(cadastre))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                previewed = importing.preview_import(
                    actor=request.user, cadastre=cadastre,
                    cemetery=form.cemeteries[form.cleaned_data["cemetery"]],
                    file=form.cleaned_data["file"], crs=form.cleaned_data["crs"])
            except importing.FileRefused as refused:
                form.add_error("file", str(refused))
            else:
                item_id = secrets.randbelow(2**31 - 1) + 1
                order = max((i.get("order", 0) for i in _imports(request).values()),
                            default=0) + 1
                _keep(request, item_id, {**previewed, "state": "previewed", "order": order})
                return redirect("cemetery_import:preview", item_id=item_id)
        status = 400
    return render(request, "cemeteries/import.html", {
        "form": form, "kinds": GraveKind.choices,
        "max_area": f"{importing.MAX_GRAVE_AREA_M2:g}",
    }, status=status)


@staff_required
@require_safe
def preview(request, item_id: int):
    _kept(request)
    item = _import(request, item_id)
    if item["state"] != "previewed":
        return redirect("cemetery_import:result", item_id=item_id)
    return render(request, "cemeteries/import_preview.html", {
        "item": item, "item_id": item_id, "summary": item["summary"]})


@staff_required
@require_POST
def run(request, item_id: int):
    """Confirm: the import runs at once, all or nothing; a second confirmation changes
    nothing."""
    cadastre = _kept(request)
    item = _import(request, item_id)
    if item["state"] != "previewed":
        messages.info(request, _("This import has been confirmed already."))
        return redirect("cemetery_import:result", item_id=item_id)
    try:
        result = importing.run_import(actor=request.user, cadastre=cadastre, previewed=item)
    except importing.ImportRefused as refused:
        item = {**item, "state": "failed", "error": refused.message}
    except (importing.FileRefused, ContentIntegrityError):
        item = {**item, "state": "failed",
                "error": _("The uploaded file is missing or has changed.")}
    except NotPermitted:
        raise Http404 from None
    else:
        item = {**item, "state": "done", "result": result}
    _keep(request, item_id, item)
    return redirect("cemetery_import:result", item_id=item_id)


@staff_required
@require_safe
def result(request, item_id: int):
    _kept(request)
    item = _import(request, item_id)
    if item["state"] == "previewed":
        return redirect("cemetery_import:preview", item_id=item_id)
    return render(request, "cemeteries/import_result.html", {
        "item": item, "summary": item["summary"], "result": item.get("result", {}),
        "failed": item["state"] == "failed"})
