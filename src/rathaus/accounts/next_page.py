"""Where a visitor goes after logging in or switching the language: the page the
request names (`next`), if it is one of this site's, else a fallback."""

from django.utils.http import url_has_allowed_host_and_scheme


def page_on_this_site(request, target: str, fallback: str) -> str:
    """`target` if it is a path on this host, else `fallback`. A path only: another
    host would make the login an open redirect, and Django's `redirect()` takes a bare
    word ("konto") for the name of a view and fails on it."""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, {request.get_host()}, request.is_secure()):
        return target
    return fallback
