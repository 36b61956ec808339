"""Background work of the open data portal: refreshing the automatic datasets."""

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
    change that alters the figures: the task then exists exactly when the change does."""
    refresh_automatic_datasets.enqueue(authority_id=current_authority().pk)
