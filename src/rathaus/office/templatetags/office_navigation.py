"""The office's navigation: what waits for the person in the department they work in,
each count the length of the work basket's list it links to, and the registers they
keep."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from rathaus.accounts.permissions import allows, may_read_audit_log
from rathaus.archive.permissions import may_hand_over
from rathaus.cases import basket as work
from rathaus.catalog.permissions import may_exchange_services
from rathaus.council.permissions import may_keep as may_keep_council
from rathaus.records.permissions import may_search_files
from rathaus.residents.permissions import may_keep_register
from rathaus.satisfaction.permissions import may_read_comments

from ..departments import active_membership

register = template.Library()


@register.inclusion_tag("office/includes/work_navigation.html", takes_context=True)
def work_navigation(context):
    request = context["request"]
    membership = active_membership(request)
    if membership is None:
        return {"links": []}
    counts = work.waiting(department=membership.department, staff=request.user,
                          today=timezone.localdate())
    here = reverse("office:basket")
    current = request.GET.dict() if request.path == here else None
    links = []
    for label, query, count in (
        (_("Incoming"), {"status": work.S.SUBMITTED}, counts.new),
        (_("Assigned to me"), {"mine": "on"}, counts.mine),
        (_("To confirm"), {"status": work.S.AWAITING_CONFIRMATION}, counts.to_confirm),
    ):
        links.append({"label": label, "count": count, "href": f"{here}?{urlencode(query)}",
                      "current": current == query})
    return {"links": links, "department": membership.department}


@register.inclusion_tag("office/includes/register_navigation.html", takes_context=True)
def register_navigation(context):
    """The resident register, for the registration office's staff only: the others may
    not open it, so they are not shown the way."""
    return _link_if_allowed(context["request"], may_keep_register, "office:register_search")


@register.inclusion_tag("office/includes/satisfaction_navigation.html", takes_context=True)
def satisfaction_navigation(context):
    """The satisfaction check's results, for those who may read the comments."""
    return _link_if_allowed(context["request"], may_read_comments, "office:satisfaction")


@register.inclusion_tag("office/includes/catalogue_navigation.html", takes_context=True)
def catalogue_navigation(context):
    """The services to export and adopt, for the authority's administrators."""
    return _link_if_allowed(context["request"], may_exchange_services, "office:catalogue")


@register.inclusion_tag("office/includes/intake_navigation.html", takes_context=True)
def intake_navigation(context):
    """The incoming mail, for every staff member: each sees their departments' items."""
    href = reverse("office:intake")
    return {"href": href, "current": context["request"].path.startswith(href)}


@register.inclusion_tag("office/includes/files_search_navigation.html", takes_context=True)
def files_search_navigation(context):
    """The search over the eAkte, for the authority's staff: each finds only the files
    of their departments."""
    return _link_if_allowed(context["request"], may_search_files, "office:search_files")


@register.inclusion_tag("office/includes/archive_navigation.html", takes_context=True)
def archive_navigation(context):
    """Files whose retention ended, and the hand-over to the archive: for the
    Registratur."""
    return _link_if_allowed(context["request"], may_hand_over, "office:archive")


@register.inclusion_tag("office/includes/audit_navigation.html", takes_context=True)
def audit_navigation(context):
    """The audit log, for those who may read it (the authority's administrators)."""
    return _link_if_allowed(context["request"], may_read_audit_log, "office:audit_log")


@register.inclusion_tag("office/includes/firms_navigation.html", takes_context=True)
def firms_navigation(context):
    """The firms with a firm access, for staff of departments that run a service
    open to firms (office/firm_views.py)."""
    from ..firm_views import firm_departments

    request = context["request"]
    memberships = getattr(request, "memberships", None)
    if not memberships or not firm_departments(memberships):
        return {"href": ""}
    href = reverse("office_firms:list")
    return {"href": href, "current": request.path.startswith(href)}


def _link_if_allowed(request, rule, url_name: str) -> dict:
    """The way to a page for those its rule lets in; nothing for the others."""
    if not allows(rule, request.user):
        return {"href": ""}
    href = reverse(url_name)
    return {"href": href, "current": request.path.startswith(href)}


@register.inclusion_tag("office/includes/worktime_navigation.html", takes_context=True)
def worktime_navigation(context):
    """"Arbeitszeit" for those who record working time, lead a team or work in HR."""
    from rathaus.worktime.selectors import reaches_worktime

    request = context["request"]
    if not reaches_worktime(request.user):
        return {"href": ""}
    href = reverse("worktime:home")
    return {"href": href, "current": request.path.startswith(href)}


@register.inclusion_tag("office/includes/council_navigation.html", takes_context=True)
def council_navigation(context):
    """"Sitzungsdienst" for the members of the council's department."""
    return _link_if_allowed(context["request"], may_keep_council, "council_office:home")
