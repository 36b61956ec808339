"""The client's address, also behind reverse proxies: for the rate limits and the login
lock-out (django-axes calls it through AXES_CLIENT_IP_CALLABLE)."""

from django.conf import settings


def client_address(request) -> str | None:
    """REMOTE_ADDR, or behind RATHAUS_PROXY_COUNT trusted proxies the address the first
    of them saw in X-Forwarded-For (counted from the right, where proxies append)."""
    proxies = settings.RATHAUS_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                 if a.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
