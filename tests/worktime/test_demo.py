"""The demo's working time, set up in a test town with the demo's staff."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rathaus.accounts.models import StaffMembership, User
from rathaus.authorities.models import Department
from rathaus.authorities.tenancy import authority_context
from rathaus.demo import data
from rathaus.worktime import configuration, demo, selectors
from rathaus.worktime.models import (
    Absence,
    AbsenceKind,
    ClosingState,
    DayBalance,
    Decision,
    Employee,
    Entry,
    EntryRevision,
    LocalHoliday,
    MonthClosing,
    Team,
)
from rathaus.worktime.permissions import may_decide_absence, may_read_clock_times

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_town(town):
    """The test town with the demo's departments and its Leichlingen staff."""
    spec = data.AUTHORITIES[0]
    with authority_context(town):
        departments = {slug: Department.objects.create(slug=slug, name=name, code=code)
                       for slug, name, code in spec["departments"]}
        for authority, email, first, last, roles in data.STAFF:
            if authority != "leichlingen":
                continue
            user = User.objects.create_user(email, "x", first_name=first, last_name=last,
                                            kind=User.Kind.STAFF)
            for slug, role in roles.items():
                StaffMembership.objects.create(user=user, department=departments[slug],
                                               role=role)
    return town


def test_the_demo_staff_record_three_months_with_their_figures(demo_town):
    today = timezone.localdate()
    with authority_context(demo_town):
        assert demo.set_up_demo_worktime()
        assert not demo.set_up_demo_worktime()  # once
        assert Employee.objects.count() == len(demo.EMPLOYEES)
        assert set(Team.objects.values_list("name", flat=True)) == set(demo.TEAMS)
        steueramt = Team.objects.get(name="Steueramt")
        erika = User.objects.get(email="erika.mustermann@leichlingen.example")
        assert list(steueramt.leads.all()) == [erika]
        assert LocalHoliday.objects.get().day == demo.rosenmontag(today.year)
        hr = User.objects.get(email=data.WORKTIME_HR)
        assert configuration.agreement().hr_department.slug == "personal"
        assert selectors.reaches_worktime(hr)

        yesterday = today - timedelta(days=1)
        start = demo._first_month(today)
        for employee in Employee.objects.select_related("time_model"):
            assert Entry.objects.filter(employee=employee).count() > 20
            days = (yesterday - start).days + 1
            assert DayBalance.objects.filter(employee=employee,
                                             day__range=(start, yesterday)).count() == days
        assert EntryRevision.objects.count() == Entry.objects.count()
        # Something for the checks to show in each person's months.
        max_ = Employee.objects.get(user__email="max.mustermann@leichlingen.example")
        findings = [f for month in _months(start, today)
                    for f in selectors.month_view(max_, month, clock_times=True).findings]
        assert findings


def test_erika_sees_the_request_waiting_and_the_months_are_closed_or_confirmed(demo_town):
    with authority_context(demo_town):
        demo.set_up_demo_worktime()
        erika = User.objects.get(email="erika.mustermann@leichlingen.example")
        waiting = Absence.objects.get(state=Decision.REQUESTED)
        assert waiting.kind == AbsenceKind.LEAVE
        assert waiting.employee.user.email == demo.WITH_PENDING_REQUEST
        assert may_decide_absence(erika, absence=waiting)
        pending = selectors.pending_requests(Team.objects.get(name="Steueramt"))
        assert waiting in [item for items in pending.values() for item in items]
        assert Absence.objects.filter(kind=AbsenceKind.SICKNESS,
                                      state=Decision.APPROVED).exists()
        assert Absence.objects.filter(kind=AbsenceKind.LEAVE, state=Decision.APPROVED).exists()

        states = dict(MonthClosing.objects.values_list("employee__user__email", "state"))
        assert states == {demo.CLOSED_BY_LEAD: ClosingState.CLOSED,
                          demo.CONFIRMED_ONLY: ClosingState.CONFIRMED}
        closed = MonthClosing.objects.get(state=ClosingState.CLOSED)
        assert closed.totals["target_minutes"] > 0
        # The lead of a closed month sees figures, never its clock times.
        assert not may_read_clock_times(erika, employee=closed.employee, month=closed.month)


def _months(first, today):
    month = first
    while month <= today:
        yield month
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def test_a_demo_loaded_before_working_time_gets_its_hr_clerk_and_records(town):
    from rathaus.demo.loader import _load_worktime

    spec = data.AUTHORITIES[0]
    with authority_context(town):
        for slug, name, code in spec["departments"]:
            Department.objects.create(slug=slug, name=name, code=code)
    for authority, email, first, last, _roles in data.STAFF:
        if authority == "leichlingen" and email != data.WORKTIME_HR:
            User.objects.create_user(email, "x", first_name=first, last_name=last,
                                     kind=User.Kind.STAFF)
    [added] = _load_worktime(town)
    assert added["email"] == data.WORKTIME_HR and added["added_to_existing_demo"]
    assert added["password"] and added["totp_secret"]
    assert _load_worktime(town) == []  # once
    with authority_context(town):
        assert Employee.objects.count() == len(demo.EMPLOYEES)
