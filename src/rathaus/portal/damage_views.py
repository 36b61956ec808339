"""Schaden melden: the form, and the status page that the reporter's link opens.

No account: the link's token is the only way back to a report, so the status page
keeps it out of caches and out of the Referer of any link it carries."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from rathaus.assets import reports
from rathaus.rate_limits.decorators import ALL_METHODS, rate_limited

from .damage_forms import DamageReportForm


def _uncached(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["Cache-Control"] = "private, no-store"
    return response


def _private(response: HttpResponse) -> HttpResponse:
    """A page whose URL carries the token: not cached, not named in any Referer. (Not
    for the form: a form page without a referrer posts with `Origin: null`, which the
    CSRF check refuses.)"""
    response = _uncached(response)
    response["Referrer-Policy"] = "no-referrer"
    return response


def _points_url(cadastre: str | None) -> str | None:
    """The public map's points of the cadastre (portal/map_urls.py), when it has any."""
    if not cadastre:
        return None
    try:
        return reverse("maps:points", args=[cadastre])
    except NoReverseMatch:
        return None


def _chosen(request, cadastres) -> tuple[str | None, object]:
    """The cadastre and asset that a link of a tree or playground page names
    (?kataster=trees&objekt=<number>), or the posted ones."""
    source = request.POST if request.method == "POST" else request.GET
    names = {name for name, _label in cadastres}
    cadastre = source.get("cadastre") or source.get("kataster")
    if cadastre not in names:
        cadastre = cadastres[0][0] if len(cadastres) == 1 else None
    number = (source.get("asset_number") or source.get("objekt") or "").strip()[:40]
    asset = reports.reportable_asset(cadastre_name=cadastre, number=number) if (
        cadastre and number) else None
    return cadastre, asset


@require_http_methods(["GET", "POST"])
@rate_limited("damage_report")
def report(request):
    cadastres = reports.reportable_cadastres()
    if not cadastres:
        return _uncached(render(request, "portal/damage_unavailable.html", status=404))
    cadastre, asset = _chosen(request, cadastres)
    if request.method == "POST":
        form = DamageReportForm(request.POST, request.FILES, cadastres=cadastres)
        if form.is_valid():
            answer = _send(request, form)
            if answer is not None:
                return answer
    else:
        form = DamageReportForm(cadastres=cadastres, initial={
            "cadastre": cadastre, "asset_number": asset.number if asset else "",
            "submission": reports.new_submission_key()})
    return _uncached(render(request, "portal/damage_report.html", {
        "form": form, "asset": asset, "cadastre": cadastre,
        "points_url": _points_url(cadastre or cadastres[0][0]) if asset is None else None,
        # A browser does not send a chosen file again with the corrected form.
        "choose_photo_again": bool(form.errors and request.FILES.get("photo")
                                   and "photo" not in form.errors),
    }, status=400 if form.errors else 200))


def _send(request, form) -> HttpResponse | None:
    data = form.cleaned_data
    try:
        _report, token = reports.report_damage(
            cadastre_name=data["cadastre"], description=data["description"],
            lon=data.get("lon"), lat=data.get("lat"), address=data.get("address", ""),
            asset_number=data.get("asset_number", ""), photo=data.get("photo"),
            email=data.get("email", ""), danger=data.get("danger", False),
            submission_key=data.get("submission") or None,
            link_for=lambda token: request.build_absolute_uri(
                reverse("damage:status", args=[token])),
        )
    except reports.InvalidReport as error:
        form.add_refusal(error)
        return None
    return _private(redirect(reverse("damage:status", args=[token]) + "?gesendet=1"))


@require_http_methods(["GET"])
@rate_limited("lookup", methods=ALL_METHODS)
def status(request, token):
    found = reports.report_status(token)
    if found is None:
        return _private(render(request, "portal/damage_not_found.html", status=404))
    state = reports.status_of(found)
    return _private(render(request, "portal/damage_status.html", {
        "report": found, "state": state.state, "done_on": state.done_on,
        "cadastre_label": dict(reports.reportable_cadastres()).get(found.cadastre.name, ""),
        "just_sent": request.GET.get("gesendet") == "1",
        "status_url": request.build_absolute_uri(reverse("damage:status", args=[token])),
    }))
