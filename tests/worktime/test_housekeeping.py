"""The worker's part: the daily balance run (and catching up by command), and the
deletion of records past their retention, sheets included."""

import os
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from rathaus.audit.models import AuditEntry
from rathaus.authorities.tenancy import authority_context
from rathaus.records.blobs import store_blob
from rathaus.records.housekeeping import sweep_orphan_blobs
from rathaus.worktime import absences, balances, housekeeping, recording
from rathaus.worktime.models import (
    Absence,
    AbsenceKind,
    Agreement,
    ClosingState,
    Correction,
    DayBalance,
    Decision,
    Employee,
    Entry,
    EntryRevision,
    LeaveAccount,
    MonthClosing,
    Team,
    TimeModel,
)
from tests.factories import make_authority

from .conftest import at, make_person, record_day

pytestmark = pytest.mark.django_db

CHRISTMAS_EVE = date(2025, 12, 24)  # a Wednesday, no public holiday in NRW
CHRISTMAS = date(2025, 12, 25)


def _figures(staff, user, day):
    with authority_context(staff.authority):
        return DayBalance.objects.get(employee__user=user, day=day)


# --- The daily balance run -----------------------------------------------------------------

def test_the_daily_run_gives_a_day_without_entries_its_target_as_a_minus(staff):
    record_day(staff, staff.emil, CHRISTMAS_EVE, ("07:00", "12:00"), ("12:30", "16:00"))
    written = housekeeping.compute_due_balances(today=date(2025, 12, 26))
    assert written == 6 * housekeeping.CATCH_UP_DAYS  # six employees, the last seven days
    assert _figures(staff, staff.paula, CHRISTMAS_EVE).delta == -480  # part-time, Mon–Wed
    assert _figures(staff, staff.olga, CHRISTMAS_EVE).delta == -468
    assert _figures(staff, staff.emil, CHRISTMAS_EVE).delta == 510 - 468  # as recorded
    holiday = _figures(staff, staff.olga, CHRISTMAS)
    assert (holiday.target, holiday.delta) == (0, 0)
    # Due once: a second round finds every day complete.
    assert housekeeping.compute_due_balances(today=date(2025, 12, 26)) == 0


def test_the_daily_run_catches_up_a_day_whose_figures_are_incomplete(staff):
    with authority_context(staff.authority):
        balances.run_daily_balances(CHRISTMAS_EVE)
        DayBalance.objects.filter(employee__user=staff.olga, day=CHRISTMAS_EVE).delete()
        assert housekeeping.balances_missing(CHRISTMAS_EVE)
    housekeeping.compute_due_balances(today=CHRISTMAS_EVE + timedelta(days=1))
    assert _figures(staff, staff.olga, CHRISTMAS_EVE).delta == -468


def test_an_authority_without_employees_gets_no_agreement_from_the_run(town):
    housekeeping.compute_due_balances()
    with authority_context(town):
        assert not Agreement.objects.exists()


def test_the_command_computes_a_range_for_everybody(staff, capsys):
    call_command("worktime_balances", "--since", "2025-12-01", "--authority", "leichlingen")
    assert "day balances" in capsys.readouterr().out
    with authority_context(staff.authority):
        yesterday = timezone.localdate() - timedelta(days=1)
        days = (yesterday - date(2025, 12, 1)).days + 1
        assert DayBalance.objects.filter(day__gte=date(2025, 12, 1)).count() == 6 * days
    assert _figures(staff, staff.emil, CHRISTMAS).delta == 0
    assert _figures(staff, staff.emil, CHRISTMAS_EVE).delta == -468


def test_the_command_computes_one_day_and_refuses_nonsense(staff):
    call_command("worktime_balances", "--day", "2025-12-24", verbosity=0)
    with authority_context(staff.authority):
        assert set(DayBalance.objects.values_list("day", flat=True)) == {CHRISTMAS_EVE}
    for arguments in (["--day", "24.12.2025"], ["--day", "2025-12-24", "--since", "2025-12-01"],
                      ["--authority", "nowhere"],
                      ["--day", (timezone.localdate() + timedelta(days=3)).isoformat()]):
        with pytest.raises(CommandError):
            call_command("worktime_balances", *arguments)


# --- Retention -----------------------------------------------------------------------------

OLD_DAY = date(2024, 3, 5)  # a Tuesday of 2024: gone in 2027 with two years' retention
KEPT_DAY = date(2025, 3, 4)  # a Tuesday of 2025: kept
IN_2027 = date(2027, 1, 10)


def _aged(name: str) -> None:
    then = time.time() - 3 * 86400
    os.utime(Path(settings.MEDIA_ROOT) / name, (then, then))


