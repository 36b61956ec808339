"""Who reaches whose working time: a team lead never another team, an employee never
another employee's records, HR never a clock time.

The URLs are not listed by hand: every URL of the "worktime" namespace that takes an
id is asked with the ids of someone else's records, so a page added later is covered
as soon as it exists (a new kind of id must be added to `ids_of`). The services are
taken from the guarded services' registry the same way."""

import inspect
import uuid
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.urls import get_resolver, reverse
from django.utils import timezone

from rathaus.accounts.permissions import GUARDED, NotPermitted, allows
from rathaus.authorities.tenancy import authority_context
from rathaus.worktime import absences, recording
from rathaus.worktime.closing import confirm_month, dispute_month
from rathaus.worktime.models import (
    Absence,
    AbsenceKind,
    ClosingState,
    Correction,
    Entry,
    LocalHoliday,
    MonthClosing,
)
from rathaus.worktime.permissions import may_read_clock_times, may_read_figures

from .conftest import at, last_month, record_day, working_days_of
from .test_absence_pages import client_of

pytestmark = pytest.mark.django_db

CLOCK_TIMES = ("07:13", "11:47", "12:29", "16:41")
MONTH_ONLY = {"year", "month"}


def worktime_urls() -> dict[str, list[str]]:
    """Every URL name of the namespace with the names of its arguments."""
    _prefix, namespace = get_resolver().namespace_dict["worktime"]
    found = {}
    for name in namespace.reverse_dict:
        if isinstance(name, str):
            possibilities = namespace.reverse_dict.getlist(name)[0][0]
            found[name] = list(possibilities[0][1])
    return found


def records_of(staff, user) -> dict:
    """Someone's records of every kind: a worked day of last month with its entries,
    the month confirmed, a correction waiting, a leave request."""
    month = last_month()
    day = working_days_of(month, staff.full_time.daily_minutes)[2]
    record_day(staff, user, day, CLOCK_TIMES[:2], CLOCK_TIMES[2:])
    employee = staff.employee(user)
    with authority_context(staff.authority):
        closing = confirm_month(actor=user, employee=employee, month=month)
        recording.add_entry(actor=user, employee=employee, started_at=at(day, "18:02"),
                            ended_at=at(day, "18:32"), place="office", reason="Vergessen")
        later = timezone.localdate() + timedelta(days=21)
        absence = absences.request_absence(actor=user, employee=employee,
                                           kind=AbsenceKind.TRAINING, first_day=later,
                                           last_day=later + timedelta(days=6))
        holiday, _new = LocalHoliday.objects.get_or_create(
            day=date(2030, 3, 4), defaults={"name": "Rosenmontag"})
        return {"employee": employee, "team": employee.team, "closing": closing,
                "time_model": employee.time_model, "holiday": holiday,
                "month": month, "absence": absence,
                "entry": Entry.objects.filter(employee=employee).first(),
                "correction": Correction.objects.get(employee=employee)}


def ids_of(records: dict) -> dict:
    return {"team_id": records["team"].pk, "employee_id": records["employee"].pk,
            "entry_id": records["entry"].pk, "absence_id": records["absence"].pk,
            "correction_id": records["correction"].pk, "closing_id": records["closing"].pk,
            "model_id": records["time_model"].pk, "holiday_id": records["holiday"].pk,
            "year": records["month"].year, "month": records["month"].month}


def urls_with_ids(ids: dict) -> list[tuple[str, str]]:
    found = []
    for name, arguments in sorted(worktime_urls().items()):
        if not set(arguments) - MONTH_ONLY:
            continue  # the person's own page of a month: nobody else's ids in it
        unknown = set(arguments) - set(ids)
        assert not unknown, f"worktime:{name} takes {unknown}: add them to ids_of()"
        found.append((name, reverse(f"worktime:{name}",
                                    kwargs={a: ids[a] for a in arguments})))
    return found


def assert_not_found(client, urls):
    for name, url in urls:
        response = client.get(url)
        if response.status_code == 405:  # a form's target: sent as the form would be
            response = client.post(url, {})
        assert response.status_code == 404, f"worktime:{name} {url}: {response.status_code}"


def test_the_urls_taking_ids_are_found():
    names = {name for name, arguments in worktime_urls().items()
             if set(arguments) - MONTH_ONLY}
    assert {"absence_withdraw", "team", "team_calendar", "team_member", "team_absence_decide",
            "team_correction_decide", "team_month_close", "team_month_dispute",
            "team_member_sickness"} <= names


@pytest.mark.parametrize("victim", ["paula", "olga"])
def test_an_employee_never_reaches_another_employees_records(staff, victim):
    """Paula is in Emil's team, Olga in another one: neither's ids open anything."""
    urls = urls_with_ids(ids_of(records_of(staff, getattr(staff, victim))))
    assert_not_found(client_of(staff, staff.emil), urls)


def test_a_team_lead_never_reaches_another_team(staff):
    other = ids_of(records_of(staff, staff.olga))
    lead = client_of(staff, staff.lead_a)
    assert_not_found(lead, urls_with_ids(other))
    # Her own team's id does not let another team's records in either.
    mixed = {**other, "team_id": staff.team_a.pk}
    arguments = worktime_urls()
    assert_not_found(lead, [(name, url) for name, url in urls_with_ids(mixed)
                            if "team_id" in arguments[name]
                            and set(arguments[name]) - MONTH_ONLY - {"team_id"}])


