"""Background work of the register: a Rückmeldung (§ 33 BMG) arriving at the previous
registration authority when it is hosted on this instance too."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from rathaus.audit.services import appended_at_the_end
from rathaus.authorities.models import Authority, Department
from rathaus.authorities.tenancy import authority_context
from rathaus.cases.models import Task

from .services import Newcomer, receive_report_back

# Whoever keeps the register reads the report within the usual processing time.
DUE_DAYS = 14


def report_title(report: dict) -> str:
    names = ", ".join(f"{p['given_names']} {p['family_name']}" for p in report["persons"])
    moved = date.fromisoformat(report["moved_in"])
    return (f"Rückmeldung (§ 33 BMG) von {report['from']}: {names} – Zuzug am "
            f"{moved:%d.%m.%Y} nach {report['new_address']}; Wegzug eingetragen")


@task()
def receive_report(*, authority_id: int, report: dict) -> None:
    """The previous authority's register records the move away, and its registration
    office gets the report in its basket. A report received before changes nothing."""
    authority = Authority.objects.get(pk=authority_id)
    with authority_context(authority), transaction.atomic(), appended_at_the_end():
        if Task.objects.filter(case=None, reference=report["reference"]).exists():
            return
        receive_report_back(
            movers=[Newcomer(family_name=p["family_name"], given_names=p["given_names"],
                             date_of_birth=date.fromisoformat(p["date_of_birth"]),
                             place_of_birth="", sex="x") for p in report["persons"]],
            moved_out=date.fromisoformat(report["moved_in"]),
            new_address=report["new_address"])
        office = Department.objects.filter(slug=settings.RATHAUS_RESIDENTS_OFFICE).first()
        if office is not None:
            Task.objects.create(department=office, reference=report["reference"],
                                title=report_title(report)[:300],
                                due_date=timezone.localdate() + timedelta(days=DUE_DAYS))
