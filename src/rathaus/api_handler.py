"""A short middleware stack for the machine interfaces (ADR 0013).

The OGC API, the CKAN Action API, the DCAT-AP.de documents and OParl are public, read-only
and answered in JSON or RDF. They need the security headers and the authority of the
host, but no session, login, second factor, CSRF token, messages, language switch,
or lock-out checks: together those cost about as much as answering a single OGC
item. So a request for such a path that does not ask
for HTML is handled by a second Django handler whose middleware is only
`API_MIDDLEWARE`; everything else, the HTML pages of the same paths included, takes
the full stack of `settings.MIDDLEWARE`.
"""

from urllib.parse import parse_qs

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

API_PREFIXES = ("/ogc/", "/api/3/action/", "/api/action/", "/catalog.", "/dataset/", "/oparl/")
API_MIDDLEWARE = [
    # Counted and traced like every page (docs/operations.md, "Health, metrics and logs").
    "rathaus.operations.request_ids.RequestIdMiddleware",
    "rathaus.operations.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "rathaus.authorities.middleware.AuthorityMiddleware",
    # The same headers as every page, for the error pages these paths may still give.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "rathaus.api_handler.SitePolicyMiddleware",
]


def is_api_request(environ) -> bool:
    """A machine interface path, not asking for an HTML page (`f=html` or a browser's
    Accept header, as the views themselves decide)."""
    if not environ.get("PATH_INFO", "").startswith(API_PREFIXES):
        return False
    formats = parse_qs(environ.get("QUERY_STRING", "")).get("f")
    if formats:
        return formats[-1] != "html"
    return "text/html" not in environ.get("HTTP_ACCEPT", "")


class SitePolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the site's policy built once.

    The machine interfaces' answers use no nonce and no policy of their own, so their
    header is always the site's policy (settings.CONTENT_SECURITY_POLICY); django-csp
    builds it anew for every answer, which cost a sixth of a selective OGC query. An
    answer that does carry a nonce or a policy of its own still goes through
    django-csp as it is."""

    _built: tuple[object, str] | None = None  # (the settings it was built from, header)

    def process_response(self, request, response):
        if _own_policy(request, response):
            return super().process_response(request, response)
        if HEADER not in response:
            response[HEADER] = self._site_policy()
        return response

    def _site_policy(self) -> str:
        source = settings.CONTENT_SECURITY_POLICY
        if self._built is None or self._built[0] is not source:  # settings changed (tests)
            self._built = (source, build_policy())
        return self._built[1]


def _own_policy(request, response) -> bool:
    return (getattr(request, "_csp_nonce", None) is not None
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) is not None
            or (settings.CONTENT_SECURITY_POLICY or {}).get("EXCLUDE_URL_PREFIXES")
            or any(hasattr(response, f"_csp_{part}{ro}") for part in
                   ("config", "update", "replace", "exempt") for ro in ("", "_ro")))


class ApiHandler(WSGIHandler):
    """Django's handler, built with `API_MIDDLEWARE` instead of `settings.MIDDLEWARE`."""

    def load_middleware(self, is_async=False):
        # Django reads the list from the settings only here, once, when the handler is
        # made (at start-up, before any request); it is put back at once.
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = API_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


class Dispatcher:
    """The WSGI application: API requests to the short stack, the rest to the full."""

    def __init__(self, full, api):
        self.full, self.api = full, api

    def __call__(self, environ, start_response):
        handler = self.api if is_api_request(environ) else self.full
        return handler(environ, start_response)
