"""How much one request may bring (OWASP ASVS 12.1, issue 11).

`RequestSizeMiddleware` answers a request whose announced length is larger than a page
takes with the German 413 page, before anything of the body is read: at most
RATHAUS_UPLOAD_MAX_TOTAL_MB of files plus DATA_UPLOAD_MAX_MEMORY_SIZE for the other
fields, or RATHAUS_OPENDATA_MAX_UPLOAD_MB (plus the same) for a view marked with
`allows_large_upload`. It sits before CsrfViewMiddleware, which reads the body. Without
a Content-Length Django reads no body at all, so the announced length is the limit.
"""

from django.conf import settings
from django.shortcuts import render


def allows_large_upload(view):
    """Marks a view that takes files up to RATHAUS_OPENDATA_MAX_UPLOAD_MB (the open data
    upload), streamed to disk."""
    view.allows_large_upload = True
    return view


def request_limit(view) -> int:
    files = (settings.RATHAUS_OPENDATA_MAX_UPLOAD_BYTES
             if getattr(view, "allows_large_upload", False)
             else settings.RATHAUS_UPLOAD_MAX_TOTAL_BYTES)
    return files + (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)


def too_large(request, exception=None):
    return render(request, "errors/413.html", status=413)


class RequestSizeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > request_limit(view):
            return too_large(request)
        return None
