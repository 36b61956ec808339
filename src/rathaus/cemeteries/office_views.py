"""The Friedhofsverwaltung's pages (/verwaltung/friedhof/): the overview per cemetery,
the lists of rights and rest periods ending and of graves to clear, a field's plan, a
grave with its right of use and burials, and the bylaw's grave types.

Only members of the department keeping the cemetery cadastre see them; for everyone
else the pages are not found (404), as the cadastres' pages do. Writes go through
services.py and letters.py, which ask the rules themselves."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rathaus.accounts.access import staff_required
from rathaus.accounts.models import User
from rathaus.accounts.permissions import allows
from rathaus.assets.models import Asset, Cadastre
from rathaus.audit.services import record_access
from rathaus.notices.formats import datum, euro

from . import letters, selectors, services
from .kinds import CEMETERY, FIELD
from .models import Grave, GraveKind, GraveType, RightOfUse
from .office_forms import ConsentForm, ExtendForm, GrantForm, GraveTypeForm
from .office_plan import field_plan_svg, field_table_rows, grave_href, legend_swatch, letter_of
from .permissions import may_manage
from .rules import Refused, extension_fee

MONTHS = 12  # the lists look a year ahead


# --- Looking things up: what the person may not see is not found -----------------------

def _cadastre(request) -> Cadastre:
    cadastre = selectors.cemetery_cadastre()
    if cadastre is None or not allows(may_manage, request.user, cadastre=cadastre):
        raise Http404
    return cadastre


def _place(request, asset_id: int, kind: str) -> tuple[Cadastre, Asset]:
    cadastre = _cadastre(request)
    asset = Asset.objects.filter(pk=asset_id, cadastre=cadastre, kind=kind).first()
    if asset is None:
        raise Http404
    return cadastre, asset


def _grave(request, grave_id: int) -> tuple[Cadastre, Grave]:
    cadastre = _cadastre(request)
    grave = (Grave.objects.select_related("asset", "grave_type", "field", "cemetery")
             .filter(pk=grave_id, cemetery__cadastre=cadastre).first())
    if grave is None:
        raise Http404
    return cadastre, grave


def _page_number(request) -> int:
    value = request.GET.get("page", "")
    return int(value) if value.isdigit() and len(value) < 6 else 1


def _labels() -> dict:
    return {"kind_labels": dict(GraveKind.choices), "state_labels": dict(Grave.State.choices)}


def _log_holders(request, holders: list, what: str) -> None:
    """Holders with an account see in their access log that staff opened their data."""
    for holder, target in holders:
        if holder is not None and holder.acts_in_portal:
            record_access(staff=request.user, citizen=holder, what=what, target=target)


def _log_listed_holders(request, rows: list[dict]) -> None:
    """The list names holders: those with an account see it in their access log."""
    ids = {row["holder_id"] for row in rows if row["holder_id"]}
    if not ids:
        return
    rights = {row["holder_id"]: row["pk"] for row in rows if row["holder_id"]}
    for holder in User.objects.filter(pk__in=ids):
        right = RightOfUse(pk=rights[holder.pk])
        _log_holders(request, [(holder, right)], _("List of rights of use ending"))


# --- Overview and lists ---------------------------------------------------------------

@staff_required
@require_safe
def overview(request):
    cadastre = _cadastre(request)
    today = timezone.localdate()
    free = selectors.free_graves_by_type(cadastre=cadastre)
    cemeteries = [{"cemetery": cemetery, "fields": selectors.fields_of(cemetery),
                   "free": [(label, free.get(cemetery.pk, {}).get(kind, 0))
                            for kind, label in GraveKind.choices]}
                  for cemetery in selectors.cemeteries_of(cadastre)]
    return render(request, "cemeteries/office_overview.html", {
        "cadastre": cadastre, "cemeteries": cemeteries, "today": today, "here": "overview",
        "rights_ending": selectors.count_rights_ending(actor=request.user, cadastre=cadastre,
                                                       today=today, months=MONTHS),
        "rest_ending": selectors.count_rest_periods_ending(
            actor=request.user, cadastre=cadastre, today=today, months=MONTHS),
        "to_clear": selectors.count_graves_to_clear(actor=request.user, cadastre=cadastre,
                                                    today=today),
    })


@staff_required
@require_safe
def rights_ending(request):
    cadastre = _cadastre(request)
    today = timezone.localdate()
    page = selectors.rights_ending(actor=request.user, cadastre=cadastre, today=today,
                                   months=MONTHS, page=_page_number(request))
    _log_listed_holders(request, page.rows)
    return render(request, "cemeteries/office_rights_ending.html", {
        "cadastre": cadastre, "page": page, "today": today, "here": "rights", **_labels(),
        "letter_until": selectors.letter_horizon(cadastre=cadastre, today=today)})


@staff_required
@require_POST
def write_letters(request):
    cadastre = _cadastre(request)
    written = letters.write_letters(actor=request.user, cadastre=cadastre)
    if written:
        messages.success(request, ngettext("%(n)s letter was written.",
                                           "%(n)s letters were written.", written)
                         % {"n": written})
    else:
        messages.info(request, _("No letter was due: every holder whose right ends soon "
                                 "has been written to."))
    return redirect("cemetery_office:rights_ending")


@staff_required
@require_safe
def rest_ending(request):
    cadastre = _cadastre(request)
    today = timezone.localdate()
    page = selectors.rest_periods_ending(actor=request.user, cadastre=cadastre, today=today,
                                         months=MONTHS, page=_page_number(request))
    return render(request, "cemeteries/office_rest_ending.html", {
        "cadastre": cadastre, "page": page, "today": today, "here": "rest", **_labels()})


@staff_required
@require_safe
def to_clear(request):
    cadastre = _cadastre(request)
    page = selectors.graves_to_clear(actor=request.user, cadastre=cadastre,
                                     today=timezone.localdate(), page=_page_number(request))
    return render(request, "cemeteries/office_to_clear.html", {
        "cadastre": cadastre, "page": page, "here": "clear", **_labels()})


@staff_required
@require_POST
def mark_cleared(request, grave_id):
    _cadastre_, grave = _grave(request, grave_id)
    try:
        services.mark_cleared(actor=request.user, grave=grave)
    except services.InvalidGrave as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The grave %(number)s is cleared and free again.")
                         % {"number": grave.asset.number})
    if request.POST.get("next") == "grave":
        return redirect("cemetery_office:grave", grave_id=grave.pk)
    return redirect("cemetery_office:to_clear")


# --- A field's plan -------------------------------------------------------------------

@staff_required
@require_safe
def field_plan(request, field_id):
    _cadastre_, field = _place(request, field_id, FIELD)
    rows = selectors.field_plan(field=field)
    for row in rows:
        row["href"] = grave_href(row["asset_id"])
    labels = _labels()
    title = _("Plan of the field %(field)s") % {"field": field.name or field.number}
    counts = {state: 0 for state in Grave.State.values}
    for row in rows:
        counts[row["state"]] = counts.get(row["state"], 0) + 1
    legend = [{"state": value, "label": label, "letter": letter_of(str(label)),
               "swatch": legend_swatch(value), "count": counts.get(value, 0)}
              for value, label in Grave.State.choices]
    return render(request, "cemeteries/office_field.html", {
        "field": field, "cemetery": field.parent, "rows": rows, "title": title,
        "plan": field_plan_svg(rows, state_labels=labels["state_labels"],
                               kind_labels=labels["kind_labels"], title=title),
        "table_rows": field_table_rows(rows, state_labels=labels["state_labels"],
                                       kind_labels=labels["kind_labels"]),
        "legend": legend, **labels})


# --- A grave --------------------------------------------------------------------------

def _grave_page(request, cadastre, grave, *, extend_form=None, consent_form=None,
                grant_form=None, status=200):
    detail = selectors.grave_detail(actor=request.user, grave=grave)
    right = detail.right
    _log_holders(request, [(r.holder, r) for r in detail.rights if r.holder_id],
                 _("Grave %(number)s") % {"number": grave.asset.number})
    grave_type = grave.grave_type
    return render(request, "cemeteries/office_grave.html", {
        "grave": grave, "detail": detail, "right": right, "grave_type": grave_type,
        "today": timezone.localdate(), **_labels(),
        "extend_form": extend_form or ExtendForm(initial={
            "years": grave_type.extension_min_years or 1}),
        "fee_per_year": grave_type.extension_fee_per_year,
        "consent_form": consent_form or ConsentForm(initial={
            "consent_grave_search": right.consent_grave_search if right else False,
            "consent_during_rest": right.consent_during_rest if right else False}),
        "grant_form": grant_form or GrantForm(initial={"starts_on": timezone.localdate()}),
        "may_grant": grave.state == Grave.State.FREE and grave_type.has_right_of_use,
        "may_clear": grave.state not in (Grave.State.FREE, Grave.State.CLOSED)
        and right is None,
    }, status=status)


@staff_required
@require_safe
def grave(request, grave_id):
    cadastre, grave = _grave(request, grave_id)
    return _grave_page(request, cadastre, grave)


@staff_required
@require_POST
def extend(request, grave_id):
    cadastre, grave = _grave(request, grave_id)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        return _grave_page(request, cadastre, grave, extend_form=form, status=400)
    years = form.cleaned_data["years"]
    try:
        extension = services.extend_right(actor=request.user, grave=grave, years=years)
    except (Refused, services.InvalidGrave) as refused:
        form.add_error("years", refused.message)
        return _grave_page(request, cadastre, grave, extend_form=form, status=400)
    messages.success(request, _(
        "The right of use was extended by %(years)s years until %(end)s; the fee is "
        "%(fee)s.") % {"years": years, "end": datum(extension.ends_on),
                       "fee": euro(extension.fee)})
    return redirect("cemetery_office:grave", grave_id=grave.pk)


@staff_required
@require_POST
def consent(request, grave_id):
    cadastre, grave = _grave(request, grave_id)
    form = ConsentForm(request.POST)
    if not form.is_valid():  # pragma: no cover  (two check boxes are always valid)
        return _grave_page(request, cadastre, grave, consent_form=form, status=400)
    try:
        services.set_consent(actor=request.user, grave=grave, **form.cleaned_data)
    except services.InvalidGrave as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The holder's consent to the grave search was saved."))
    return redirect("cemetery_office:grave", grave_id=grave.pk)


@staff_required
@require_POST
def grant(request, grave_id):
    cadastre, grave = _grave(request, grave_id)
    form = GrantForm(request.POST)
    if not form.is_valid():
        return _grave_page(request, cadastre, grave, grant_form=form, status=400)
    data = form.cleaned_data
    try:
        right = services.grant_right(
            actor=request.user, grave=grave, holder=form.holder(), starts_on=data["starts_on"],
            consent_grave_search=data["consent_grave_search"],
            consent_during_rest=data["consent_during_rest"])
    except services.InvalidGrave as refused:
        form.add_error(None, refused.message)
        return _grave_page(request, cadastre, grave, grant_form=form, status=400)
    messages.success(request, _("The right of use %(number)s was granted until %(end)s.")
                     % {"number": right.number, "end": datum(right.ends_on)})
    return redirect("cemetery_office:grave", grave_id=grave.pk)


# --- The bylaw ------------------------------------------------------------------------

@staff_required
@require_safe
def bylaw(request, cemetery_id):
    _cadastre_, cemetery = _place(request, cemetery_id, CEMETERY)
    types = {t.kind: t for t in selectors.grave_types_of(cemetery)}
    return render(request, "cemeteries/office_bylaw.html", {
        "cemetery": cemetery,
        "types": [{"kind": kind, "label": label, "type": types.get(kind),
                   "fee_example": extension_fee(types[kind], 1) if kind in types else None}
                  for kind, label in GraveKind.choices]})


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def grave_type(request, cemetery_id, kind):
    cadastre, cemetery = _place(request, cemetery_id, CEMETERY)
    if kind not in GraveKind.values:
        raise Http404
    existing = GraveType.objects.filter(cemetery=cemetery, kind=kind).first()
    form = GraveTypeForm(request.POST if request.method == "POST" else None,
                         initial=GraveTypeForm.initial_of(existing))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_grave_type(actor=request.user, cadastre=cadastre,
                                         cemetery=cemetery, kind=kind, values=form.values())
            except services.InvalidGrave as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The values of the grave type %(type)s were "
                                            "saved.") % {"type": GraveKind(kind).label})
                return redirect("cemetery_office:bylaw", cemetery_id=cemetery.pk)
        status = 400
    return render(request, "cemeteries/office_grave_type.html", {
        "cemetery": cemetery, "kind": kind, "label": GraveKind(kind).label, "form": form,
        "existing": existing}, status=status)
