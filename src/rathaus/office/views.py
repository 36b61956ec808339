"""The staff side: login with TOTP, work basket, department switch."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from rathaus.accounts.access import staff_required
from rathaus.accounts.forms import StaffLoginFormWithTotp
from rathaus.accounts.lockout import left_to_axes
from rathaus.accounts.next_page import page_on_this_site
from rathaus.accounts.permissions import NotPermitted
from rathaus.accounts.services import choose_department
from rathaus.background import failures
from rathaus.cases.models import Task
from rathaus.cases.selectors import work_basket
from rathaus.rate_limits.decorators import posted, rate_limited

from .background_views import may_manage_background_work

DEPARTMENT_KEY = "rathaus_department"


@rate_limited("login", account=posted("username"), exempt=left_to_axes(posted("username")))
def login_view(request):
    form = StaffLoginFormWithTotp(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        otp_login(request, form.device)
        return redirect(page_on_this_site(request, request.POST.get("next", ""),
                                          reverse("office:basket")))
    return render(request, "office/login.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, _("You have been logged out."))
    return redirect("office:login")


def _active_membership(request):
    chosen = request.session.get(DEPARTMENT_KEY)
    for membership in request.memberships:
        if membership.department_id == chosen:
            return membership
    return request.memberships[0]


@staff_required
def basket(request):
    membership = _active_membership(request)
    status = request.GET.get("status", "")
    if status not in Task.Status.values:
        status = ""
    tasks = work_basket(department=membership.department, status=status or None)
    # Team leads and administrators learn here when background work has failed.
    failed = (failures.failed_count(authority=request.authority)
              if may_manage_background_work(request) else 0)
    return render(
        request,
        "office/basket.html",
        {
            "membership": membership,
            "tasks": tasks,
            "status": status,
            "statuses": Task.Status.choices,
            "failed_count": failed,
        },
    )


@staff_required
@require_POST
def switch_department(request):
    wanted = request.POST.get("department", "")
    try:
        if not wanted.isdigit():
            raise NotPermitted("accounts.may_work_in")
        membership = choose_department(user=request.user, department_id=int(wanted))
    except NotPermitted:
        messages.error(request, _("You do not work in that department."))
    else:
        request.session[DEPARTMENT_KEY] = membership.department_id
    return redirect("office:basket")
