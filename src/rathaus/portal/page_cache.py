"""Short-lived caching of public pages for visitors who are not logged in.

The home page is the most visited page and is the same for every anonymous visitor of
an authority in one language. Only requests without session or message cookies are
served from the cache, so nothing personal is ever cached or shared.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.translation import get_language

from rathaus.catalog.models import Service

PAGE_SECONDS = 60
_VERSION_KEY = "rathaus:pages:{authority}"


@receiver([post_save, post_delete], sender=Service)
def _services_changed(sender, instance, **kwargs):
    # A new version makes this process's cached pages stale at once; other processes
    # (each with its own memory cache) follow within PAGE_SECONDS.
    cache.set(_VERSION_KEY.format(authority=instance.authority_id), time.time_ns(), None)


def _personal(request) -> bool:
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies


def cache_for_anonymous(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or _personal(request):
            return view(request, *args, **kwargs)
        version_key = _VERSION_KEY.format(authority=request.authority.pk)
        version = cache.get_or_set(version_key, time.time_ns, None)
        # Hashed: the query string is the visitor's, of any length and any characters,
        # and cache backends such as memcached refuse keys over 250 bytes or with controls.
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"rathaus:page:{request.authority.pk}:{version}:{get_language()}:{path}"
        cached = cache.get(key)
        if cached is not None:
            return HttpResponse(cached, content_type="text/html; charset=utf-8")
        response = view(request, *args, **kwargs)
        # A response that sets cookies (e.g. a CSRF token) is personal; never cache it.
        if response.status_code == 200 and not response.cookies:
            cache.set(key, response.content, PAGE_SECONDS)
        return response

    return wrapper
