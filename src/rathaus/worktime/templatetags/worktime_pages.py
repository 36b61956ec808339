"""The working time pages' own navigation and formats."""

from django import template
from django.urls import reverse

from rathaus.worktime import rules
from rathaus.worktime.models import Team
from rathaus.worktime.permissions import is_hr
from rathaus.worktime.selectors import employee_of

register = template.Library()


@register.inclusion_tag("worktime/links.html", takes_context=True)
def worktime_links(context, here: str = ""):
    """The pages a person may open: their own (when they record time), their teams'
    (when they lead one), HR's (when they are in the HR department)."""
    user = context["request"].user
    return {
        "here": here,
        "employee": employee_of(user) is not None,
        "leads": Team.objects.filter(leads=user).exists(),
        "hr": is_hr(user),
    }


@register.filter
def hours(minutes) -> str:
    """Minutes as "7:48" (negative: "−0:30"); empty for None."""
    return "" if minutes is None else rules.hours(int(minutes))


@register.filter
def signed_hours(minutes) -> str:
    """A balance: "+1:30", "−0:30", "0:00"."""
    if minutes is None:
        return ""
    minutes = int(minutes)
    return ("+" if minutes > 0 else "") + rules.hours(minutes)


@register.simple_tag
def month_url(name: str, month) -> str:
    return reverse(name, kwargs={"year": month.year, "month": month.month})
