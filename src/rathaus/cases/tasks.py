"""Background work of cases. Tasks are idempotent: running one twice, or again after
a crash, leaves exactly one result."""

from django.db import transaction
from django_tasks import task

from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context

from .decisions import handler_for
from .models import Case


@task()
def issue_decision(*, authority_id: int, case_id: str) -> None:
    authority = Authority.objects.get(pk=authority_id)
    with authority_context(authority), transaction.atomic():
        # The lock makes a second worker wait; it then sees the notice and does nothing.
        case = Case.objects.select_for_update().get(pk=case_id)
        handler = handler_for(case.service_id)
        if handler is None:
            raise LookupError(f"No decision handler for service {case.service_id!r}.")
        handler(case)
