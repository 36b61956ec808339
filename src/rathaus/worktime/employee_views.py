"""The employee's own pages (/verwaltung/arbeitszeit/): clocking in and out, the month,
entries afterwards with their history, and who looked at their records; plus what makes
the clock page an installable app that queues clock events offline (clock.js,
docs/decisions/0039). Only ever the person's own records: anybody else's is not found.
"""

from datetime import date, datetime, timedelta
from functools import partial

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rathaus.accounts.access import staff_required
from rathaus.audit.selectors import access_log_for_citizen
from rathaus.installable_app import InstallableApp

from . import absences, balances, closing, configuration, recording, rules, selectors
from .employee_forms import IN, OUT, ClockForm, EntryForm, RemoveEntryForm, new_client_id
from .errors import WorktimeError
from .models import ClosingState, Correction, Decision, Employee, Entry, Place, Team
from .permissions import is_hr


def _employee_or_404(request) -> Employee:
    employee = selectors.employee_of(request.user)
    if employee is None:
        raise Http404
    return employee


def _local(moment: datetime) -> datetime:
    return moment.astimezone(rules.local_zone())


def _clock(moment: datetime) -> str:
    return _local(moment).strftime("%H:%M")


# --- Clocking in and out ----------------------------------------------------------------

def _today_entries(employee: Employee) -> list[Entry]:
    start_of_day = datetime.combine(timezone.localdate(), datetime.min.time(), rules.local_zone())
    return list(Entry.objects.filter(employee=employee, removed=False).filter(
        Q(started_at__gte=start_of_day) | Q(ended_at=None) | Q(ended_at__gt=start_of_day))
        .order_by("started_at"))


def _coming_up(worked: int) -> str:
    """While clocked in: the next limit of §§3–4 ArbZG within half an hour."""
    for limit, text in (
            (6 * 60, _("In %(minutes)d minutes you will have worked 6 hours: then a break of "
                       "30 minutes is required.")),
            (9 * 60, _("In %(minutes)d minutes you will have worked 9 hours: then breaks of "
                       "45 minutes in all are required.")),
            (10 * 60, _("In %(minutes)d minutes you will have worked 10 hours, the most "
                        "allowed a day."))):
        if limit - 30 <= worked < limit:
            return text % {"minutes": limit - worked}
    return ""


def _today(employee: Employee) -> dict:
    today = timezone.localdate()
    worked = selectors.worked_today(employee)
    target = rules.day_target(today, employee.time_model.daily_minutes,
                              configuration.holidays(today, today))
    balance = balances.balance_until(employee, today - timedelta(days=1))
    return {"worked": worked, "target": target, "balance_yesterday": balance,
            "balance_now": balance + worked - target}


@staff_required
@require_GET
def home(request):
    employee = selectors.employee_of(request.user)
    if employee is None:
        if Team.objects.filter(leads=request.user).exists():
            return redirect("worktime:teams")
        if is_hr(request.user):
            return redirect("worktime:hr_closings")
        raise Http404
    running = selectors.open_entry(employee)
    figures = _today(employee)
    form = ClockForm(initial={"client_id": new_client_id(), "action": OUT if running else IN,
                              "place": Place.OFFICE})
    today = timezone.localdate()
    return render(request, "worktime/home.html", {
        "here": "home",
        "employee": employee,
        "running": running,
        "running_since_today": running is not None and _local(running.started_at).date() == today,
        "entries": _today_entries(employee),
        "findings": selectors.today_findings(employee),
        "coming_up": _coming_up(figures["worked"]) if running else "",
        "leave": absences.leave_status(employee, today.year),
        "form": form,
        "today": today,
        "office": Place.OFFICE,
        **figures,
    })


