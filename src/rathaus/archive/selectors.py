"""Reading the Aussonderung: which files are due, the processes, the deletion records."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from rathaus.records.models import CaseFile

from .models import DeletionRecord, Message, OfferedFile, Process


def retention_due(*, today: datetime.date | None = None) -> QuerySet[CaseFile]:
    """Closed files whose retention has ended, not under a legal hold, not disposed and
    not in a running process: the files a records manager offers or destroys."""
    today = today or timezone.localdate()
    running = OfferedFile.objects.filter(state__in=OfferedFile.RUNNING).values("case_file")
    return (CaseFile.objects
            .filter(closed_at__isnull=False, retention_until__lt=today, legal_hold="",
                    disposal__isnull=True)
            .exclude(pk__in=running)
            .select_related("plan_entry", "department")
            .order_by("retention_until", "aktenzeichen"))


def under_legal_hold() -> QuerySet[CaseFile]:
    return (CaseFile.objects.exclude(legal_hold="").select_related("plan_entry")
            .order_by("aktenzeichen"))


def processes() -> QuerySet[Process]:
    return Process.objects.annotate(
        file_count=Count("files"),
        open_count=Count("files", filter=Q(files__state__in=OfferedFile.RUNNING)),
    )


def files_of(process: Process) -> QuerySet[OfferedFile]:
    return (OfferedFile.objects.filter(process=process)
            .select_related("case_file", "case_file__plan_entry")
            .order_by("case_file__aktenzeichen"))


def messages_of(process: Process) -> QuerySet[Message]:
    return Message.objects.filter(process=process).order_by("created_at", "pk")


def latest_message(process: Process, code: str) -> Message | None:
    return messages_of(process).filter(code=code).last()


def deletion_records() -> QuerySet[DeletionRecord]:
    return DeletionRecord.objects.order_by("-deleted_at", "-pk")


def is_disposed(case_file: CaseFile) -> bool:
    return CaseFile.objects.filter(pk=case_file.pk, disposal__isnull=False).exists()
