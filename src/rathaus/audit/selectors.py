from .models import AccessLogEntry, AuditEntry


def access_log_for_citizen(*, citizen, limit: int = 200):
    """Who opened this citizen's data, newest first. Across authorities on purpose: the
    account serves every authority, and the citizen may see all of their own log."""
    return (
        AccessLogEntry.all_authorities.filter(citizen=citizen)
        .select_related("staff", "authority")[:limit]
    )


def recent_audit_entries(*, limit: int = 100):
    return AuditEntry.objects.order_by("-seq")[:limit]
