from collections.abc import Callable

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    """Shown instead of the login form while an account is locked after failed logins."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


def left_to_axes(account: Callable) -> Callable:
    """For `rate_limited(exempt=...)` on a login: a request that django-axes already
    refuses (the account or the address is locked out) goes on to axes uncounted, so
    axes answers and records it exactly as it would without the rate limit, and the
    page says how long the lock-out really lasts."""
    def locked_out(request, *args, **kwargs) -> bool:
        username = (account(request, *args, **kwargs) or "").lower()
        return not AxesProxyHandler.is_allowed(request, {"username": username})
    return locked_out
