from .models import AccessLogEntry, AuditEntry


def access_log_for_citizen(*, citizen, limit: int = 200):
    """Who at the active authority opened this citizen's data, newest first."""
    return AccessLogEntry.objects.filter(citizen=citizen).select_related("staff")[:limit]


def recent_audit_entries(*, limit: int = 100):
    return AuditEntry.objects.order_by("-seq")[:limit]
