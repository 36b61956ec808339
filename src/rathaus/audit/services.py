"""Writing the audit trail. Call these inside the transaction of the change they record."""

from django.db import models, transaction
from django.utils import timezone

from rathaus.authorities.tenancy import current_authority

from .chain import entry_hash
from .models import AccessLogEntry, AuditChain, AuditEntry


def _describe(actor) -> str:
    if actor is None:
        return "system"
    return f"{actor.full_name} <{actor.email}>"


def record(
    action: str,
    *,
    actor=None,
    target: models.Model | None = None,
    data: dict | None = None,
) -> AuditEntry:
    """Append an entry to the active authority's audit chain.

    Joins the caller's transaction, so the entry exists exactly when the change does.
    """
    authority = current_authority()
    with transaction.atomic():
        # Serialises appenders on PostgreSQL; SQLite's IMMEDIATE transactions already do.
        # One query for the head and its lock; only an authority's first entry creates it.
        chain = AuditChain.objects.select_for_update().filter(authority=authority).first()
        if chain is None:
            chain, _ = AuditChain.objects.get_or_create(authority=authority)
            chain = AuditChain.objects.select_for_update().get(pk=chain.pk)
        entry = AuditEntry(
            authority=authority,
            seq=chain.last_seq + 1,
            created_at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=_describe(actor),
            action=action,
            object_type=target._meta.label_lower if target is not None else "",
            object_id=str(target.pk) if target is not None else "",
            data=data or {},
            prev_hash=chain.last_hash,
        )
        entry.hash = entry_hash(entry, chain.last_hash)
        entry.save()
        AuditChain.objects.filter(pk=chain.pk).update(last_seq=entry.seq, last_hash=entry.hash)
    return entry


def record_access(*, staff, citizen, what: str, target: models.Model | None = None):
    """Log that a staff member opened a citizen's data."""
    return AccessLogEntry.objects.create(
        staff=staff,
        citizen=citizen,
        what=what,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
    )
