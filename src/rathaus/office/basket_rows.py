"""The work basket's filter, a GET form (it works without JavaScript, and a filtered
basket is an address to bookmark), and its rows as the page shows them."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from rathaus.cases.basket import DONE, STATUSES
from rathaus.cases.models import Task
from rathaus.cases.wording import STAFF, status_label
from rathaus.catalog.definitions import localize
from rathaus.catalog.registry import definition


def service_title(service_id: str) -> str:
    found = definition(service_id)
    return localize(found.title) if found else service_id


class BasketFilter(forms.Form):
    service = forms.ChoiceField(label=_("Service"), required=False)
    status = forms.ChoiceField(label=_("State"), required=False)
    mine = forms.BooleanField(label=_("Only tasks assigned to me"), required=False)

    def __init__(self, data, *, services):
        super().__init__(data)
        self.fields["service"].choices = [("", _("All services")), *(
            (service_id, service_title(service_id)) for service_id in services)]
        self.fields["status"].choices = [("", _("All unfinished")), *(
            (status, status_label(status, audience=STAFF)) for status in STATUSES),
            (DONE, _("Done"))]

    def values(self) -> dict:
        """The choices made; an unknown value (an old bookmark, a typed address) counts
        as no choice, so the basket always opens."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {"service": cleaned.get("service") or "", "status": cleaned.get("status") or "",
                "mine": bool(cleaned.get("mine"))}

    def is_narrowed(self) -> bool:
        return any(self.values().values())


@dataclass(frozen=True)
class Row:
    task: Task
    service: str  # the service's title; empty for a task without a case
    state: str  # the case's status in staff words
    overdue_days: int  # 0 unless an unfinished task is past its due date
    due_today: bool


def rows(tasks, *, today) -> list[Row]:
    made = []
    for task in tasks:
        case = task.case
        unfinished = task.status != Task.Status.DONE and task.due_date is not None
        made.append(Row(
            task=task,
            service=service_title(case.service_id) if case else "",
            state=(status_label(case.status, audience=STAFF) if case
                   else task.get_status_display()),
            overdue_days=(today - task.due_date).days if unfinished and task.due_date < today
            else 0,
            due_today=unfinished and task.due_date == today,
        ))
    return made
