"""The staff side: login with TOTP, work basket, department switch."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
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
from rathaus.cases import basket as work
from rathaus.handover import selectors as handover
from rathaus.rate_limits.decorators import posted, rate_limited

from .background_views import may_manage_background_work
from .basket_rows import BasketFilter, rows
from .departments import active_membership, remember


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


@staff_required
def basket(request):
    membership = active_membership(request)
    department = membership.department
    chosen = BasketFilter(request.GET, services=work.services_in_basket(
        department=department, done=request.GET.get("status") == work.DONE))
    tasks = work.basket(department=department, staff=request.user, **chosen.values())
    today = timezone.localdate()
    # Team leads and administrators learn here when background work has failed.
    failed = (failures.failed_count(authority=request.authority)
              + handover.failed_count()
              if may_manage_background_work(request) else 0)
    basket_rows = rows(tasks, today=today)
    return render(request, "office/basket.html", {
        "membership": membership,
        "basket_filter": chosen,
        "filtered": chosen.is_narrowed(),
        "rows": basket_rows,
        "overdue": sum(1 for row in basket_rows if row.overdue_days),
        "failed_count": failed,
    })


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
        return redirect("office:basket")
    remember(request, membership)
    # From a case page of another department: back to that case, now openable.
    return redirect(page_on_this_site(request, request.POST.get("next", ""),
                                      reverse("office:basket")))