def _records_of_a_day(staff, day: date, sheet: bytes) -> str:
    """Emil's entries (one changed), a correction, an absence, a closed month with its
    sheet and a leave account in the year of `day`; returns the sheet's storage name."""
    emil = staff.employee(staff.emil)
    record_day(staff, staff.emil, day, ("07:00", "12:00"), ("12:30", "16:00"))
    with authority_context(staff.authority):
        entry = Entry.objects.filter(employee=emil, started_at__gte=at(day, "00:00")).first()
        recording.change_entry(actor=staff.emil, entry=entry, started_at=at(day, "07:15"),
                               ended_at=entry.ended_at, place="office", reason="Zug verspätet")
        Correction.objects.create(employee=emil, started_at=at(day, "17:00"),
                                  ended_at=at(day, "18:00"), reason="vergessen")
        Absence.objects.create(employee=emil, kind=AbsenceKind.LEAVE, first_day=day +
                               timedelta(days=1), last_day=day + timedelta(days=2),
                               days=Decimal(2), state=Decision.APPROVED)
        absences.leave_account(emil, day.year)
        name, sha256 = store_blob(sheet, authority_slug=staff.authority.slug)
        MonthClosing.objects.create(employee=emil, month=day.replace(day=1),
                                    state=ClosingState.CLOSED, sheet_blob=name,
                                    sheet_sha256=sha256, sheet_version=1)
    _aged(name)
    return name


def test_records_past_their_retention_go_with_their_sheets_and_younger_ones_stay(
        staff, django_capture_on_commit_callbacks):
    old_sheet = _records_of_a_day(staff, OLD_DAY, b"%PDF-1.7 sheet of March 2024")
    kept_sheet = _records_of_a_day(staff, KEPT_DAY, b"%PDF-1.7 sheet of March 2025")
    emil = staff.employee(staff.emil)
    with authority_context(staff.authority):
        balance = balances.balance_until(emil, KEPT_DAY + timedelta(days=1))
        old_balances = DayBalance.objects.filter(day__lt=date(2025, 1, 1)).count()
        assert old_balances
    # The eAkte's sweep leaves every sheet a closing points to alone, however old.
    assert sweep_orphan_blobs() == 0

    with django_capture_on_commit_callbacks(execute=True):
        deleted = housekeeping.delete_expired_records(today=IN_2027)
    assert deleted > 0
    root = Path(settings.MEDIA_ROOT)
    assert not (root / old_sheet).exists()
    assert (root / kept_sheet).exists()
    with authority_context(staff.authority):
        cutoff = date(2025, 1, 1)
        assert not Entry.objects.filter(started_at__lt=at(cutoff, "00:00")).exists()
        assert not EntryRevision.objects.filter(started_at__lt=at(cutoff, "00:00")).exists()
        assert not Correction.objects.filter(started_at__lt=at(cutoff, "00:00")).exists()
        assert not Absence.objects.filter(last_day__lt=cutoff).exists()
        assert not DayBalance.objects.filter(day__lt=cutoff).exists()
        assert not LeaveAccount.objects.filter(year__lt=2025).exists()
        assert list(MonthClosing.objects.values_list("month", flat=True)) == [date(2025, 3, 1)]
        assert Entry.objects.filter(started_at__gte=at(KEPT_DAY, "00:00")).count() == 2
        assert Correction.objects.count() == 1 and Absence.objects.count() == 1
        assert EntryRevision.objects.count() == 3  # two entries, one changed once
        assert LeaveAccount.objects.filter(year=2025).exists()
        # The balance stays as it was: what went is carried in as the opening balance.
        emil.refresh_from_db()
        assert emil.starts_on == cutoff
        assert balances.balance_until(emil, KEPT_DAY + timedelta(days=1)) == balance
        audit = AuditEntry.objects.get(action="worktime.records_deleted")
        assert audit.data["day_balances"] == old_balances
        assert audit.data["entries"] == 2 and audit.data["sheets"] == 1
        assert "Emil" not in str(audit.data)
    # Again: nothing is due, nothing is recorded.
    assert housekeeping.delete_expired_records(today=IN_2027) == 0
    with authority_context(staff.authority):
        assert AuditEntry.objects.filter(action="worktime.records_deleted").count() == 1


def test_the_retention_of_another_authority_is_its_own(staff):
    _records_of_a_day(staff, OLD_DAY, b"%PDF-1.7 the town's sheet")
    other = make_authority("burscheid", name="Stadt Burscheid", host="burscheid.localhost")
    person, _device = make_person(other, "bea.burscheid@burscheid.example", "Bea", "Burscheid",
                                  [])
    with authority_context(other):
        Agreement.objects.create(retention_years=10)
        model = TimeModel.objects.create(name="Vollzeit", monday=480)
        team = Team.objects.create(name="Rathaus")
        employee = Employee.objects.create(user=person, team=team, time_model=model,
                                           personnel_number="1", starts_on=date(2024, 1, 1))
        Entry.objects.create(employee=employee, started_at=at(OLD_DAY, "08:00"),
                             ended_at=at(OLD_DAY, "12:00"))
        DayBalance.objects.create(employee=employee, day=OLD_DAY, target=480, worked=240,
                                  delta=-240)
    housekeeping.delete_expired_records(today=IN_2027)
    with authority_context(other):
        assert Entry.objects.count() == 1 and DayBalance.objects.count() == 1
        assert Employee.objects.get().starts_on == date(2024, 1, 1)
    with authority_context(staff.authority):
        assert not Entry.objects.exists()
