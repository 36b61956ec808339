from .models import AccessLogEntry, AuditEntry


def access_log_for_citizen(*, citizen, limit: int = 200):
    """Who opened this citizen's data, newest first. Across authorities on purpose: the
    account serves every authority, and the citizen may see all of their own log."""
    return (
        AccessLogEntry.all_authorities.filter(citizen=citizen)
        .select_related("staff", "authority")[:limit]
    )


def access_entry_of_citizen(*, citizen, entry_id: int):
    """One entry of the citizen's own access log, with its audit entry; None if it is
    not theirs."""
    return (AccessLogEntry.all_authorities.filter(citizen=citizen, pk=entry_id)
            .select_related("audit_entry").first())


def recent_audit_entries(*, limit: int = 100):
    return AuditEntry.objects.order_by("-seq")[:limit]
