"""Reading incoming mail."""

from django.db.models import Q, QuerySet

from rathaus.records.blobs import read_blob
from rathaus.records.permissions import readable_department_ids

from .models import IncomingItem

S = IncomingItem.Status


def items_for(actor, *, open_only: bool = True) -> QuerySet[IncomingItem]:
    """The items `actor` may see (their departments', or all for records managers),
    newest first; attachments follow their e-mail's rules like any item."""
    items = IncomingItem.objects.select_related("department", "suggested_case_file")
    departments = readable_department_ids(actor)
    if departments is not None:
        items = items.filter(department_id__in=departments)
    if open_only:
        items = items.exclude(status__in=[S.FILED, S.DISCARDED])
    return items.order_by("-received_at", "pk")


def recently_done(actor, *, limit: int = 20) -> QuerySet[IncomingItem]:
    return items_for(actor, open_only=False).filter(
        status__in=[S.FILED, S.DISCARDED]).order_by("-done_at")[:limit]


def waiting_for_a_package() -> QuerySet[IncomingItem]:
    return IncomingItem.objects.filter(status=S.WAITING).exclude(waiting_for_package="")


def original_content(item: IncomingItem) -> bytes:
    return read_blob(item.storage_name, sha256=item.sha256)


def pdfa_content(item: IncomingItem) -> bytes:
    return read_blob(item.pdfa_storage_name, sha256=item.pdfa_sha256)


def stored_blob_names() -> set[str]:
    """Every authority's blobs that items point to (for the records' blob sweep)."""
    names = set()
    for original, pdfa in IncomingItem.all_authorities.filter(
            ~Q(storage_name="") | ~Q(pdfa_storage_name="")).values_list(
            "storage_name", "pdfa_storage_name").iterator():
        names.update(name for name in (original, pdfa) if name)
    return names
