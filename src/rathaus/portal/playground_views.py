"""The public pages of the playground cadastre: every playground as a list (with the
map above it where the map is available) and one page per playground with its
equipment. Only what `playgrounds.kinds` publishes; never cached, so a piece closed a
moment ago shows as closed at once."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from rathaus.playgrounds.selectors import public_playground, public_playgrounds

CADASTRE = "playgrounds"


def _points_url() -> str:
    """The public map's points of the cadastre (maps helper), or "" without a map."""
    try:
        return reverse("maps:points", args=[CADASTRE])
    except NoReverseMatch:
        return ""


@require_safe
@never_cache
def playground_list(request):
    return render(request, "portal/playground_list.html", {
        "playgrounds": public_playgrounds(), "points_url": _points_url(),
    })


@require_safe
@never_cache
def playground_detail(request, number):
    playground = public_playground(number)
    if playground is None:
        raise Http404
    report_url = "/schaden-melden/?" + urlencode({"kataster": CADASTRE, "objekt": number})
    return render(request, "portal/playground_detail.html", {
        "playground": playground, "report_url": report_url,
    })
