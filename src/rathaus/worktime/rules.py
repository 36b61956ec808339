"""The rules of working time as plain functions: NRW's public holidays, how entries
make working days (shifts), the checks of §§3–5 ArbZG and of work on Sundays and
holidays, the day's arithmetic of the flexitime balance and the leave account.

Durations are measured between aware instants, so a shift across the change to or from
summer time counts the hours really worked (a night of 7 or 9 hours, not 8). A shift
belongs to the day it starts on. Nothing here changes what was recorded: the checks
only find, and the balance shows what it deducts.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_DAY = 10 * 60  # §3: never more than 10 hours
AVERAGE_DAY = 8 * 60  # §3: at most 8 on average over the reference period
MIN_BREAK_PART = 15  # §4: breaks count in parts of at least 15 minutes
LONGEST_WITHOUT_BREAK = 6 * 60  # §4: no more than 6 hours without a break
MIN_REST = 11 * 60  # §5: 11 hours of rest between two working days
# A gap this short continues a shift across midnight (a break in a night shift); a
# longer one starts a new working day when the date has changed.
BREAK_ACROSS_MIDNIGHT = timedelta(hours=2)


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def instant(moment: datetime) -> datetime:
    """The moment in UTC. Python subtracts two datetimes of the same zone by their wall
    clocks (a night across the change to summer time would count 8 hours, not 7), so
    every duration here is taken between UTC instants."""
    return moment.astimezone(UTC)


def local_midnight(day: date) -> datetime:
    return instant(datetime.combine(day, time(0), local_zone()))


def local_day(moment: datetime) -> date:
    return moment.astimezone(local_zone()).date()


def month_of(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


# --- Public holidays (NRW) --------------------------------------------------------------

def easter_sunday(year: int) -> date:
    """The Gregorian Easter Sunday (the anonymous algorithm of Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the algorithm's own name)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


FIXED_HOLIDAYS = (  # (month, day, name)
    (1, 1, gettext_lazy("New Year's Day")),
    (5, 1, gettext_lazy("Labour Day")),
    (10, 3, gettext_lazy("Day of German Unity")),
    (11, 1, gettext_lazy("All Saints' Day")),
    (12, 25, gettext_lazy("Christmas Day")),
    (12, 26, gettext_lazy("Second day of Christmas")),
)
EASTER_HOLIDAYS = (  # (days after Easter Sunday, name)
    (-2, gettext_lazy("Good Friday")),
    (1, gettext_lazy("Easter Monday")),
    (39, gettext_lazy("Ascension Day")),
    (50, gettext_lazy("Whit Monday")),
    (60, gettext_lazy("Corpus Christi")),
)


def public_holidays(year: int) -> dict[date, str]:
    """NRW's public holidays of a year (DOMAIN.md, Working time), with their names."""
    easter = easter_sunday(year)
    days = {date(year, m, d): str(name) for m, d, name in FIXED_HOLIDAYS}
    days.update({easter + timedelta(days=offset): str(name) for offset, name in EASTER_HOLIDAYS})
    return dict(sorted(days.items()))


def holidays_between(first: date, last: date,
                     local: Mapping[date, str] | None = None) -> dict[date, str]:
    """Public holidays and the authority's own days off from `first` to `last`."""
    days = {}
    for year in range(first.year, last.year + 1):
        days.update(public_holidays(year))
    days.update(local or {})
    return {day: name for day, name in sorted(days.items()) if first <= day <= last}


def day_target(day: date, daily_minutes: Sequence[int], holidays: Mapping[date, str]) -> int:
    """What the model asks for on a day: its weekday's minutes, none on a holiday."""
    return 0 if day in holidays else daily_minutes[day.weekday()]


def working_days(first: date, last: date, daily_minutes: Sequence[int],
                 holidays: Mapping[date, str]) -> list[date]:
    """The days from `first` to `last` on which the model asks for work."""
    days, day = [], first
    while day <= last:
        if day_target(day, daily_minutes, holidays):
            days.append(day)
        day += timedelta(days=1)
    return days


# --- Shifts: entries grouped into working days ------------------------------------------

@dataclass(frozen=True)
class Stretch:
    """A stretch of work between two aware moments, kept as UTC instants."""

    start: datetime
    end: datetime

    def __post_init__(self):
        object.__setattr__(self, "start", instant(self.start))
        object.__setattr__(self, "end", instant(self.end))

    @property
    def minutes(self) -> int:
        return minutes(self.end - self.start)


@dataclass
class Shift:
    """One working day's work: its stretches in order; `day` is the date it began."""

    day: date
    stretches: list[Stretch] = field(default_factory=list)

    @property
    def start(self) -> datetime:
        return self.stretches[0].start

    @property
    def end(self) -> datetime:
        return self.stretches[-1].end

    @property
    def worked(self) -> int:
        return sum(s.minutes for s in self.stretches)

    @property
    def gaps(self) -> list[int]:
        pairs = zip(self.stretches, self.stretches[1:], strict=False)
        return [minutes(b.start - a.end) for a, b in pairs]

    @property
    def break_taken(self) -> int:
        """The break that counts: gaps of at least 15 minutes (§4)."""
        return sum(gap for gap in self.gaps if gap >= MIN_BREAK_PART)

    @property
    def longest_without_break(self) -> int:
        """The longest work with no gap of 15 minutes or more in it."""
        longest = run = 0
        for index, stretch in enumerate(self.stretches):
            if index and self.gaps[index - 1] >= MIN_BREAK_PART:
                run = 0
            run += stretch.minutes
            longest = max(longest, run)
        return longest


def shifts(stretches: Iterable[Stretch]) -> list[Shift]:
    """Group stretches of work (in any order) into shifts. A stretch continues the
    shift before it when the gap is shorter than the rest of §5 and it starts on the
    shift's date, or the gap is a break across midnight; otherwise it begins a new
    working day."""
    zone = local_zone()
    result: list[Shift] = []
    for stretch in sorted(stretches, key=lambda s: s.start):
        if result:
            last = result[-1]
            gap = stretch.start - last.end
            same_date = stretch.start.astimezone(zone).date() == last.day
            if gap < timedelta(minutes=MIN_REST) and (same_date or gap <= BREAK_ACROSS_MIDNIGHT):
                last.stretches.append(stretch)
                continue
        result.append(Shift(day=stretch.start.astimezone(zone).date(), stretches=[stretch]))
    return result


def required_break(worked: int) -> int:
    """§4: 30 minutes after more than 6 hours, 45 after more than 9."""
    if worked > 9 * 60:
        return 45
    if worked > 6 * 60:
        return 30
    return 0


def break_deduction(worked: int, taken: int) -> int:
    """The least time to take off a day's work so that, with the breaks taken, the
    statutory break for the time that remains is complete: 6:10 without a break counts
    6:00, 9:10 without a break counts 8:40."""
    deduction = 0
    while required_break(worked - deduction) > taken + deduction:
        deduction += 1
    return deduction


def minutes_on_days(stretch: Stretch, wanted: Callable[[date], bool]) -> int:
    """How much of a stretch falls on local dates that `wanted` accepts (the stretch
    split at local midnight)."""
    zone = local_zone()
    total, cursor = 0, stretch.start
    while cursor < stretch.end:
        local_day = cursor.astimezone(zone).date()
        next_midnight = local_midnight(local_day + timedelta(days=1))
        piece_end = min(stretch.end, next_midnight)
        if wanted(local_day):
            total += minutes(piece_end - cursor)
        cursor = piece_end
    return total


def is_sunday(day: date) -> bool:
    return day.weekday() == 6


def minutes_outside(stretch: Stretch, frame_start: time, frame_end: time) -> int:
    """How much of a stretch lies outside the daily flexitime frame (local time)."""
    zone = local_zone()
    inside, day = 0, stretch.start.astimezone(zone).date() - timedelta(days=1)
    while local_midnight(day) < stretch.end:
        opens = instant(datetime.combine(day, frame_start, zone))
        closes = instant(datetime.combine(day, frame_end, zone))
        overlap = min(stretch.end, closes) - max(stretch.start, opens)
        inside += max(0, minutes(overlap))
        day += timedelta(days=1)
    return stretch.minutes - inside


# --- The checks -------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """A warning about one working day: `code` for lists and tests, `message` in the
    reader's language. Never carries a clock time, so a team lead may read it."""

    day: date
    code: str
    message: str


def hours(total: int) -> str:
    """Minutes as hours and minutes, "9:30"; negative with a minus sign."""
    sign = "−" if total < 0 else ""
    h, m = divmod(abs(total), 60)
    return f"{sign}{h}:{m:02d}"


def check_shifts(day_shifts: Sequence[Shift], *, holidays: Mapping[date, str],
                 frame: tuple[time, time] | None = None) -> list[Finding]:
    """The findings of §3 (10 hours), §4 (breaks), §5 (rest), Sundays and holidays,
    and work outside the flexitime frame, for shifts in order. The rest is measured
    to the shift before, so pass the last shift of the day before the period too and
    drop its findings."""
    found: list[Finding] = []
    for index, shift in enumerate(day_shifts):
        worked = shift.worked
        if worked > MAX_DAY:
            found.append(Finding(shift.day, "daily_max", _(
                "Worked %(worked)s hours: more than the 10 hours allowed a day (§3 ArbZG).")
                % {"worked": hours(worked)}))
        needed = required_break(worked)
        if shift.break_taken < needed:
            found.append(Finding(shift.day, "break", _(
                "Break of %(taken)s minutes for %(worked)s hours of work: %(needed)s minutes "
                "are required, in parts of at least 15 minutes (§4 ArbZG).")
                % {"taken": shift.break_taken, "worked": hours(worked), "needed": needed}))
        elif shift.longest_without_break > LONGEST_WITHOUT_BREAK:
            found.append(Finding(shift.day, "no_break", _(
                "Worked %(run)s hours without a break; no more than 6 hours in a row are "
                "allowed (§4 ArbZG).") % {"run": hours(shift.longest_without_break)}))
        if index:
            rest = minutes(shift.start - day_shifts[index - 1].end)
            if rest < MIN_REST:
                found.append(Finding(shift.day, "rest", _(
                    "Rest before this day was only %(rest)s hours; 11 hours are required "
                    "(§5 ArbZG).") % {"rest": hours(rest)}))
        on_sunday = sum(minutes_on_days(s, is_sunday) for s in shift.stretches)
        if on_sunday:
            found.append(Finding(shift.day, "sunday", _(
                "%(worked)s hours of work on a Sunday (§9 ArbZG).") % {"worked": hours(on_sunday)}))
        on_holiday = sum(minutes_on_days(s, holidays.__contains__) for s in shift.stretches)
        if on_holiday:
            found.append(Finding(shift.day, "holiday", _(
                "%(worked)s hours of work on a public holiday (§9 ArbZG).")
                % {"worked": hours(on_holiday)}))
        if frame is not None:
            outside = sum(minutes_outside(s, *frame) for s in shift.stretches)
            if outside:
                found.append(Finding(shift.day, "outside_frame", _(
                    "%(outside)s hours outside the flexitime frame.")
                    % {"outside": hours(outside)}))
    return found


def average_finding(day: date, *, worked: int, workdays: int) -> Finding | None:
    """§3: the average over the reference period (worked minutes on `workdays`, Monday
    to Saturday without holidays) above 8 hours."""
    if workdays and worked / workdays > AVERAGE_DAY:
        return Finding(day, "average", _(
            "Average of %(average)s hours a working day over the reference period: more "
            "than 8 hours (§3 ArbZG).") % {"average": hours(round(worked / workdays))})
    return None


def weekdays_for_average(first: date, last: date, holidays: Mapping[date, str]) -> int:
    """Werktage (Monday to Saturday) from `first` to `last`, holidays not counted."""
    count, day = 0, first
    while day <= last:
        if day.weekday() < 6 and day not in holidays:
            count += 1
        day += timedelta(days=1)
    return count


# --- The flexitime balance --------------------------------------------------------------

@dataclass(frozen=True)
class DayFigures:
    target: int
    worked: int
    break_deducted: int
    credited: int

    @property
    def delta(self) -> int:
        return self.worked - self.break_deducted + self.credited - self.target


def day_figures(*, target: int, shift_list: Sequence[Shift], credited_absence: bool,
                deduct_missing_break: bool) -> DayFigures:
    """The day's arithmetic: its target, the work of the shifts that began on it, the
    statutory break not taken (when the agreement deducts it), and the target credited
    for leave, training or sickness (a flexitime day credits nothing: it is taken from
    the balance)."""
    worked = sum(s.worked for s in shift_list)
    deducted = (sum(break_deduction(s.worked, s.break_taken) for s in shift_list)
                if deduct_missing_break else 0)
    return DayFigures(target=target, worked=worked, break_deducted=deducted,
                      credited=target if credited_absence else 0)


# --- The leave account ------------------------------------------------------------------

HALF = Decimal("0.5")


def entitlement(full_time_days: Decimal, working_days_a_week: int | Decimal) -> Decimal:
    """The year's leave for a model of fewer (or more) working days than five, to the
    half day: 30 days at five days a week are 18 at three."""
    days = Decimal(full_time_days) * working_days_a_week / 5
    return (days / HALF).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * HALF


@dataclass(frozen=True)
class LeaveStatus:
    entitlement: Decimal
    carried_over: Decimal
    lapsed: Decimal  # carried-over days not taken by their expiry
    taken: Decimal
    planned: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.entitlement + self.carried_over - self.lapsed - self.taken - self.planned


def leave_status(*, entitlement: Decimal, carried_over: Decimal, carry_over_expires: date,
                 leave_days: Iterable[date], today: date) -> LeaveStatus:
    """The account on `today`: leave days (each approved working day of leave in the
    year) up to today are taken, later ones planned. Carried-over days are used first;
    those not used by leave on or before their expiry lapse once it has passed."""
    days = sorted(leave_days)
    taken = Decimal(sum(1 for d in days if d <= today))
    planned = Decimal(len(days)) - taken
    used_in_time = Decimal(sum(1 for d in days if d <= carry_over_expires))
    lapsed = (max(Decimal(0), carried_over - used_in_time)
              if today > carry_over_expires else Decimal(0))
    return LeaveStatus(entitlement=entitlement, carried_over=carried_over, lapsed=lapsed,
                       taken=taken, planned=planned)
