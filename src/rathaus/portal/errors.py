"""Error pages in the portal's style; never a stack trace."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.shortcuts import render

from rathaus.request_limits import too_large


def bad_request(request, exception=None):
    # Django raises these while it reads the body; they deserve their own words.
    if isinstance(exception, TooManyFilesSent):
        return render(request, "errors/400_too_many_files.html",
                      {"limit": settings.RATHAUS_UPLOAD_MAX_FILES}, status=400)
    if isinstance(exception, RequestDataTooBig):
        return too_large(request, exception)
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)


def csrf_failure(request, reason=""):
    return render(request, "errors/403_csrf.html", status=403)
