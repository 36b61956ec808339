"""Recording, correcting, balances, absences and closing through the services."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from rathaus.accounts.permissions import NotPermitted
from rathaus.authorities.tenancy import authority_context
from rathaus.worktime import absences, recording, selectors
from rathaus.worktime.closing import close_month, confirm_month
from rathaus.worktime.errors import WorktimeError
from rathaus.worktime.models import (
    AbsenceKind,
    ClosingState,
    Correction,
    DayBalance,
    Entry,
    EntryRevision,
)

from .conftest import at, last_month, record_day, working_days_of

pytestmark = pytest.mark.django_db


def test_clocking_in_and_out_makes_one_entry_and_a_resend_finds_it(staff):
    emil = staff.employee(staff.emil)
    first, second = uuid.uuid4(), uuid.uuid4()
    with authority_context(staff.authority):
        entry, created = recording.clock_in(actor=staff.emil, employee=emil, client_id=first)
        assert created
        again, created = recording.clock_in(actor=staff.emil, employee=emil, client_id=first)
        assert (again.pk, created) == (entry.pk, False)
        with pytest.raises(WorktimeError):
            recording.clock_in(actor=staff.emil, employee=emil, client_id=uuid.uuid4())
        ended, created = recording.clock_out(actor=staff.emil, employee=emil, client_id=second)
        assert created and ended.ended_at is not None
        assert recording.clock_out(actor=staff.emil, employee=emil, client_id=second)[1] is False
        assert Entry.objects.filter(employee=emil).count() == 1
        assert EntryRevision.objects.filter(entry=entry).count() == 2


def test_nobody_clocks_in_for_another(staff):
    emil = staff.employee(staff.emil)
    with authority_context(staff.authority), pytest.raises(NotPermitted):
        recording.clock_in(actor=staff.lead_a, employee=emil, client_id=uuid.uuid4())


def test_a_day_entered_afterwards_gets_its_figures_and_balance(staff):
    month = last_month()
    day = working_days_of(month, staff.full_time.daily_minutes)[0]
    record_day(staff, staff.emil, day, ("07:00", "12:00"), ("12:30", "16:00"))
    emil = staff.employee(staff.emil)
    with authority_context(staff.authority):
        figures = DayBalance.objects.get(employee=emil, day=day)
        assert (figures.target, figures.worked, figures.break_deducted) == (468, 510, 0)
        assert figures.delta == 42
        view = selectors.month_view(emil, month, clock_times=True)
        row = next(r for r in view.rows if r.day == day)
        assert row.delta == 42 and len(row.entries) == 2


def test_leave_approved_counts_as_worked_and_leaves_the_account(staff):
    emil = staff.employee(staff.emil)
    today = timezone.localdate()
    first = today + timedelta(days=14)
    last = first + timedelta(days=4)
    with authority_context(staff.authority):
        before = absences.leave_status(emil, first.year).remaining
        absence = absences.request_absence(actor=staff.emil, employee=emil,
                                           kind=AbsenceKind.LEAVE, first_day=first, last_day=last)
        with pytest.raises(NotPermitted):
            absences.decide_absence(actor=staff.lead_b, absence=absence, approve=True)
        absences.decide_absence(actor=staff.lead_a, absence=absence, approve=True)
        after = absences.leave_status(emil, first.year)
        assert before - after.remaining == absence.days > 0


def test_a_closed_month_changes_only_by_an_approved_correction(staff):
    month = last_month()
    day = working_days_of(month, staff.full_time.daily_minutes)[1]
    record_day(staff, staff.emil, day, ("08:00", "12:00"))
    emil = staff.employee(staff.emil)
    with authority_context(staff.authority):
        closing = confirm_month(actor=staff.emil, employee=emil, month=month)
        assert closing.state == ClosingState.CONFIRMED
        close_month(actor=staff.lead_a, closing=closing)
        result = recording.add_entry(actor=staff.emil, employee=emil,
                                    started_at=at(day, "13:00"), ended_at=at(day, "16:00"),
                                    place="office", reason="vergessen")
        assert isinstance(result, Correction)
        assert DayBalance.objects.get(employee=emil, day=day).worked == 240
        recording.decide_correction(actor=staff.lead_a, correction=result, approve=True)
        assert DayBalance.objects.get(employee=emil, day=day).worked == 420


def test_part_time_leave_entitlement_is_scaled(staff):
    paula = staff.employee(staff.paula)
    with authority_context(staff.authority):
        account = absences.leave_account(paula, timezone.localdate().year)
    assert account.entitlement_days == Decimal("18.0")


def test_leave_taken_in_december_lowers_next_years_carry_over_opened_early(staff):
    """A request for January opens next year's account; leave approved later in this
    year still lowers what is carried into it."""
    from datetime import date

    from rathaus.worktime import absences

    emil = staff.employee(staff.emil)
    this_year = timezone.localdate().year
    with authority_context(staff.authority):
        january = absences.request_absence(
            actor=staff.emil, employee=emil, kind=AbsenceKind.LEAVE,
            first_day=date(this_year + 1, 1, 11), last_day=date(this_year + 1, 1, 11))
        before = absences.leave_status(emil, this_year + 1)
        december = absences.request_absence(
            actor=staff.emil, employee=emil, kind=AbsenceKind.LEAVE,
            first_day=date(this_year, 12, 28), last_day=date(this_year, 12, 29))
        absences.decide_absence(actor=staff.lead_a, absence=december, approve=True)
        after = absences.leave_status(emil, this_year + 1)
    assert january.days == 1
    assert before.carried_over - after.carried_over == 2
