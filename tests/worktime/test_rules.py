"""The rules of working time as plain functions: NRW's holidays, §§3–5 ArbZG with their
edges (15-minute break parts, a night shift across midnight, the changes to and from
summer time), Sundays and holidays, the flexitime frame and the leave account. No
database: only the time zone is read from the settings."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from rathaus.worktime import rules

from .conftest import at

WEDNESDAY = date(2026, 6, 10)  # an ordinary working day, no holiday near


def stretch(day: date, start: str, end: str) -> rules.Stretch:
    """A stretch of work on `day`; an end before the start lies on the next day."""
    ends_on = day + timedelta(days=1) if end < start else day
    return rules.Stretch(at(day, start), at(ends_on, end))


def one_shift(day: date, *pairs: tuple[str, str]) -> rules.Shift:
    found = rules.shifts([stretch(day, start, end) for start, end in pairs])
    assert len(found) == 1
    return found[0]


def codes(findings) -> list[str]:
    return [finding.code for finding in findings]


def check(*day_shifts, holidays=None, frame=None):
    return rules.check_shifts(list(day_shifts), holidays=holidays or {}, frame=frame)


# --- Public holidays --------------------------------------------------------------------

@pytest.mark.parametrize(("year", "easter"), [
    (2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)),
    (2027, date(2027, 3, 28)), (2028, date(2028, 4, 16)), (2038, date(2038, 4, 25)),
])
def test_easter_sunday(year, easter):
    assert rules.easter_sunday(year) == easter


def fixed_days(year: int) -> set[date]:
    return {date(year, 1, 1), date(year, 5, 1), date(year, 10, 3), date(year, 11, 1),
            date(year, 12, 25), date(year, 12, 26)}


@pytest.mark.parametrize(("year", "movable"), [
    (2025, {"Good Friday": date(2025, 4, 18), "Easter Monday": date(2025, 4, 21),
            "Ascension Day": date(2025, 5, 29), "Whit Monday": date(2025, 6, 9),
            "Corpus Christi": date(2025, 6, 19)}),
    (2026, {"Good Friday": date(2026, 4, 3), "Easter Monday": date(2026, 4, 6),
            "Ascension Day": date(2026, 5, 14), "Whit Monday": date(2026, 5, 25),
            "Corpus Christi": date(2026, 6, 4)}),
    (2027, {"Good Friday": date(2027, 3, 26), "Easter Monday": date(2027, 3, 29),
            "Ascension Day": date(2027, 5, 6), "Whit Monday": date(2027, 5, 17),
            "Corpus Christi": date(2027, 5, 27)}),
])
def test_nrw_public_holidays_of_a_year_in_full(year, movable):
    with translation.override("en"):
        found = rules.public_holidays(year)
    assert set(found) == fixed_days(year) | set(movable.values())
    assert len(found) == 11
    for name, day in movable.items():
        assert found[day] == name
    assert found[date(year, 12, 26)] == "Second day of Christmas"
    assert list(found) == sorted(found)


def test_local_days_off_are_merged_and_the_range_is_kept():
    local = {date(2026, 2, 16): "Rosenmontag", date(2027, 2, 8): "Rosenmontag"}
    found = rules.holidays_between(date(2026, 1, 1), date(2026, 12, 31), local)
    assert found[date(2026, 2, 16)] == "Rosenmontag"
    assert date(2027, 2, 8) not in found
    assert set(rules.public_holidays(2026)) <= set(found)
    assert len(found) == 12
    across = rules.holidays_between(date(2026, 12, 24), date(2027, 1, 6))
    assert set(across) == {date(2026, 12, 25), date(2026, 12, 26), date(2027, 1, 1)}


def test_a_holiday_takes_the_target_and_the_model_decides_the_working_days():
    part_time = (480, 480, 480, 0, 0, 0, 0)  # Monday to Wednesday
    days_off = rules.holidays_between(date(2026, 4, 6), date(2026, 4, 12))
    assert rules.day_target(date(2026, 4, 6), part_time, days_off) == 0  # Easter Monday
    assert rules.day_target(date(2026, 4, 7), part_time, days_off) == 480
    assert rules.day_target(date(2026, 4, 9), part_time, days_off) == 0  # a Thursday
    assert rules.working_days(date(2026, 4, 6), date(2026, 4, 12), part_time, days_off) == [
        date(2026, 4, 7), date(2026, 4, 8)]


# --- §4 breaks ---------------------------------------------------------------------------

def test_two_break_parts_of_15_minutes_count_as_30():
    shift = one_shift(WEDNESDAY, ("08:00", "10:00"), ("10:15", "12:00"), ("12:15", "15:00"))
    assert shift.worked == 390
    assert shift.break_taken == 30
    assert check(shift) == []


def test_three_break_parts_of_10_minutes_count_as_nothing():
    shift = one_shift(WEDNESDAY, ("08:00", "10:00"), ("10:10", "12:00"), ("12:10", "14:00"),
                      ("14:10", "15:00"))
    assert shift.worked == 390
    assert shift.break_taken == 0
    assert codes(check(shift)) == ["break"]


def test_a_break_part_of_14_minutes_does_not_count():
    shift = one_shift(WEDNESDAY, ("08:00", "11:00"), ("11:14", "15:00"))
    assert shift.break_taken == 0
    assert shift.longest_without_break == shift.worked == 406
    assert codes(check(shift)) == ["break"]


def test_exactly_six_hours_need_no_break_and_a_minute_more_needs_30():
    assert rules.required_break(360) == 0
    assert rules.required_break(361) == 30
    assert check(one_shift(WEDNESDAY, ("08:00", "14:00"))) == []
    assert codes(check(one_shift(WEDNESDAY, ("08:00", "14:01")))) == ["break"]


def test_exactly_nine_hours_need_30_and_a_minute_more_needs_45():
    assert rules.required_break(540) == 30
    assert rules.required_break(541) == 45
    nine = one_shift(WEDNESDAY, ("07:00", "12:00"), ("12:30", "16:30"))
    assert nine.worked == 540 and check(nine) == []
    longer = one_shift(WEDNESDAY, ("07:00", "12:00"), ("12:30", "16:31"))
    assert codes(check(longer)) == ["break"]
    enough = one_shift(WEDNESDAY, ("07:00", "12:00"), ("12:30", "14:00"), ("14:15", "16:46"))
    assert enough.worked == 541 and enough.break_taken == 45 and check(enough) == []


def test_more_than_six_hours_in_a_row_is_found_even_with_the_break_taken():
    shift = one_shift(WEDNESDAY, ("07:00", "07:30"), ("08:00", "14:30"))
    assert shift.break_taken == 30
    assert shift.longest_without_break == 390
    assert codes(check(shift)) == ["no_break"]
    six_in_a_row = one_shift(WEDNESDAY, ("07:00", "13:00"), ("13:30", "15:00"))
    assert check(six_in_a_row) == []


def test_a_gap_shorter_than_15_minutes_does_not_end_the_run():
    shift = one_shift(WEDNESDAY, ("07:00", "10:00"), ("10:10", "13:30"), ("14:00", "15:00"))
    assert shift.break_taken == 30
    assert shift.longest_without_break == 380
    assert codes(check(shift)) == ["no_break"]


@pytest.mark.parametrize(("pairs", "deducted", "counted"), [
    ((("08:00", "14:10"),), 10, 360),  # 6:10 without a break counts 6:00
    ((("07:00", "16:10"),), 30, 520),  # 9:10 without a break counts 8:40
    ((("08:00", "14:00"),), 0, 360),  # 6:00 needs none
    ((("07:00", "12:00"), ("12:30", "13:40")), 0, 370),  # 6:10 with its 30 minutes
    ((("07:00", "12:00"), ("12:45", "16:55")), 0, 550),  # 9:10 with its 45 minutes
    ((("07:00", "12:00"), ("12:30", "16:40")), 10, 540),  # 9:10 with 30: down to 9:00
    ((("07:00", "10:00"), ("10:10", "13:20")), 10, 360),  # a 10-minute gap is no break
])
def test_the_missing_break_is_deducted_and_no_more(pairs, deducted, counted):
    shift = one_shift(WEDNESDAY, *pairs)
    figures = rules.day_figures(target=468, shift_list=[shift], credited_absence=False,
                                deduct_missing_break=True)
    assert figures.break_deducted == deducted
    assert figures.worked - figures.break_deducted == counted
    assert figures.delta == counted - 468


def test_recorded_breaks_only_deduct_nothing():
    shift = one_shift(WEDNESDAY, ("07:00", "16:10"))
    figures = rules.day_figures(target=468, shift_list=[shift], credited_absence=False,
                                deduct_missing_break=False)
    assert (figures.worked, figures.break_deducted, figures.delta) == (550, 0, 82)


# --- §3 the working day ------------------------------------------------------------------

def test_more_than_ten_hours_are_found_and_exactly_ten_are_not():
    ten = one_shift(WEDNESDAY, ("06:00", "11:00"), ("11:45", "16:45"))
    assert ten.worked == 600 and check(ten) == []
    longer = one_shift(WEDNESDAY, ("06:00", "11:00"), ("11:45", "16:46"))
    found = check(longer)
    assert codes(found) == ["daily_max"]
    assert "10:01" in found[0].message


def test_the_average_over_the_reference_period():
    assert rules.average_finding(WEDNESDAY, worked=480 * 120, workdays=120) is None
    found = rules.average_finding(WEDNESDAY, worked=480 * 120 + 120, workdays=120)
    assert found.code == "average" and found.day == WEDNESDAY
    assert rules.average_finding(WEDNESDAY, worked=600, workdays=0) is None


def test_weekdays_for_the_average_are_monday_to_saturday_without_holidays():
    days_off = rules.holidays_between(date(2026, 5, 11), date(2026, 5, 17))
    assert rules.weekdays_for_average(date(2026, 5, 11), date(2026, 5, 17), {}) == 6
    # Ascension Day, Thursday 14 May 2026, is no Werktag for the average.
    assert rules.weekdays_for_average(date(2026, 5, 11), date(2026, 5, 17), days_off) == 5


# --- §5 rest -----------------------------------------------------------------------------

def test_a_rest_of_10_59_is_found_and_11_hours_are_not():
    evening = stretch(WEDNESDAY, "16:00", "21:00")
    next_day = WEDNESDAY + timedelta(days=1)
    short = rules.shifts([evening, stretch(next_day, "07:59", "12:00")])
    assert [s.day for s in short] == [WEDNESDAY, next_day]
    found = check(*short)
    assert [(f.code, f.day) for f in found] == [("rest", next_day)]
    assert "10:59" in found[0].message
    enough = rules.shifts([evening, stretch(next_day, "08:00", "12:00")])
    assert check(*enough) == []


# --- A night shift across midnight ------------------------------------------------------

def test_a_night_shift_is_one_shift_of_the_day_it_starts():
    next_day = WEDNESDAY + timedelta(days=1)
    night = [stretch(WEDNESDAY, "22:00", "02:00"), stretch(next_day, "02:30", "06:00")]
    found = rules.shifts(night)
    assert len(found) == 1
    shift = found[0]
    assert shift.day == WEDNESDAY
    assert shift.worked == 450
    assert shift.break_taken == 30  # its break across the night counts
    assert "break" not in codes(check(shift))


def test_the_rest_after_a_night_shift_is_measured_from_its_end():
    next_day = WEDNESDAY + timedelta(days=1)
    night = [stretch(WEDNESDAY, "22:00", "02:00"), stretch(next_day, "02:30", "06:00")]
    early = rules.shifts([*night, stretch(next_day, "16:59", "20:00")])
    assert [s.day for s in early] == [WEDNESDAY, next_day]
    assert [(f.code, f.day) for f in check(*early) if f.code == "rest"] == [("rest", next_day)]
    rested = rules.shifts([*night, stretch(next_day, "17:00", "20:00")])
    assert [s.day for s in rested] == [WEDNESDAY, next_day]
    assert "rest" not in codes(check(*rested))


def test_a_day_shift_and_the_next_morning_are_two_shifts():
    next_day = WEDNESDAY + timedelta(days=1)
    found = rules.shifts([stretch(WEDNESDAY, "14:00", "23:30"),
                          stretch(next_day, "06:00", "09:00")])
    assert [s.day for s in found] == [WEDNESDAY, next_day]
    assert codes(check(*found))[-1] == "rest"


# --- Summer time ------------------------------------------------------------------------

SPRING_FORWARD = date(2026, 3, 28)  # Saturday; the night to Sunday 29 March has 02:00 → 03:00
FALL_BACK = date(2026, 10, 24)  # Saturday; the night to Sunday 25 October has 03:00 → 02:00


@pytest.mark.parametrize(("day", "worked", "on_sunday"), [
    (SPRING_FORWARD, 7 * 60, 5 * 60),
    (FALL_BACK, 9 * 60, 7 * 60),
])
def test_a_night_across_the_change_of_time_counts_the_hours_really_worked(day, worked, on_sunday):
    night = stretch(day, "22:00", "06:00")
    assert night.minutes == worked
    (shift,) = rules.shifts([night])
    assert shift.day == day and shift.worked == worked
    assert rules.minutes_on_days(night, rules.is_sunday) == on_sunday
    found = {f.code: f for f in check(shift)}
    assert found["sunday"].day == day
    assert rules.hours(on_sunday) in found["sunday"].message
    assert "break" in found  # 7 and 9 hours both need a break
    figures = rules.day_figures(target=0, shift_list=[shift], credited_absence=False,
                                deduct_missing_break=False)
    assert figures.worked == worked


def test_a_night_with_a_break_across_the_change_to_summer_time():
    sunday = SPRING_FORWARD + timedelta(days=1)
    (shift,) = rules.shifts([stretch(SPRING_FORWARD, "22:00", "01:00"),
                             stretch(sunday, "01:30", "06:00")])
    assert shift.day == SPRING_FORWARD and shift.gaps == [30]
    assert shift.worked == 180 + 210  # 01:30 to 06:00 is three and a half hours that night


def test_the_flexitime_frame_on_the_day_summer_time_begins():
    sunday = SPRING_FORWARD + timedelta(days=1)
    night = stretch(SPRING_FORWARD, "22:00", "06:00")
    assert rules.minutes_outside(night, time(6), time(20)) == 7 * 60
    day = rules.Stretch(at(sunday, "05:00"), at(sunday, "07:00"))
    assert rules.minutes_outside(day, time(6), time(20)) == 60


# --- Sundays, holidays, the flexitime frame -----------------------------------------------

def test_work_on_a_public_holiday_and_on_a_sunday_is_found():
    corpus_christi, sunday = date(2026, 6, 4), date(2026, 6, 7)
    days_off = rules.holidays_between(date(2026, 6, 1), date(2026, 6, 30))
    found = check(one_shift(corpus_christi, ("08:00", "12:00")),
                  one_shift(sunday, ("09:00", "11:30")), holidays=days_off)
    assert [(f.code, f.day) for f in found] == [("holiday", corpus_christi), ("sunday", sunday)]
    assert "4:00" in found[0].message and "2:30" in found[1].message


def test_a_night_into_a_holiday_counts_only_the_minutes_after_midnight():
    new_years_eve = date(2025, 12, 31)
    night = stretch(new_years_eve, "22:00", "06:00")
    days_off = rules.holidays_between(new_years_eve, date(2026, 1, 1))
    assert rules.minutes_on_days(night, days_off.__contains__) == 6 * 60
    found = {f.code: f for f in check(rules.shifts([night])[0], holidays=days_off)}
    assert found["holiday"].day == new_years_eve
    assert "6:00" in found["holiday"].message


@pytest.mark.parametrize(("start", "end", "outside"), [
    ("07:00", "19:00", 0),
    ("06:00", "20:00", 0),
    ("05:30", "08:00", 30),
    ("19:00", "21:15", 75),
    ("22:00", "06:00", 8 * 60),
    ("18:00", "07:00", 10 * 60),
])
def test_minutes_outside_the_flexitime_frame(start, end, outside):
    assert rules.minutes_outside(stretch(WEDNESDAY, start, end), time(6), time(20)) == outside


def test_work_outside_the_frame_is_found_only_when_a_frame_is_given():
    shift = one_shift(WEDNESDAY, ("05:30", "11:00"))
    assert check(shift) == []
    found = check(shift, frame=(time(6), time(20)))
    assert codes(found) == ["outside_frame"]
    assert "0:30" in found[0].message


def test_findings_carry_durations_never_clock_times():
    shift = one_shift(WEDNESDAY, ("05:45", "16:50"))
    found = check(shift, frame=(time(6), time(20)))
    assert set(codes(found)) == {"daily_max", "break", "outside_frame"}
    for finding in found:
        assert "05:45" not in finding.message and "16:50" not in finding.message


def test_hours_are_written_with_a_minus_sign_when_owed():
    assert rules.hours(570) == "9:30"
    assert rules.hours(-45) == "−0:45"
    assert rules.hours(0) == "0:00"


# --- The leave account --------------------------------------------------------------------

@pytest.mark.parametrize(("days_a_week", "entitlement"), [
    (5, Decimal("30")), (3, Decimal("18")), (Decimal("2.5"), Decimal("15")),
    (4, Decimal("24")), (2, Decimal("12")), (1, Decimal("6")),
])
def test_leave_is_scaled_for_part_time(days_a_week, entitlement):
    assert rules.entitlement(Decimal("30"), days_a_week) == entitlement


@pytest.mark.parametrize(("full_time", "days_a_week", "entitlement"), [
    (Decimal("29"), 3, Decimal("17.5")),  # 17.4 to the half day
    (Decimal("28"), 3, Decimal("17.0")),  # 16.8
    (Decimal("26"), 3, Decimal("15.5")),  # 15.6
    (Decimal("27"), 4, Decimal("21.5")),  # 21.6
])
def test_leave_is_rounded_to_half_days(full_time, days_a_week, entitlement):
    assert rules.entitlement(full_time, days_a_week) == entitlement


FEBRUARY = [date(2026, 2, 9), date(2026, 2, 10)]
MARCH_END = [date(2026, 3, 31)]
MAY = [date(2026, 5, 4), date(2026, 5, 5), date(2026, 5, 6)]


def status(today: date, leave_days) -> rules.LeaveStatus:
    return rules.leave_status(entitlement=Decimal(30), carried_over=Decimal(5),
                              carry_over_expires=date(2026, 3, 31), leave_days=leave_days,
                              today=today)


def test_carried_over_days_lapse_only_after_the_expiry():
    on_the_day = status(date(2026, 3, 31), FEBRUARY + MAY)
    assert on_the_day.lapsed == 0
    assert on_the_day.remaining == Decimal(30)
    after = status(date(2026, 4, 1), FEBRUARY + MAY)
    assert after.lapsed == 3  # five carried over, two used in time
    assert after.remaining == Decimal(27)


def test_carried_over_days_are_used_first():
    used = status(date(2026, 4, 1), FEBRUARY + MARCH_END + [date(2026, 3, 2), date(2026, 3, 3)])
    assert used.lapsed == 0
    assert used.remaining == Decimal(30)
    leave_on_the_last_day = status(date(2026, 4, 1), MARCH_END)
    assert leave_on_the_last_day.lapsed == 4


def test_leave_taken_and_planned_are_split_by_today():
    found = status(date(2026, 5, 5), FEBRUARY + MAY)
    assert (found.taken, found.planned) == (4, 1)  # today counts as taken
    assert found.remaining == Decimal(30) + 5 - 3 - 4 - 1
    before = status(date(2026, 1, 15), FEBRUARY + MAY)
    assert (before.taken, before.planned, before.lapsed) == (0, 5, 0)
    assert before.remaining == Decimal(30)
