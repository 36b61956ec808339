"""Background work of the open data portal: refreshing the automatic datasets."""

from django.conf import settings
from django_tasks import task

from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context, current_authority


@task()
def refresh_automatic_datasets(*, authority_id: int) -> None:
    from .services import refresh_automatic_datasets as refresh

    authority = Authority.objects.get(pk=authority_id)
    with authority_context(authority):
        refresh()


def enqueue_refresh() -> None:
    """Queue a refresh for the active authority. Call it in the transaction of the
    change that alters the figures: the task then exists exactly when the change does.

    A refresh that is already waiting will see this change too, so none is added then:
    300 dogs registered in a minute queue one refresh, not 300. (A waiting refresh that
    starts in the milliseconds before this transaction commits misses it; the next
    change catches up.)"""
    authority_id = current_authority().pk
    if not _refresh_waiting(authority_id):
        refresh_automatic_datasets.enqueue(authority_id=authority_id)


def _refresh_waiting(authority_id: int) -> bool:
    if settings.TASK_BACKEND != "database":
        return False  # the immediate backend runs each at once; nothing ever waits
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=refresh_automatic_datasets.module_path, status="READY",
        args_kwargs__kwargs__authority_id=authority_id,
    ).exists()
