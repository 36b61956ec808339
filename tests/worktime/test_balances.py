"""The flexitime balance from the day figures: part-time targets, holidays, absences,
the month's running balance, the daily run for many employees and the break rule."""

from datetime import date, timedelta

import pytest

from rathaus.authorities.tenancy import authority_context
from rathaus.worktime import absences, balances, closing, configuration, recording, selectors
from rathaus.worktime.models import AbsenceKind, Agreement, BreakRule, DayBalance, Employee

from .conftest import at, record_day

pytestmark = pytest.mark.django_db

# Paula works Monday to Wednesday, eight hours each.
MONDAY = date(2026, 6, 15)
TUESDAY, WEDNESDAY, THURSDAY = (MONDAY + timedelta(days=n) for n in (1, 2, 3))
WHIT_MONDAY = date(2026, 5, 25)


def figures(staff, user, day: date) -> DayBalance:
    with authority_context(staff.authority):
        return DayBalance.objects.get(employee=staff.employee(user), day=day)


def compute(staff, users, first: date, last: date | None = None) -> None:
    with authority_context(staff.authority):
        balances.compute_balances([staff.employee(u) for u in users], first, last or first)


def absence(staff, user, kind: str, first: date, last: date | None = None, *, actor=None):
    employee = staff.employee(user)
    with authority_context(staff.authority):
        made = absences.request_absence(actor=actor or user, employee=employee, kind=kind,
                                        first_day=first, last_day=last or first)
        if kind != AbsenceKind.SICKNESS:
            absences.decide_absence(actor=staff.lead_a, absence=made, approve=True)
    return made


def test_work_on_a_day_outside_the_part_time_pattern_is_all_plus(staff):
    record_day(staff, staff.paula, THURSDAY, ("08:00", "12:00"))
    day = figures(staff, staff.paula, THURSDAY)
    assert (day.target, day.worked, day.delta) == (0, 240, 240)


def test_the_part_time_pattern_asks_for_its_days_only(staff):
    compute(staff, [staff.paula], MONDAY, MONDAY + timedelta(days=6))
    with authority_context(staff.authority):
        targets = list(DayBalance.objects.filter(employee=staff.employee(staff.paula))
                       .order_by("day").values_list("target", flat=True))
    assert targets == [480, 480, 480, 0, 0, 0, 0]


def test_a_holiday_on_a_working_day_asks_for_nothing(staff):
    compute(staff, [staff.paula], WHIT_MONDAY)
    day = figures(staff, staff.paula, WHIT_MONDAY)
    assert (day.target, day.delta) == (0, 0)
    record_day(staff, staff.paula, WHIT_MONDAY, ("09:00", "11:00"))
    assert figures(staff, staff.paula, WHIT_MONDAY).delta == 120


def test_approved_leave_credits_the_target_and_leaves_the_account(staff):
    paula = staff.employee(staff.paula)
    with authority_context(staff.authority):
        before = absences.leave_status(paula, 2026).remaining
    made = absence(staff, staff.paula, AbsenceKind.LEAVE, MONDAY, MONDAY + timedelta(days=6))
    assert made.days == 3  # Monday to Wednesday of her week
    for day in (MONDAY, TUESDAY, WEDNESDAY):
        row = figures(staff, staff.paula, day)
        assert (row.target, row.credited, row.delta) == (480, 480, 0)
    assert figures(staff, staff.paula, THURSDAY).credited == 0
    with authority_context(staff.authority):
        assert before - absences.leave_status(paula, 2026).remaining == 3


def test_a_flexitime_day_credits_nothing(staff):
    absence(staff, staff.paula, AbsenceKind.FLEXITIME_DAY, TUESDAY)
    row = figures(staff, staff.paula, TUESDAY)
    assert (row.target, row.credited, row.delta) == (480, 0, -480)


def test_sickness_recorded_by_the_lead_credits_the_target(staff):
    made = absence(staff, staff.paula, AbsenceKind.SICKNESS, MONDAY, MONDAY + timedelta(days=4),
                   actor=staff.lead_a)
    assert made.days == 3
    for day in (MONDAY, TUESDAY, WEDNESDAY):
        row = figures(staff, staff.paula, day)
        assert (row.credited, row.delta) == (480, 0)


def test_the_months_running_balance_adds_up_from_the_opening_balance(staff):
    paula = staff.employee(staff.paula)
    with authority_context(staff.authority):
        Employee.objects.filter(pk=paula.pk).update(opening_balance_minutes=600)
        paula.refresh_from_db()
    compute(staff, [staff.paula], date(2026, 5, 1), date(2026, 6, 30))
    record_day(staff, staff.paula, date(2026, 5, 27), ("07:00", "12:00"), ("12:30", "16:30"))
    record_day(staff, staff.paula, MONDAY, ("07:00", "12:00"), ("12:30", "15:00"))
    record_day(staff, staff.paula, THURSDAY, ("08:00", "10:00"))
    absence(staff, staff.paula, AbsenceKind.FLEXITIME_DAY, WEDNESDAY)
    with authority_context(staff.authority):
        may = list(DayBalance.objects.filter(employee=paula, day__lt=date(2026, 6, 1))
                   .values_list("delta", flat=True))
        view = selectors.month_view(paula, date(2026, 6, 1), clock_times=False)
        until = balances.balance_until(paula, date(2026, 6, 30))
    assert view.balance_before == 600 + sum(may)
    running = view.balance_before
    for row in view.rows:
        running += row.delta
        assert row.computed
        assert row.balance == running
    assert view.balance_after == running == until
    assert view.totals["delta"] == until - view.balance_before
    monday = next(row for row in view.rows if row.day == MONDAY)
    assert (monday.worked, monday.delta) == (450, -30)
    assert next(row for row in view.rows if row.day == THURSDAY).delta == 120


