"""A short middleware stack for the machine interfaces (ADR 0013).

The OGC API, the CKAN Action API and the DCAT-AP.de documents are public, read-only
and answered in JSON or RDF. They need the security headers and the authority of the
host, but no session, login, second factor, CSRF token, messages, language switch,
or lock-out checks: together those cost about as much as answering a single OGC
item. So a request for such a path that does not ask
for HTML is handled by a second Django handler whose middleware is only
`API_MIDDLEWARE`; everything else, the HTML pages of the same paths included, takes
the full stack of `settings.MIDDLEWARE`.
"""

from urllib.parse import parse_qs

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

API_PREFIXES = ("/ogc/", "/api/3/action/", "/api/action/", "/catalog.", "/dataset/")
API_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "rathaus.authorities.middleware.AuthorityMiddleware",
    # The same headers as every page, for the error pages these paths may still give.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
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
