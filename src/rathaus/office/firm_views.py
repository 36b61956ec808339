"""The firms a department admitted to apply with a firm access (ADR 0041): the list
with their persons, admitting a firm with its first person, adding a person, ending an
access. For the staff of departments that run a service open to firms; others get a
404, as for pages of other roles."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rathaus.accounts import firm_access
from rathaus.accounts.access import staff_required
from rathaus.accounts.permissions import NotPermitted
from rathaus.authorities.links import portal_url
from rathaus.catalog.registry import all_definitions, definition

from .firm_forms import AdmitFirmForm, PersonForm


def firm_departments(memberships) -> list:
    """The staff member's departments that run a service open to firms (`firms` in its
    definition), by name."""
    running = set()
    for service_id in all_definitions():
        found = definition(service_id)
        if found is not None and found.firms:
            running.add(found.department)
    return sorted({m.department for m in memberships if m.department.slug in running},
                  key=lambda d: d.name)


def _invitation_link(token: str) -> str:
    # The invitation page is the portal's (the firm person is no staff member).
    return portal_url(reverse("accounts:firm_invitation", args=[token]))


def _firms(request) -> list:
    return firm_access.firms_of_departments(
        actor=request.user, department_ids=[m.department_id for m in request.memberships])


@staff_required
@require_safe
def firm_list(request):
    departments = firm_departments(request.memberships)
    firms = _firms(request)
    if not departments and not firms:
        raise Http404
    return render(request, "office/firms/list.html", {
        "firms": firms, "may_admit": bool(departments)})


@staff_required
@require_http_methods(["GET", "POST"])
def admit(request):
    departments = firm_departments(request.memberships)
    if not departments:
        raise Http404
    form = AdmitFirmForm(request.POST or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        department = next(d for d in departments if d.pk == form.cleaned_data["department"])
        try:
            firm = firm_access.admit_firm(
                actor=request.user, department=department, firm_data=form.firm(),
                firm_person=form.person(), link_for=_invitation_link)
        except firm_access.FirmAccessRefused as refusal:
            form.add_error("person_email", refusal.message)
        except NotPermitted as exc:
            raise Http404 from exc
        else:
            messages.success(request, _("%(firm)s is admitted. The invitation has been sent "
                                        "to %(email)s.") % {
                "firm": firm.name, "email": form.cleaned_data["person_email"]})
            return redirect("office_firms:list")
    return render(request, "office/firms/admit.html", {"form": form},
                  status=400 if form.errors else 200)


def _firm_or_404(request, firm_id):
    firm = firm_access.firm_of_departments(actor=request.user, firm_id=firm_id)
    if firm is None:
        raise Http404
    return firm


@staff_required
@require_http_methods(["GET", "POST"])
def add_person(request, firm_id):
    firm = _firm_or_404(request, firm_id)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            firm_access.add_firm_person(actor=request.user, firm=firm,
                                        firm_person=form.person(), link_for=_invitation_link)
        except firm_access.FirmAccessRefused as refusal:
            form.add_error("person_email", refusal.message)
        except NotPermitted as exc:
            raise Http404 from exc
        else:
            messages.success(request, _("The invitation has been sent to %(email)s.") % {
                "email": form.cleaned_data["person_email"]})
            return redirect("office_firms:list")
    return render(request, "office/firms/add_person.html", {"form": form, "firm": firm},
                  status=400 if form.errors else 200)


@staff_required
@require_POST
def end_firm(request, firm_id):
    firm = _firm_or_404(request, firm_id)
    try:
        firm_access.end_firm_access(actor=request.user, firm=firm)
    except NotPermitted as exc:
        raise Http404 from exc
    messages.success(request, _("The firm access of %(firm)s has ended.") % {"firm": firm.name})
    return redirect("office_firms:list")


@staff_required
@require_POST
def end_person(request, firm_id, member_id):
    firm = _firm_or_404(request, firm_id)
    member = firm_access.member_of_firm(firm=firm, member_id=member_id)
    if member is None:
        raise Http404
    try:
        firm_access.end_firm_access(actor=request.user, firm=firm, firm_member=member)
    except (NotPermitted, firm_access.FirmAccessRefused) as exc:
        raise Http404 from exc
    messages.success(request, _("The firm access of %(name)s has ended.") % {
        "name": member.user.full_name})
    return redirect("office_firms:list")
