"""The worker reads an item: text recognition outside any transaction (it takes
seconds), then the result written in one short transaction with its audit entry.
An item whose tools are missing waits, and is queued again once they are there.
An Office document is not recognised but read by the eAkte's text extraction."""

import logging

from django.db import transaction
from django.utils import timezone

from rathaus.accounts.permissions import unguarded_module
from rathaus.audit.services import record
from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context, current_authority
from rathaus.records.blobs import store_blob

from .items import apply_suggestion, queue_reading
from .models import IncomingItem
from .office_text import office_text
from .recognition import Recognition, RecognitionFailed, ToolMissing, missing_packages, recognise
from .selectors import original_content, waiting_for_a_package

unguarded_module(__name__, "the worker's reading of incoming mail, for no person")

logger = logging.getLogger(__name__)
S = IncomingItem.Status


def read(*, item_id) -> None:
    """Recognise the item's text, if it still waits for it (a task run twice, or after
    a crash, finds it done and does nothing)."""
    item = IncomingItem.objects.filter(pk=item_id, status=S.WAITING).first()
    if item is None:
        return
    read_text = office_text if item.is_office else recognise
    try:
        result = read_text(original_content(item), media_type=item.media_type)
    except ToolMissing as missing:
        _update(item, waiting_for_package=missing.package)
    except RecognitionFailed as failed:
        _fail(item, failed.code, failed.params)
    except Exception:
        # Staff see the item as failed and may try again; the task's error is kept too.
        _fail(item, "interrupted", {})
        raise
    else:
        _recognised(item, result)


@transaction.atomic
def _recognised(item: IncomingItem, result: Recognition) -> None:
    item = _locked_waiting(item)
    if item is None:
        return
    sha256 = None
    if result.pdfa is not None:
        storage_name, sha256 = store_blob(result.pdfa, authority_slug=current_authority().slug)
        item.pdfa_storage_name, item.pdfa_sha256, item.pdfa_size = (
            storage_name, sha256, len(result.pdfa))
    item.recognised_text, item.text_source = result.text, result.source
    item.recognised_at = timezone.now()
    item.status, item.waiting_for_package = S.READY, ""
    item.failure_code, item.failure_params = "", {}
    apply_suggestion(item)
    item.save()
    record("intake.item_recognised", target=item,
           data={"pdfa_sha256": sha256, "text_source": result.source,
                 "suggestion": item.suggestion,
                 "aktenzeichen": item.suggested_case_file.aktenzeichen
                 if item.suggested_case_file else None})


@transaction.atomic
def _fail(item: IncomingItem, code: str, params: dict) -> None:
    item = _locked_waiting(item)
    if item is None:
        return
    item.status, item.waiting_for_package = S.FAILED, ""
    item.failure_code, item.failure_params = code, params
    item.save(update_fields=["status", "waiting_for_package", "failure_code",
                             "failure_params"])
    record("intake.recognition_failed", target=item, data={"reason": code})


@transaction.atomic
def _update(item: IncomingItem, *, waiting_for_package: str) -> None:
    item = _locked_waiting(item)
    if item is not None and item.waiting_for_package != waiting_for_package:
        item.waiting_for_package = waiting_for_package
        item.save(update_fields=["waiting_for_package"])


def _locked_waiting(item: IncomingItem) -> IncomingItem | None:
    return IncomingItem.objects.select_for_update().filter(pk=item.pk, status=S.WAITING).first()


def retry_waiting_for_packages() -> int:
    """Queue again the active authority's items that wait for a missing package, once
    every package is there; returns how many. The intake page and the worker's hourly
    housekeeping call it."""
    if missing_packages():
        return 0
    queued = 0
    with transaction.atomic():
        for item in waiting_for_a_package().select_for_update():
            item.waiting_for_package = ""
            item.save(update_fields=["waiting_for_package"])
            queue_reading(item)
            queued += 1
    return queued


def retry_waiting_everywhere() -> int:
    """`retry_waiting_for_packages` for every authority."""
    if missing_packages():
        return 0
    queued = 0
    for authority in Authority.objects.all():
        with authority_context(authority):
            queued += retry_waiting_for_packages()
    return queued
