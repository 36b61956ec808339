"""Dog tax (Hundesteuer) arithmetic: liability, yearly rate, pro-rata amount, instalments.

Plain functions on dates and Decimals; the rates come from the authority's
`DogTaxBylaw`, never from this module.

Rules, as dog tax bylaws in NRW word them:
- Liability starts on the first day of the month after the dog was taken in and ends
  at the end of the month in which it was given up (or died).
- The yearly rate is charged by month: amount = yearly rate × months / 12, rounded
  once to the cent (half up), so twelve months always cost exactly the yearly rate.
- Instalments: each quarterly instalment (15 Feb, 15 May, 15 Aug, 15 Nov) pays the
  months of its quarter; the yearly instalment (1 July) pays the whole year. Each
  instalment is the rounded cumulative amount minus the one before, so the parts add
  up to the total to the cent.
- Catch-up rule (our decision, citizen-friendly): an instalment that would fall due
  before one month after the notice is known to the citizen is due on that day
  instead. The notice counts as known on the fourth day after its date (§ 122
  Abs. 2, § 122a Abs. 4 AO, applied through § 12 KAG NRW). So nobody has to pay for a
  past quarter, or within days of receiving the notice; such amounts fall due together.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .models import DogCategory, DogTaxBylaw, InstalmentPlan

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
DAYS_UNTIL_KNOWN = 4  # Bekanntgabefiktion, § 122 Abs. 2 Nr. 1 AO

# (last month of the period paid, (month, day) of its due date)
_SCHEDULES = {
    InstalmentPlan.QUARTERLY: ((3, (2, 15)), (6, (5, 15)), (9, (8, 15)), (12, (11, 15))),
    InstalmentPlan.YEARLY: ((12, (7, 1)),),
}


@dataclass(frozen=True)
class Instalment:
    scheduled_on: date  # the date of the bylaw's schedule
    due_on: date  # later than scheduled_on when the catch-up rule moved it
    amount: Decimal


@dataclass(frozen=True)
class Payment:
    """What the citizen pays on one day: the instalments due that day together."""

    due_on: date
    amount: Decimal


@dataclass(frozen=True)
class TaxAssessment:
    """The dog tax of one dog for one calendar year."""

    year: int
    dog_category: str
    position_in_household: int
    taken_in: date
    given_up: date | None
    legal_basis: str
    instalment_plan: str
    yearly_rate: Decimal
    exempt: bool
    liable_from: date | None  # None when not liable in this year at all
    liable_until: date | None
    months: int
    amount: Decimal
    instalments: tuple[Instalment, ...]

    @property
    def payments(self) -> tuple[Payment, ...]:
        totals: dict[date, Decimal] = {}
        for instalment in self.instalments:
            totals[instalment.due_on] = totals.get(instalment.due_on, ZERO) + instalment.amount
        return tuple(Payment(due_on, amount) for due_on, amount in sorted(totals.items()))

    @property
    def continues_next_year(self) -> bool:
        return self.given_up is None or self.given_up.year > self.year


def liability_start(taken_in: date) -> date:
    """First day of the month after the dog was taken in."""
    return _add_months(taken_in.replace(day=1), 1)


def liability_end(given_up: date) -> date:
    """Last day of the month in which the dog was given up or died."""
    return given_up.replace(day=calendar.monthrange(given_up.year, given_up.month)[1])


def yearly_rate(bylaw: DogTaxBylaw, *, dog_category: str, position_in_household: int) -> Decimal:
    """The bylaw's yearly rate for a dog.

    `position_in_household` is the dog's 1-based place among the household's taxable
    dogs (the caller decides the order and whether exempt dogs count, as the bylaw
    says). A dangerous dog in first place pays the first dangerous-dog rate, any later
    one the further rate. Exempt categories pay nothing.
    """
    if position_in_household < 1:
        raise ValueError("position_in_household starts at 1")
    if dog_category not in DogCategory.values:
        raise ValueError(f"unknown dog category {dog_category!r}")
    if dog_category in bylaw.exempt_categories:
        return ZERO
    if dog_category == DogCategory.DANGEROUS:
        if position_in_household == 1:
            return bylaw.rate_first_dangerous_dog
        return bylaw.rate_each_further_dangerous_dog
    return {1: bylaw.rate_first_dog, 2: bylaw.rate_second_dog}.get(
        position_in_household, bylaw.rate_each_further_dog
    )


def pro_rata(yearly: Decimal, months: int) -> Decimal:
    return (yearly * months / 12).quantize(CENT, rounding=ROUND_HALF_UP)


def catch_up_due_date(notice_date: date) -> date:
    """The earliest due date a notice of this date may set (see the module docstring)."""
    return _add_months(notice_date + timedelta(days=DAYS_UNTIL_KNOWN), 1)


def assess(
    bylaw: DogTaxBylaw,
    *,
    dog_category: str,
    position_in_household: int,
    taken_in: date,
    year: int,
    given_up: date | None = None,
    notice_date: date | None = None,
) -> TaxAssessment:
    """The dog tax for `year`. Without `notice_date`, instalments keep their scheduled
    dates (a preview); with it, the catch-up rule applies."""
    if given_up is not None and given_up < taken_in:
        raise ValueError("A dog cannot be given up before it was taken in.")
    rate = yearly_rate(
        bylaw, dog_category=dog_category, position_in_household=position_in_household
    )
    liable_from, liable_until = _liable_period(taken_in, given_up, year)
    months = _months_between(liable_from, liable_until) if liable_from else 0
    return TaxAssessment(
        year=year,
        dog_category=dog_category,
        position_in_household=position_in_household,
        taken_in=taken_in,
        given_up=given_up,
        legal_basis=bylaw.title,
        instalment_plan=bylaw.instalment_plan,
        yearly_rate=rate,
        exempt=dog_category in bylaw.exempt_categories,
        liable_from=liable_from,
        liable_until=liable_until,
        months=months,
        amount=pro_rata(rate, months),
        instalments=_instalments(
            bylaw.instalment_plan, rate, year, liable_from, liable_until, notice_date
        ),
    )


def full_year_instalments(assessment: TaxAssessment) -> tuple[Instalment, ...]:
    """The instalments of a whole year at the same rate, for "from next year on"."""
    year = assessment.year + 1
    return _instalments(
        assessment.instalment_plan, assessment.yearly_rate, year,
        date(year, 1, 1), date(year, 12, 31), notice_date=None,
    )


@dataclass(frozen=True)
class InstalmentChange:
    scheduled_on: date
    due_on: date
    previous_amount: Decimal
    new_amount: Decimal
    already_due: bool  # due by the date of the change notice, so presumably paid

    @property
    def change(self) -> Decimal:
        return self.new_amount - self.previous_amount


@dataclass(frozen=True)
class ChangeAssessment:
    """A corrected assessment (Änderungsbescheid), e.g. after deregistration."""

    previous: TaxAssessment
    corrected: TaxAssessment
    notice_date: date
    changes: tuple[InstalmentChange, ...]

    @property
    def difference(self) -> Decimal:
        """Negative when the citizen owes less than before."""
        return self.corrected.amount - self.previous.amount

    @property
    def refund(self) -> Decimal:
        """Overpaid on instalments already due; refunded or set off, as far as paid."""
        return sum((-c.change for c in self.changes if c.already_due and c.change < 0), ZERO)

    @property
    def additional(self) -> Decimal:
        """Owed on top for instalments already due; falls due by the catch-up rule."""
        return sum((c.change for c in self.changes if c.already_due and c.change > 0), ZERO)

    @property
    def payments(self) -> tuple[Payment, ...]:
        """What is still to be paid under the corrected assessment."""
        totals: dict[date, Decimal] = {}
        for change in self.changes:
            if change.already_due:
                if change.change > 0:
                    due_on = catch_up_due_date(self.notice_date)
                    totals[due_on] = totals.get(due_on, ZERO) + change.change
            elif change.new_amount:
                totals[change.due_on] = totals.get(change.due_on, ZERO) + change.new_amount
        return tuple(Payment(due_on, amount) for due_on, amount in sorted(totals.items()))


def change_assessment(
    previous: TaxAssessment, bylaw: DogTaxBylaw, *, given_up: date, notice_date: date
) -> ChangeAssessment:
    """Reassess after the dog was given up: liability ends with the month of `given_up`.

    Instalments due by `notice_date` count as settled; what they overpaid is the refund
    (or credit). Later instalments are simply reduced and keep their due dates.
    """
    corrected = assess(
        bylaw,
        dog_category=previous.dog_category,
        position_in_household=previous.position_in_household,
        taken_in=previous.taken_in,
        year=previous.year,
        given_up=given_up,
    )
    new_by_date = {i.scheduled_on: i.amount for i in corrected.instalments}
    changes = tuple(
        InstalmentChange(
            scheduled_on=old.scheduled_on,
            due_on=old.due_on,
            previous_amount=old.amount,
            new_amount=new_by_date.get(old.scheduled_on, ZERO),
            already_due=old.due_on <= notice_date,
        )
        for old in previous.instalments
    )
    return ChangeAssessment(
        previous=previous, corrected=corrected, notice_date=notice_date, changes=changes
    )


def _liable_period(taken_in: date, given_up: date | None, year: int):
    start = max(liability_start(taken_in), date(year, 1, 1))
    end = date(year, 12, 31)
    if given_up is not None:
        end = min(end, liability_end(given_up))
    return (start, end) if start <= end else (None, None)


def _months_between(first: date, last: date) -> int:
    """Whole calendar months from the first day of `first`'s month to `last`'s month."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def _instalments(plan, rate, year, liable_from, liable_until, notice_date):
    if liable_from is None:
        return ()
    earliest = catch_up_due_date(notice_date) if notice_date else None
    instalments, paid_before = [], ZERO
    for last_month, (due_month, due_day) in _SCHEDULES[plan]:
        period_end = date(year, last_month, calendar.monthrange(year, last_month)[1])
        months_so_far = _months_between(liable_from, min(period_end, liable_until))
        cumulative = pro_rata(rate, max(months_so_far, 0))
        amount, paid_before = cumulative - paid_before, cumulative
        scheduled = date(year, due_month, due_day)
        if amount > 0:
            due_on = max(scheduled, earliest) if earliest else scheduled
            instalments.append(Instalment(scheduled, due_on, amount))
    return tuple(instalments)


def _add_months(day: date, months: int) -> date:
    """Same day `months` later; the 31st becomes the month's last day (§ 188 Abs. 3 BGB)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class NoBylawInForce(LookupError):
    """The authority has no dog tax bylaw for the date asked about."""


def bylaw_in_force(on: date) -> DogTaxBylaw:
    """The active authority's bylaw version that applies on `on`."""
    bylaw = DogTaxBylaw.objects.filter(valid_from__lte=on).order_by("-valid_from").first()
    if bylaw is None:
        raise NoBylawInForce(f"No dog tax bylaw is in force on {on.isoformat()}.")
    return bylaw
