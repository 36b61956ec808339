from dataclasses import dataclass
from datetime import datetime

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


@dataclass(frozen=True)
class AuditLogPage:
    """Entries newest first; `older` and `newer` are the sequence numbers to walk on
    from (None: there is nothing further that way)."""

    entries: list[AuditEntry]
    older: int | None
    newer: int | None


def audit_log_page(*, kind: str = "", since: datetime | None = None,
                   until: datetime | None = None, actor_id: int | None = None,
                   system_only: bool = False, before: int | None = None,
                   after: int | None = None, size: int = 50) -> AuditLogPage:
    """One page of the active authority's audit log, walked by sequence number (keyset)
    rather than by offset: a page costs a range of the index on (authority, seq)
    however long the chain has grown, and nothing counts the whole log. `kind` is the
    start of the action ("records." or "subject_access.requested"); `since` and
    `until` bound the time, `until` excluded; `before` gives the page older than that
    entry, `after` the page newer than it."""
    entries = AuditEntry.objects.select_related("actor")
    if kind:
        entries = entries.filter(action__startswith=kind)
    if since is not None:
        entries = entries.filter(created_at__gte=since)
    if until is not None:
        entries = entries.filter(created_at__lt=until)
    if system_only:
        entries = entries.filter(actor_id__isnull=True)
    elif actor_id is not None:
        entries = entries.filter(actor_id=actor_id)
    if after is not None:
        rows = list(entries.filter(seq__gt=after).order_by("seq")[:size + 1])
        newer_beyond = len(rows) > size
        rows = rows[:size][::-1]
        older_beyond = bool(rows) and entries.filter(seq__lt=rows[-1].seq).exists()
    else:
        start = entries if before is None else entries.filter(seq__lt=before)
        rows = list(start.order_by("-seq")[:size + 1])
        older_beyond = len(rows) > size
        rows = rows[:size]
        newer_beyond = (before is not None and bool(rows)
                        and entries.filter(seq__gt=rows[0].seq).exists())
    return AuditLogPage(entries=rows,
                        older=rows[-1].seq if older_beyond else None,
                        newer=rows[0].seq if newer_beyond else None)