def test_balances_of_many_in_one_call_equal_each_ones_own(staff):
    people = [staff.emil, staff.paula, staff.olga]
    record_day(staff, staff.emil, MONDAY, ("07:00", "16:10"))
    record_day(staff, staff.paula, TUESDAY, ("08:00", "12:00"), ("12:10", "15:00"))
    record_day(staff, staff.olga, WEDNESDAY, ("06:00", "12:00"), ("12:45", "17:00"))
    absence(staff, staff.emil, AbsenceKind.FLEXITIME_DAY, THURSDAY)
    first, last = MONDAY - timedelta(days=3), MONDAY + timedelta(days=6)

    def rows():
        with authority_context(staff.authority):
            return sorted(DayBalance.objects.filter(day__range=(first, last)).values_list(
                "employee__personnel_number", "day", "target", "worked", "break_deducted",
                "credited", "delta"))

    compute(staff, people, first, last)
    together = rows()
    with authority_context(staff.authority):
        DayBalance.objects.all().delete()
    for person in people:
        compute(staff, [person], first, last)
    assert rows() == together
    assert len(together) == 3 * 10


def test_the_break_rule_decides_what_is_deducted(staff):
    record_day(staff, staff.emil, MONDAY, ("08:00", "14:10"))
    assert figures(staff, staff.emil, MONDAY).break_deducted == 10  # statutory minimum
    with authority_context(staff.authority):
        configuration.save_agreement(actor=staff.hr, values={"break_rule": BreakRule.RECORDED})
    compute(staff, [staff.emil], MONDAY)
    row = figures(staff, staff.emil, MONDAY)
    assert (row.worked, row.break_deducted, row.delta) == (370, 0, 370 - 468)
    with authority_context(staff.authority):
        Agreement.objects.update(break_rule=BreakRule.STATUTORY_MINIMUM)
    compute(staff, [staff.emil], MONDAY)
    row = figures(staff, staff.emil, MONDAY)
    assert (row.worked, row.break_deducted, row.delta) == (370, 10, 360 - 468)


def test_the_daily_run_counts_a_night_shift_to_its_end(staff):
    emil = staff.employee(staff.emil)
    with authority_context(staff.authority):
        for start, end in ((at(MONDAY, "22:00"), at(TUESDAY, "02:00")),
                           (at(TUESDAY, "02:30"), at(TUESDAY, "06:00"))):
            recording.add_entry(actor=staff.emil, employee=emil, started_at=start,
                                ended_at=end, place="office", reason="Nachtdienst")
        assert DayBalance.objects.get(employee=emil, day=MONDAY).worked == 450
        balances.run_daily_balances(MONDAY)
        row = DayBalance.objects.get(employee=emil, day=MONDAY)
        assert (row.worked, row.break_deducted) == (450, 0)
        assert DayBalance.objects.get(employee=emil, day=TUESDAY).worked == 0


def test_the_months_holiday_minutes_include_a_night_into_new_year(staff):
    emil = staff.employee(staff.emil)
    new_years_eve = date(2025, 12, 31)
    with authority_context(staff.authority):
        recording.add_entry(actor=staff.emil, employee=emil, started_at=at(new_years_eve, "22:00"),
                            ended_at=at(date(2026, 1, 1), "06:00"), place="office",
                            reason="Silvesterdienst")
        december = closing.month_totals(emil, date(2025, 12, 1))
        january = closing.month_totals(emil, date(2026, 1, 1))
    assert december["worked_minutes"] == 480
    assert december["holiday_minutes"] == 360
    assert january["holiday_minutes"] == 0


@pytest.mark.parametrize(("saturday", "worked", "on_sunday"), [
    (date(2026, 3, 28), 7 * 60, 5 * 60),  # the night summer time begins
    (date(2026, 10, 24), 9 * 60, 7 * 60),  # the night it ends
])
def test_a_night_across_the_change_of_time_is_counted_as_worked(staff, saturday, worked,
                                                                 on_sunday):
    emil = staff.employee(staff.emil)
    sunday = saturday + timedelta(days=1)
    with authority_context(staff.authority):
        recording.add_entry(actor=staff.emil, employee=emil, started_at=at(saturday, "22:00"),
                            ended_at=at(sunday, "06:00"), place="office", reason="Nachtdienst")
        balances.compute_balances([emil], saturday, sunday)
        row = DayBalance.objects.get(employee=emil, day=saturday)
        totals = closing.month_totals(emil, saturday.replace(day=1))
    assert (row.target, row.worked) == (0, worked)
    assert row.break_deducted == 30  # more than six hours without a break
    assert totals["sunday_minutes"] == on_sunday
