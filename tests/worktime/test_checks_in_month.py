"""The checks of §§3–5 ArbZG listed with an employee's month: what they find, the rest
measured across the month's first midnight, and never a clock time in a finding."""

from datetime import date

import pytest

from rathaus.authorities.tenancy import authority_context
from rathaus.worktime import selectors

from .conftest import record_day

pytestmark = pytest.mark.django_db

JULY = date(2026, 7, 1)

# (day, stretches): Emil's July, each day made to be found once.
DAYS = {
    date(2026, 6, 30): (("13:30", "19:30"),),  # Tuesday; 10:30 rest to 1 July
    date(2026, 7, 1): (("06:00", "10:00"),),
    date(2026, 7, 7): (("06:00", "11:00"), ("11:45", "17:00")),  # 10:15 hours
    date(2026, 7, 9): (("08:00", "14:40"),),  # 6:40 without a break
    date(2026, 7, 14): (("12:00", "16:00"), ("16:30", "20:00")),
    date(2026, 7, 15): (("06:30", "11:00"),),  # 10:30 rest after the 14th
    date(2026, 7, 19): (("09:00", "12:00"),),  # a Sunday
    date(2026, 7, 21): (("08:00", "12:00"), ("12:30", "16:00")),  # nothing to find
}
EXPECTED = {
    ("rest", date(2026, 7, 1)),
    ("daily_max", date(2026, 7, 7)),
    ("break", date(2026, 7, 9)),
    ("rest", date(2026, 7, 15)),
    ("sunday", date(2026, 7, 19)),
}


@pytest.fixture
def emils_july(staff):
    for day, pairs in DAYS.items():
        record_day(staff, staff.emil, day, *pairs)
    return staff


def month_view(staff, user, month: date, *, clock_times: bool):
    with authority_context(staff.authority):
        return selectors.month_view(staff.employee(user), month, clock_times=clock_times)


def test_the_month_lists_what_the_checks_find(emils_july):
    view = month_view(emils_july, emils_july.emil, JULY, clock_times=True)
    assert {(f.code, f.day) for f in view.findings} == EXPECTED
    assert len(view.findings) == len(EXPECTED)
    rows = {row.day: row for row in view.rows}
    assert [f.code for f in rows[date(2026, 7, 7)].findings] == ["daily_max"]
    assert rows[date(2026, 7, 21)].findings == []


def test_the_rest_to_the_months_first_day_is_measured_from_the_day_before(emils_july):
    view = month_view(emils_july, emils_july.emil, JULY, clock_times=True)
    (rest,) = [f for f in view.findings if f.day == date(2026, 7, 1)]
    assert rest.code == "rest" and "10:30" in rest.message
    june = month_view(emils_july, emils_july.emil, date(2026, 6, 1), clock_times=True)
    assert all(f.day.month == 6 for f in june.findings)
    assert ("rest", date(2026, 7, 1)) not in {(f.code, f.day) for f in june.findings}


def test_the_lead_sees_the_same_findings_without_clock_times(emils_july):
    own = month_view(emils_july, emils_july.emil, JULY, clock_times=True)
    figures = month_view(emils_july, emils_july.emil, JULY, clock_times=False)
    assert [(f.code, f.day, f.message) for f in figures.findings] == [
        (f.code, f.day, f.message) for f in own.findings]
    assert all(row.entries == [] for row in figures.rows)
    assert any(row.entries for row in own.rows)


def test_findings_never_carry_a_clock_time(emils_july):
    view = month_view(emils_july, emils_july.emil, JULY, clock_times=False)
    clocks = {clock for pairs in DAYS.values() for pair in pairs for clock in pair}
    for finding in view.findings:
        for clock in clocks:
            assert clock not in finding.message


def test_a_night_shift_on_the_months_last_day_is_checked_to_its_end(staff):
    last_day = date(2026, 7, 31)  # a Friday
    record_day(staff, staff.emil, last_day, ("21:00", "23:59"))
    record_day(staff, staff.emil, date(2026, 8, 1), ("00:00", "03:00"), ("03:10", "05:00"))
    view = month_view(staff, staff.emil, JULY, clock_times=False)
    found = {f.code: f for f in view.findings if f.day == last_day}
    # 21:00 to 05:00 with a gap of 10 minutes, no break that counts: 7:49 of work.
    assert "break" in found and "7:49" in found["break"].message
    row = next(row for row in view.rows if row.day == last_day)
    assert row.worked == 469


def test_a_night_into_new_year_is_holiday_work_of_the_old_year(staff):
    record_day(staff, staff.emil, date(2025, 12, 31), ("22:00", "23:59"))
    record_day(staff, staff.emil, date(2026, 1, 1), ("00:00", "02:00"))
    view = month_view(staff, staff.emil, date(2025, 12, 1), clock_times=False)
    found = {f.code: f for f in view.findings}
    assert found["holiday"].day == date(2025, 12, 31)
    assert "2:00" in found["holiday"].message