@staff_required
@require_POST
def clock(request):
    employee = _employee_or_404(request)
    form = ClockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Clocking was not recorded. Please try again."))
        return redirect("worktime:home")
    data = form.cleaned_data
    try:
        if data["action"] == IN:
            entry, created = recording.clock_in(actor=request.user, employee=employee,
                                                client_id=data["client_id"], place=data["place"])
        else:
            entry, created = recording.clock_out(actor=request.user, employee=employee,
                                                 client_id=data["client_id"])
    except WorktimeError as error:
        messages.error(request, error.message)
        return redirect("worktime:home")
    if not created:
        messages.info(request, _("This was recorded already."))
    elif data["action"] == IN:
        messages.success(request, _("Clocked in at %(time)s.") % {"time": _clock(entry.started_at)})
    else:
        messages.success(request, _("Clocked out at %(time)s. Worked today: %(worked)s.") % {
            "time": _clock(entry.ended_at),
            "worked": rules.hours(selectors.worked_today(employee))})
    return redirect("worktime:home")


# --- The month --------------------------------------------------------------------------

def _month_or_404(employee: Employee, year: int, month: int) -> date:
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404
    first = date(year, month, 1)
    if first > timezone.localdate() or rules.month_end(first) < employee.starts_on:
        raise Http404
    return first


def _neighbour(employee: Employee, month: date, step: int) -> date | None:
    other = rules.month_of(month + timedelta(days=32)) if step > 0 \
        else rules.month_of(month - timedelta(days=1))
    try:
        return _month_or_404(employee, other.year, other.month)
    except Http404:
        return None


@staff_required
@require_GET
def month_now(request):
    today = timezone.localdate()
    return redirect("worktime:month", year=today.year, month=today.month)


@staff_required
@require_http_methods(["GET", "POST"])
def month(request, year: int, month: int):
    employee = _employee_or_404(request)
    first = _month_or_404(employee, year, month)
    if request.method == "POST":
        try:
            closing.confirm_month(actor=request.user, employee=employee, month=first)
        except WorktimeError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Month confirmed. Your team lead confirms it next."))
        return redirect("worktime:month", year=year, month=month)
    view = selectors.month_view(employee, first, clock_times=True)
    last = rules.month_end(first)
    zone = rules.local_zone()
    corrections = Correction.objects.filter(
        employee=employee, state=Decision.REQUESTED,
        started_at__gte=datetime.combine(first, datetime.min.time(), zone),
        started_at__lt=datetime.combine(last + timedelta(days=1), datetime.min.time(), zone))
    over = last < timezone.localdate()
    return render(request, "worktime/month.html", {
        "here": "month",
        "employee": employee,
        "view": view,
        "month": first,
        "previous": _neighbour(employee, first, -1),
        "next": _neighbour(employee, first, 1),
        "may_confirm": over and view.state in (ClosingState.OPEN, ClosingState.DISPUTED),
        "corrections": list(corrections),
        "states": ClosingState,
        "office": Place.OFFICE,
    })


# --- Entries afterwards -----------------------------------------------------------------

def _after_saving(request, result) -> None:
    if isinstance(result, Correction):
        messages.info(request, _("The month is closed: your correction waits for your team "
                                 "lead's approval."))
    elif result.removed:
        messages.success(request, _("The entry was removed."))
    else:
        messages.success(request, _("The entry was saved."))


def _month_of_moment(moment: datetime):
    day = _local(moment).date()
    return redirect("worktime:month", year=day.year, month=day.month)


