"""Background work of the open data portal: checking uploads and writing them into
versions (a large file takes longer than a web request may), and refreshing the
automatic datasets. Each task does nothing when its work is done already, so a task
run again after a worker crash leaves one result."""

from django.conf import settings
from django_tasks import task

from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context, current_authority


@task()
def check_upload(*, authority_id: int, upload_id: str) -> None:
    from . import services

    _on_upload(authority_id, upload_id, services.check_upload, services.check_failed)


@task()
def publish_upload(*, authority_id: int, upload_id: str) -> None:
    from . import services

    _on_upload(authority_id, upload_id, services.publish_requested,
               services.publication_failed)


def _on_upload(authority_id: int, upload_id: str, work, failed) -> None:
    """`work(upload=…)` on the upload, if it still exists; if it breaks off, `failed`
    gives the upload back to staff before the task is recorded as failed."""
    from ..models import Upload

    with authority_context(Authority.objects.get(pk=authority_id)):
        upload = Upload.objects.filter(pk=upload_id).first()
        if upload is None:
            return
        try:
            work(upload=upload)
        except Exception:
            failed(upload=upload)
            raise


@task()
def refresh_automatic_datasets(*, authority_id: int) -> None:
    from .services import refresh_automatic_datasets as refresh

    authority = Authority.objects.get(pk=authority_id)
    with authority_context(authority):
        refresh()


def enqueue_refresh_everywhere() -> int:
    """Queue a refresh for every authority; returns how many were queued.

    The worker's hourly housekeeping calls it, so that figures which change with the
    date alone follow within the hour: a dog given up last month stops counting when
    its last day has passed, with no change in the register to trigger a refresh. A
    refresh that finds the same rows adds no version.
    """
    queued = 0
    for authority in Authority.objects.all():
        with authority_context(authority):
            queued += enqueue_refresh()
    return queued


def refresh_when_figures_change(sender, **kwargs) -> None:
    """Receiver of `rathaus.publication.signals.figures_changed`: the signal is sent in
    the transaction of the change, so the refresh is queued in it too."""
    enqueue_refresh()


def enqueue_refresh() -> int:
    """Queue a refresh for the active authority. Call it in the transaction of the
    change that alters the figures: the task then exists exactly when the change does.

    A refresh that is already waiting will see this change too, so none is added then:
    300 dogs registered in a minute queue one refresh, not 300. (A waiting refresh that
    starts in the milliseconds before this transaction commits misses it; the next
    change or the hourly refresh catches up.) Returns 1 if it queued one, else 0."""
    authority_id = current_authority().pk
    if _refresh_waiting(authority_id):
        return 0
    refresh_automatic_datasets.enqueue(authority_id=authority_id)
    return 1


def _refresh_waiting(authority_id: int) -> bool:
    if settings.TASK_BACKEND != "database":
        return False  # the immediate backend runs each at once; nothing ever waits
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=refresh_automatic_datasets.module_path, status="READY",
        args_kwargs__kwargs__authority_id=authority_id,
    ).exists()
