"""Background work of cases. Tasks are idempotent: running one twice, or again after
a crash, leaves exactly one result."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django_tasks import task

from rathaus.audit.services import appended_at_the_end
from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context
from rathaus.records.selectors import has_notice

from .actions import reopen_refused
from .decisions import DecisionRefused, handler_for
from .forwarding import report_status
from .models import Case


@task()
def issue_decision(*, authority_id: int, case_id: str) -> None:
    authority = Authority.objects.get(pk=authority_id)
    # What a decision writes (notices, a refusal's reason) is in the file's language,
    # whichever language the clerk's pages speak when the task runs at once.
    with authority_context(authority), translation.override(settings.LANGUAGE_CODE):
        case = Case.objects.get(pk=case_id)
        handler = handler_for(case.service_id)
        if handler is None:
            raise LookupError(f"No decision handler for service {case.service_id!r}.")
        # Drawn before the transaction, so that two workers hold an authority's sequence
        # only for a draw each and the audit chain only for its last step, and their
        # typesetting and encryption run side by side.
        try:
            reserved = handler.reserve(case) if handler.reserve else {}
            with transaction.atomic(), appended_at_the_end():
                # The lock makes a second worker wait; it then sees the notice and does
                # nothing.
                case = (Case.objects.select_for_update(of=("self",))
                        .select_related("case_file", "applicant").get(pk=case_id))
                # Every handler issues nothing when the notice is there: a repeated run.
                decided_before = has_notice(case.case_file)
                handler.decide(case, **reserved)
                if not decided_before:  # the sender was told at the first run
                    report_status(case=case, status=case.status)
        except DecisionRefused as refusal:
            # Nothing of the decision stays (the transaction is rolled back); the clerks
            # find the case in review again, with the reason. Not a failure to retry:
            # the same run would be refused again.
            reopen_refused(case=case, refusal=refusal)
