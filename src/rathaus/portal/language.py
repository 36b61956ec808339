"""Switching the page language with a plain link.

A link, not a form: anonymous pages then carry no CSRF token, so they can be cached,
and choosing a language is a harmless, repeatable preference, not a change of data.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect

from rathaus.accounts.next_page import page_on_this_site


def switch_language(request, code: str):
    if code not in dict(settings.LANGUAGES):
        raise Http404
    response = redirect(page_on_this_site(request, request.GET.get("next", "/"), "/"))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
