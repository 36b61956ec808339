"""The words of cases/wording.py in templates: the office's and the citizen's case
pages show the same history, each in its reader's terms."""

from django import template

from rathaus.cases import wording

register = template.Library()


@register.simple_tag
def case_history(case, audience: str):
    """`{% case_history case "citizen" as lines %}`: HistoryLines, oldest first."""
    return wording.history(case, audience=audience)


@register.filter
def staff_status(status: str) -> str:
    """`{{ case.status|staff_status }}`: the status as staff say it."""
    return wording.status_label(status, audience=wording.STAFF)
