"""The reading room as an installable web app that keeps a meeting's papers readable
offline (rathaus.installable_app; like the field app and the working time pages).

The member asks for it per meeting ("Für offline speichern", council/reading.js): the
service worker (council/reading-sw.js, scope /ratsinfo/mandat/) fetches the meeting's
list of addresses (reading_views.offline_list) and keeps each answer in its Cache
Storage. Online, pages always come from the network (and refresh what is kept);
offline, from what was kept.

Privacy: the kept pages hold non-public papers and the member's own notes, on the
member's own device. They are forgotten when the member logs out (reading.js clears the
store before the logout form is sent), and, should the session end another way (a
logout in another tab, an expired session, the membership ended), the first request
the worker sees online that is answered by the login page, the two-factor page or a
404 of the reading room's start page clears it too. The HTTP answers themselves stay
`private, no-store` (reading_access.py): the browser's HTTP cache keeps nothing; the
worker's Cache Storage is the one explicit store.
"""

from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from rathaus.installable_app import InstallableApp

CACHE_PREFIX = "rathaus-council-reading-"
CACHE = CACHE_PREFIX + "v1"


def _draw_papers(draw, unit: float) -> None:
    """Two sheets of paper, the front one with lines of text."""
    white, ink = (255, 255, 255), (17, 94, 89)
    draw.rectangle((5 * unit, 2.5 * unit, 13 * unit, 12.5 * unit), fill=(204, 231, 228))
    draw.rectangle((3 * unit, 4 * unit, 11 * unit, 14 * unit), fill=white)
    width = max(1, int(unit * 0.6))
    for row in (6.5, 8.5, 10.5):
        draw.line([(4.5 * unit, row * unit), (9.5 * unit, row * unit)], fill=ink, width=width)


READING_APP = InstallableApp(name="Ratsinfo Mandat", short_name="Mandat",
                             colour=(17, 94, 89), draw=_draw_papers,
                             worker_script="council/reading-sw.js",
                             config_name="READING_CONFIG")


@require_GET
def manifest(request):
    return READING_APP.manifest_response(
        start_url=reverse("council_reading:home"),
        icon_urls={192: reverse("council_reading:icon_small"),
                   512: reverse("council_reading:icon_large")})


@never_cache
@require_GET
def service_worker(request):
    scope = reverse("council_reading:home")
    return READING_APP.worker_response(scope=scope, config={
        "storeScript": static("rathaus/offline-store.js"),
        "scope": scope,
        "cache": CACHE,
        "cachePrefix": CACHE_PREFIX,
        "loginUrl": reverse("accounts:login"),
        "notSaved": _("Offline – this page was not saved for offline reading. Open a "
                      "meeting while online and choose “Save for offline”."),
    })


@require_GET
def icon_small(request):
    return READING_APP.icon_response(192)


@require_GET
def icon_large(request):
    return READING_APP.icon_response(512)
