"""The history of the file plan: one `FilePlanRevision` per addition or change of an
entry, holding the entry's values after it. Called inside the services that change
the plan (records.services, records.file_plan), in their transaction."""

from django.db.models import Max

from .models import FilePlanEntry, FilePlanRevision


def revision_values(entry: FilePlanEntry) -> dict:
    """The entry as a revision keeps it: codes and ids, so a later renamed parent or
    department does not rewrite what was recorded."""
    return {
        "code": entry.code,
        "title": entry.title,
        "parent": entry.parent.code if entry.parent_id else None,
        "department": entry.department_id,
        "retention_years": entry.retention_years,
        "disposal": entry.disposal,
        "reference_pattern": entry.reference_pattern,
    }


def write_revision(entry: FilePlanEntry, *, actor=None, reason: str = "") -> FilePlanRevision:
    """The entry's next revision. The caller holds a lock on the entry (or has just
    created it), so two changes cannot take the same number."""
    last = entry.revisions.aggregate(last=Max("number"))["last"] or 0
    return FilePlanRevision.objects.create(
        entry=entry, number=last + 1, values=revision_values(entry), reason=reason,
        changed_by=actor if getattr(actor, "pk", None) else None,
    )