# --- The services -------------------------------------------------------------------------

def _worktime_services():
    return sorted((name, guarded) for name, guarded in GUARDED.items()
                  if name.startswith("rathaus.worktime."))


def _call(guarded, actor, values: dict):
    function = guarded.function
    parameters = inspect.signature(function.__wrapped__).parameters
    kwargs = {name: values[name] for name, p in parameters.items()
              if p.kind == p.KEYWORD_ONLY and name != guarded.actor
              and (p.default is p.empty or name in values)}
    missing = [name for name, p in parameters.items()
               if p.kind == p.KEYWORD_ONLY and p.default is p.empty
               and name != guarded.actor and name not in kwargs]
    assert not missing, f"add {missing} to the values of the service test"
    with transaction.atomic():
        sid = transaction.savepoint()
        try:
            function(**{guarded.actor: actor}, **kwargs)
        finally:
            transaction.savepoint_rollback(sid)


def _values(staff, records: dict) -> dict:
    day = records["month"] + timedelta(days=9)
    return {**records, "started_at": at(day, "08:00"), "ended_at": at(day, "09:00"),
            "place": "office", "reason": "Test", "approve": True, "kind": AbsenceKind.SICKNESS,
            "first_day": day, "last_day": day, "client_id": uuid.uuid4(), "values": {},
            "name": "Neu", "leads": [], "day": day, "user": records["employee"].user,
            "personnel_number": "9999", "starts_on": day}


@pytest.mark.parametrize(("actor", "victim"), [("emil", "paula"), ("emil", "olga"),
                                               ("lead_a", "olga"), ("hr", "emil")])
def test_every_service_refuses_someone_elses_records(staff, actor, victim):
    """Another employee, another team's lead: refused by every guarded service. HR is
    refused every service on an employee's records (it keeps only the configuration,
    whose services do not take anyone's records)."""
    records = records_of(staff, getattr(staff, victim))
    values = _values(staff, records)
    person = getattr(staff, actor)
    for name, guarded in _worktime_services():
        if actor == "hr" and guarded.rule.name == "worktime.may_configure":
            continue
        with authority_context(staff.authority), pytest.raises(NotPermitted):
            _call(guarded, person, values)
            pytest.fail(f"{name} let {actor} act on {victim}'s records")


# --- HR: the closing state, never a clock time ----------------------------------------------

@pytest.fixture
def disputed(staff):
    """Emil's month with entries, confirmed and put in dispute by Lea."""
    records = records_of(staff, staff.emil)
    with authority_context(staff.authority):
        dispute_month(actor=staff.lead_a, closing=records["closing"],
                      reason="Bitte prüfen")
        assert MonthClosing.objects.get(pk=records["closing"].pk).state == ClosingState.DISPUTED
    return records


def test_hr_may_not_read_clock_times_even_of_a_disputed_month(staff, disputed):
    employee = disputed["employee"]
    with authority_context(staff.authority):
        assert not allows(may_read_clock_times, staff.hr, employee=employee,
                          month=disputed["month"])
        assert not allows(may_read_figures, staff.hr, employee=employee)
        assert allows(may_read_clock_times, staff.lead_a, employee=employee,
                      month=disputed["month"])


def test_hr_reaches_no_team_page(staff, disputed):
    hanna = client_of(staff, staff.hr)
    assert hanna.get(reverse("worktime:teams")).status_code == 404
    assert_not_found(hanna, [(name, url) for name, url in urls_with_ids(ids_of(disputed))
                             if name.startswith("team")])


def test_no_page_shows_hr_a_clock_time(staff, disputed):
    """Every page of working time, with the ids of Emil's disputed month where it takes
    ids: nothing HR opens shows one of his clock times, and no file (a sheet) opens."""
    hanna = client_of(staff, staff.hr)
    ids = ids_of(disputed)
    opened = []
    for name, arguments in sorted(worktime_urls().items()):
        url = reverse(f"worktime:{name}", kwargs={a: ids[a] for a in arguments})
        response = hanna.get(url)
        if response.status_code != 200:
            continue
        opened.append(name)
        if response.get("Content-Type", "").startswith(("text/", "application/json")):
            body = b"".join(response.streaming_content) if response.streaming else (
                response.content)
            for clock in CLOCK_TIMES:
                assert clock.encode() not in body, f"worktime:{name} shows {clock}"
        else:  # a file (a monthly sheet) cannot be searched: none of Emil's opens
            assert not set(arguments) - MONTH_ONLY, f"worktime:{name} gave HR a file"
    assert "absences" in opened  # her own pages do open


def test_absences_of_another_employee_are_not_withdrawn(staff):
    """The guard behind the page: Emil cannot withdraw Paula's request."""
    records = records_of(staff, staff.paula)
    response = client_of(staff, staff.emil).post(
        reverse("worktime:absence_withdraw", args=[records["absence"].pk]))
    assert response.status_code == 404
    with authority_context(staff.authority):
        assert Absence.objects.get(pk=records["absence"].pk).state == "requested"
