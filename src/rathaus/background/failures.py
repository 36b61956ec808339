"""Background work that failed, for the staff who can put the cause right (a missing
bylaw, a full disk, a mail server that was down) and then send it off again.

Every task of Rathaus is idempotent and its changes are one transaction, so a failed
attempt left nothing behind and the same row can simply go back to the queue. Only
tasks that name their authority are listed, each to that authority's staff only.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from rathaus.accounts.permissions import guarded_by, unguarded
from rathaus.audit.services import record

from . import permissions as rules

LIMIT = 200  # a page, not a report: more than this means something bigger is wrong

TASK_LABELS = {
    "rathaus.cases.tasks.issue_decision": _("Issue a decision (notice, mailbox)"),
    # A hand-over that cannot be believed is marked failed without failing its task;
    # the task fails only for a passing cause (the database went away), and a retry
    # opens it then.
    "rathaus.handover.tasks.receive_submission": _("Open a hand-over from another authority"),
    "rathaus.handover.tasks.receive_status": _("Open a status event of a hand-over"),
    "rathaus.opendata.publish.tasks.refresh_automatic_datasets":
        _("Refresh the automatic open data"),
    # A failed upload goes back to its staff, who upload or confirm it again on its
    # page; sending the task off again then finds nothing to do.
    "rathaus.opendata.publish.tasks.check_upload": _("Check an open data upload"),
    "rathaus.opendata.publish.tasks.publish_upload": _("Save an open data upload as a version"),
    # A document whose bytes no longer match the eAkte's hash stops the copy; once it is
    # restored, sending the task off again delivers it.
    "rathaus.subject_access.tasks.produce_copy":
        _("Produce a citizen's copy of their data (Art. 15 GDPR)"),
}


@dataclass(frozen=True)
class FailedTask:
    id: str
    label: str
    failed_at: datetime.datetime | None
    error: str  # the exception's class name: the traceback stays in the server log
    case_id: str


def _of_authority(authority):
    return DBTaskResult.objects.filter(status=TaskResultStatus.FAILED,
                                       args_kwargs__kwargs__authority_id=authority.pk)


@unguarded("reads only; the office shows it to those background.may_manage allows")
def failed_count(*, authority) -> int:
    return _of_authority(authority).count()


@unguarded("reads only; the office shows it to those background.may_manage allows")
def failed_tasks(*, authority) -> list[FailedTask]:
    rows = _of_authority(authority).order_by("-finished_at")[:LIMIT]
    return [
        FailedTask(
            id=str(row.pk),
            label=str(TASK_LABELS.get(row.task_path, row.task_path.rsplit(".", 1)[-1])),
            failed_at=row.finished_at,
            error=row.exception_class_path.rsplit(".", 1)[-1],
            case_id=str(row.args_kwargs.get("kwargs", {}).get("case_id", "")),
        )
        for row in rows
    ]


@guarded_by(rules.may_manage)
@transaction.atomic
def retry(*, task_id: str, authority, actor) -> bool:
    """Put a failed task of the authority back into the queue; False if there is none
    such (already retried by someone else, or not this authority's)."""
    row = _of_authority(authority).select_for_update().filter(pk=task_id).first()
    if row is None:
        return False
    DBTaskResult.objects.filter(pk=row.pk).update(
        status=TaskResultStatus.READY, started_at=None, finished_at=None,
        exception_class_path="", traceback="", worker_ids=[],
    )
    record("background.task_retried", actor=actor,
           data={"task": row.task_path, "id": str(row.pk)})
    return True