def _saved_entry(request, form: EntryForm, save):
    """Add or change an entry from a valid form: `save(started_at=…, ended_at=…, place=…,
    reason=…)` is the service. Then to the entry's month; None when the form or the
    service refuses (the refusal is on the form)."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        result = save(started_at=data["started_at"], ended_at=data["ended_at"],
                      place=data["place"], reason=data["reason"])
    except WorktimeError as error:
        form.add_error(None, error.message)
        return None
    _after_saving(request, result)
    return _month_of_moment(data["started_at"])


@staff_required
@require_http_methods(["GET", "POST"])
def entry_new(request):
    employee = _employee_or_404(request)
    if request.method == "POST":
        form = EntryForm(request.POST)
        saved = _saved_entry(request, form, partial(recording.add_entry, actor=request.user,
                                                    employee=employee))
        if saved:
            return saved
    else:
        initial = {"place": Place.OFFICE}
        day = request.GET.get("tag", "")
        try:
            initial["day"] = date.fromisoformat(day) if day else timezone.localdate()
        except ValueError:
            initial["day"] = timezone.localdate()
        form = EntryForm(initial=initial)
    return render(request, "worktime/entry_form.html", {
        "here": "month", "employee": employee, "form": form, "entry": None,
    }, status=400 if request.method == "POST" else 200)


def _own_entry(request, entry_id: int) -> tuple[Employee, Entry]:
    employee = _employee_or_404(request)
    return employee, get_object_or_404(Entry, pk=entry_id, employee=employee)


def _entry_page(request, employee, entry, *, form=None, remove_form=None, status=200):
    return render(request, "worktime/entry_form.html", {
        "here": "month",
        "employee": employee,
        "entry": entry,
        "form": form or EntryForm(initial=EntryForm.initial_of(entry)),
        "remove_form": remove_form or RemoveEntryForm(prefix="remove"),
        "revisions": entry.revisions.select_related("changed_by").order_by("-version"),
        "corrections": entry.corrections.filter(state=Decision.REQUESTED),
    }, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def entry_change(request, entry_id: int):
    employee, entry = _own_entry(request, entry_id)
    if request.method == "GET" or entry.removed:
        return _entry_page(request, employee, entry)
    form = EntryForm(request.POST)
    saved = _saved_entry(request, form, partial(recording.change_entry, actor=request.user,
                                                entry=entry))
    if saved:
        return saved
    return _entry_page(request, employee, entry, form=form, status=400)


@staff_required
@require_POST
def entry_remove(request, entry_id: int):
    employee, entry = _own_entry(request, entry_id)
    if entry.removed:
        return redirect("worktime:entry_change", entry_id=entry.pk)
    form = RemoveEntryForm(request.POST, prefix="remove")
    if form.is_valid():
        try:
            result = recording.remove_entry(actor=request.user, entry=entry,
                                            reason=form.cleaned_data["reason"])
        except WorktimeError as error:
            form.add_error(None, error.message)
        else:
            _after_saving(request, result)
            return _month_of_moment(entry.started_at)
    return _entry_page(request, employee, entry, remove_form=form, status=400)


# --- Who looked -------------------------------------------------------------------------

@staff_required
@require_GET
def access_log(request):
    return render(request, "worktime/access_log.html", {
        "here": "access",
        "entries": access_log_for_citizen(citizen=request.user),
    })


# --- Installable, and clocking offline --------------------------------------------------

def _draw_clock(draw, unit: float) -> None:
    width = max(2, int(unit * 0.9))
    draw.ellipse((3 * unit, 3 * unit, 13 * unit, 13 * unit), fill=(255, 255, 255))
    draw.line([(8 * unit, 8 * unit), (8 * unit, 4.8 * unit)], fill=(29, 79, 145), width=width)
    draw.line([(8 * unit, 8 * unit), (10.6 * unit, 9.4 * unit)], fill=(29, 79, 145),
              width=width)


WORKTIME_APP = InstallableApp(name="Rathaus Arbeitszeit", short_name="Arbeitszeit",
                              colour=(29, 79, 145), draw=_draw_clock,
                              worker_script="worktime/worktime-sw.js",
                              config_name="WORKTIME_CONFIG")


@require_GET
def manifest(request):
    return WORKTIME_APP.manifest_response(
        start_url=reverse("worktime:home"),
        icon_urls={192: reverse("worktime:icon_small"), 512: reverse("worktime:icon_large")})


@never_cache
@require_GET
def service_worker(request):
    scope = reverse("worktime:home")
    return WORKTIME_APP.worker_response(scope=scope, config={
        "storeScript": static("rathaus/offline-store.js"),
        "queueScript": static("worktime/clock-queue.js"),
        "syncUrl": reverse("worktime:clock_sync"),
        "clockUrl": reverse("worktime:clock"),
        "scope": scope,
    })


@require_GET
def icon_small(request):
    return WORKTIME_APP.icon_response(192)


@require_GET
def icon_large(request):
    return WORKTIME_APP.icon_response(512)

