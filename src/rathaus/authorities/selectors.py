import time

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Authority, AuthorityHost

# Host names change rarely and every request needs them: each process remembers the
# answer briefly. Saves in this process clear it at once, other processes within the TTL.
_HOST_CACHE_SECONDS = 30
_host_cache: dict[str, tuple[float, Authority | None]] = {}
_portal_host_cache: dict[int, tuple[float, str | None]] = {}


@receiver([post_save, post_delete], sender=Authority)
@receiver([post_save, post_delete], sender=AuthorityHost)
def forget_hosts(**kwargs):
    _host_cache.clear()
    _portal_host_cache.clear()


def portal_host(authority: Authority) -> str | None:
    """The first host name of the authority, for links in messages and e-mails."""
    now = time.monotonic()
    cached = _portal_host_cache.get(authority.pk)
    if cached is not None and now - cached[0] < _HOST_CACHE_SECONDS:
        return cached[1]
    host = authority.hosts.order_by("pk").values_list("host", flat=True).first()
    _portal_host_cache[authority.pk] = (now, host)
    return host


def authority_for_host(host: str) -> Authority | None:
    now = time.monotonic()
    cached = _host_cache.get(host)
    if cached is not None and now - cached[0] < _HOST_CACHE_SECONDS:
        return cached[1]
    authority = _lookup(host)
    if len(_host_cache) > 1000:  # bounded: Host headers come from the outside
        _host_cache.clear()
    _host_cache[host] = (now, authority)
    return authority


def _lookup(host: str) -> Authority | None:
    """The authority served under `host`: the one owning the host name, else the
    default authority, else the only one there is."""
    host = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    host = host.lower().rstrip(".")
    match = AuthorityHost.objects.select_related("authority").filter(host=host).first()
    if match:
        return match.authority
    default = Authority.objects.filter(is_default=True).first()
    if default:
        return default
    only = list(Authority.objects.all()[:2])
    return only[0] if len(only) == 1 else None
