"""Background work of the intake: reading an item's text. Idempotent: an item already
read is left as it is."""

from django_tasks import task

from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context


@task()
def read_item(*, authority_id: int, item_id: str) -> None:
    from .reading import read

    with authority_context(Authority.objects.get(pk=authority_id)):
        read(item_id=item_id)
