"""Absolute links into an authority's portal, for e-mails and messages sent from
background work where there is no request to build them from."""

from django.conf import settings

from .selectors import portal_host
from .tenancy import current_authority


def portal_url(path: str, authority=None) -> str:
    authority = authority or current_authority()
    host = portal_host(authority) or "127.0.0.1"
    return settings.RATHAUS_PUBLIC_URL.format(host=host).rstrip("/") + path
