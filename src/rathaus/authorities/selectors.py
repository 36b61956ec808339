from .models import Authority, AuthorityHost


def authority_for_host(host: str) -> Authority | None:
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
