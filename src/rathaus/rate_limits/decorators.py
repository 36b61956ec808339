"""`rate_limited`: the one way a view is put under a named limit."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings

from .client_address import client_address
from .limiter import refusal_for
from .rates import configured
from .responses import too_many_requests_page

ALL_METHODS = None


def posted(field: str) -> Callable:
    """The account a form names in `field` (login, registration, password reset): an
    e-mail address, counted whatever its case and surrounding spaces."""
    def account(request, *args, **kwargs) -> str | None:
        return request.POST.get(field, "").strip().lower() or None
    return account


def from_url(name: str) -> Callable:
    """The account a URL names in its parameter `name` (a link from an e-mail)."""
    def account(request, *args, **kwargs) -> str | None:
        return kwargs.get(name)
    return account


def rate_limited(limit: str, *, account: Callable | None = None,
                 methods: tuple[str, ...] | None = ("POST",),
                 respond: Callable = too_many_requests_page,
                 exempt: Callable | None = None):
    """Counts the view's requests (those with one of `methods`; None: every request)
    against the named limit of settings.RATHAUS_RATE_LIMITS, per client address and, when
    `account(request, *args, **kwargs)` names one, per account. A request over a limit
    gets `respond(request, refusal)` (the German 429 page unless an interface has its
    own error format) with Retry-After, and the view is not called. A request for which
    `exempt(request, *args, **kwargs)` is true is neither counted nor refused (the
    logins leave requests that django-axes has locked out to axes)."""
    configured(limit)  # a misspelt name stops the start (the rates: system_checks.py)

    def decorator(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            if (settings.RATHAUS_RATE_LIMITS_ENABLED
                    and (methods is ALL_METHODS or request.method in methods)
                    and not (exempt and exempt(request, *args, **kwargs))):
                named = account(request, *args, **kwargs) if account else None
                refusal = refusal_for(limit, client=client_address(request), account=named)
                if refusal is not None:
                    response = respond(request, refusal)
                    response["Retry-After"] = str(refusal.retry_after)
                    return response
            return view(request, *args, **kwargs)
        limited.rate_limit = limit
        return limited
    return decorator
