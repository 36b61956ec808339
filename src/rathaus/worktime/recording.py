"""Recording working time: clocking in and out (on the web, or queued offline on the
phone and sent later), entering forgotten work afterwards, changing and removing
entries, every version kept in `EntryRevision`. In a closed month a change becomes a
`Correction` that the team lead decides. Each change is one transaction with its audit
entry (the employee named by personnel number, never a clock time) and recomputes the
days it touches."""

import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.permissions import guarded_by
from rathaus.audit.services import record

from .balances import recompute_days
from .closing import is_closed, rewrite_closed_months
from .errors import WorktimeError
from .models import Correction, Decision, Employee, Entry, EntryRevision, Place, Source
from .permissions import is_the_employee, may_change_entry, may_decide_correction
from .rules import local_day

# A clock event sent later from the phone's queue may be this old, no older: beyond,
# the employee enters the time as a correction with a reason.
OFFLINE_MAX_AGE = timedelta(days=7)
CLOCK_SKEW = timedelta(minutes=2)  # a phone's clock a little ahead is not "the future"


# --- Clocking in and out ----------------------------------------------------------------

def _moment(at: datetime | None, *, offline: bool) -> datetime:
    now = timezone.now()
    if at is None or not offline:
        return now
    if at > now + CLOCK_SKEW:
        raise WorktimeError(_("The time sent lies in the future. Please check the phone's clock."))
    if at < now - OFFLINE_MAX_AGE:
        raise WorktimeError(_("The time sent is more than seven days old. Please enter it "
                              "as a correction with a reason."))
    return min(at, now)


def _keep_revision(entry: Entry, *, actor, reason: str = "") -> None:
    EntryRevision.objects.create(
        entry=entry, version=entry.version, started_at=entry.started_at,
        ended_at=entry.ended_at, place=entry.place, removed=entry.removed,
        reason=reason, changed_by=actor)


@guarded_by(is_the_employee)
@transaction.atomic
def clock_in(*, actor, employee: Employee, client_id: uuid.UUID, place: str = Place.OFFICE,
             at: datetime | None = None, offline: bool = False) -> tuple[Entry, bool]:
    """Start a stretch of work. Sending the same `client_id` again (a queued event
    resent) returns the entry it made, and False."""
    existing = Entry.objects.filter(client_id=client_id).first()
    if existing is not None:
        return _own(existing, employee), False
    started = _moment(at, offline=offline)
    if is_closed(employee, local_day(started)):
        raise WorktimeError(_("This month is closed. Please request a correction."))
    if Entry.objects.select_for_update().filter(employee=employee, ended_at=None,
                                                removed=False).exists():
        raise WorktimeError(_("You are clocked in already. Clock out first."))
    if Entry.objects.filter(employee=employee, removed=False, started_at__lte=started,
                            ended_at__gt=started).exists():
        raise WorktimeError(_("This time lies within work already recorded."))
    entry = Entry.objects.create(
        employee=employee, started_at=started, place=place, client_id=client_id,
        source=Source.OFFLINE if offline else Source.WEB)
    _keep_revision(entry, actor=actor)
    record("worktime.clocked_in", actor=actor, target=entry,
           data={"employee": employee.personnel_number, "offline": offline})
    return entry, True


@guarded_by(is_the_employee)
@transaction.atomic
def clock_out(*, actor, employee: Employee, client_id: uuid.UUID, at: datetime | None = None,
              offline: bool = False) -> tuple[Entry, bool]:
    """End the open stretch of work; a resent `client_id` returns it, and False."""
    existing = Entry.objects.filter(end_client_id=client_id).first()
    if existing is not None:
        return _own(existing, employee), False
    entry = (Entry.objects.select_for_update()
             .filter(employee=employee, ended_at=None, removed=False).first())
    if entry is None:
        raise WorktimeError(_("You are not clocked in."))
    ended = _moment(at, offline=offline)
    if ended <= entry.started_at:
        raise WorktimeError(_("Clocking out must come after clocking in."))
    entry.ended_at, entry.end_client_id = ended, client_id
    entry.version += 1
    entry.save(update_fields=["ended_at", "end_client_id", "version"])
    _keep_revision(entry, actor=actor)
    record("worktime.clocked_out", actor=actor, target=entry,
           data={"employee": employee.personnel_number, "offline": offline})
    _recompute_around(employee, entry.started_at, ended)
    return entry, True


def _own(entry: Entry, employee: Employee) -> Entry:
    if entry.employee_id != employee.pk:  # someone else's id: not theirs to know about
        raise WorktimeError(_("This entry could not be saved. Please try again."))
    return entry


def _recompute_around(employee: Employee, start: datetime, end: datetime) -> None:
    # The day before too: a shift across midnight belongs to the day it began.
    recompute_days(employee, local_day(start) - timedelta(days=1), local_day(end))


# --- Entries afterwards, and corrections ------------------------------------------------

def _check_times(employee: Employee, started: datetime, ended: datetime,
                 *, ignore: Entry | None = None) -> None:
    if ended <= started:
        raise WorktimeError(_("The end must come after the start."))
    if ended - started > timedelta(hours=24):
        raise WorktimeError(_("An entry cannot be longer than 24 hours."))
    if ended > timezone.now() + CLOCK_SKEW:
        raise WorktimeError(_("Working time cannot be entered in advance."))
    overlapping = Entry.objects.filter(employee=employee, removed=False,
                                       started_at__lt=ended).exclude(ended_at__lte=started)
    if ignore is not None:
        overlapping = overlapping.exclude(pk=ignore.pk)
    if overlapping.exists():
        raise WorktimeError(_("This time overlaps another entry."))


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise WorktimeError(_("Please give a reason for the change."))
    return reason[:300]


@guarded_by(is_the_employee)
@transaction.atomic
def add_entry(*, actor, employee: Employee, started_at: datetime, ended_at: datetime,
              place: str, reason: str) -> Entry | Correction:
    """Enter forgotten work afterwards. In a closed month it becomes a correction that
    waits for the team lead."""
    reason = _reason(reason)
    _check_times(employee, started_at, ended_at)
    if is_closed(employee, local_day(started_at)):
        return _request_correction(actor, employee, None, started_at, ended_at, place,
                                   reason, remove=False)
    entry = Entry.objects.create(employee=employee, started_at=started_at, ended_at=ended_at,
                                 place=place, source=Source.CORRECTION)
    _keep_revision(entry, actor=actor, reason=reason)
    record("worktime.entry_added", actor=actor, target=entry,
           data={"employee": employee.personnel_number})
    _recompute_around(employee, started_at, ended_at)
    return entry


@guarded_by(may_change_entry)
@transaction.atomic
def change_entry(*, actor, entry: Entry, started_at: datetime, ended_at: datetime, place: str,
                 reason: str) -> Entry | Correction:
    reason = _reason(reason)
    employee = entry.employee
    _check_times(employee, started_at, ended_at, ignore=entry)
    if any(is_closed(employee, local_day(moment)) for moment in (entry.started_at, started_at)):
        return _request_correction(actor, employee, entry, started_at, ended_at, place,
                                   reason, remove=False)
    return _apply_change(entry, actor=actor, started_at=started_at, ended_at=ended_at,
                         place=place, removed=False, reason=reason)


@guarded_by(may_change_entry)
@transaction.atomic
def remove_entry(*, actor, entry: Entry, reason: str) -> Entry | Correction:
    reason = _reason(reason)
    if entry.ended_at is None:
        raise WorktimeError(_("Clock out first; then the entry can be removed."))
    if is_closed(entry.employee, local_day(entry.started_at)):
        return _request_correction(actor, entry.employee, entry, entry.started_at,
                                   entry.ended_at, entry.place, reason, remove=True)
    return _apply_change(entry, actor=actor, started_at=entry.started_at,
                         ended_at=entry.ended_at, place=entry.place, removed=True, reason=reason)


def _apply_change(entry: Entry, *, actor, started_at, ended_at, place, removed, reason) -> Entry:
    before = (entry.started_at, entry.ended_at or entry.started_at)
    entry.started_at, entry.ended_at = started_at, ended_at
    entry.place, entry.removed = place, removed
    entry.version += 1
    entry.save(update_fields=["started_at", "ended_at", "place", "removed", "version"])
    _keep_revision(entry, actor=actor, reason=reason)
    record("worktime.entry_removed" if removed else "worktime.entry_changed", actor=actor,
           target=entry, data={"employee": entry.employee.personnel_number,
                               "version": entry.version})
    _recompute_around(entry.employee, min(before[0], started_at), max(before[1], ended_at))
    return entry


def _request_correction(actor, employee, entry, started_at, ended_at, place, reason, *,
                        remove: bool) -> Correction:
    correction = Correction.objects.create(
        employee=employee, entry=entry, started_at=started_at, ended_at=ended_at,
        place=place, remove=remove, reason=reason)
    record("worktime.correction_requested", actor=actor, target=correction,
           data={"employee": employee.personnel_number})
    return correction


@guarded_by(may_decide_correction)
@transaction.atomic
def decide_correction(*, actor, correction: Correction, approve: bool) -> Correction:
    """The team lead approves (the change is made, the month's sheet written again) or
    declines a correction of a closed month."""
    correction = Correction.objects.select_for_update().get(pk=correction.pk)
    if correction.state != Decision.REQUESTED:
        raise WorktimeError(_("This correction has been decided already."))
    if approve:
        employee = correction.employee
        if correction.entry is None:
            _check_times(employee, correction.started_at, correction.ended_at)
            entry = Entry.objects.create(employee=employee, started_at=correction.started_at,
                                         ended_at=correction.ended_at, place=correction.place,
                                         source=Source.CORRECTION)
            _keep_revision(entry, actor=actor, reason=correction.reason)
            _recompute_around(employee, entry.started_at, entry.ended_at)
        else:
            if not correction.remove:
                _check_times(employee, correction.started_at, correction.ended_at,
                             ignore=correction.entry)
            entry = _apply_change(correction.entry, actor=actor,
                                  started_at=correction.started_at,
                                  ended_at=correction.ended_at, place=correction.place,
                                  removed=correction.remove, reason=correction.reason)
        rewrite_closed_months(employee, {local_day(correction.started_at),
                                          local_day(entry.started_at)})
    correction.state = Decision.APPROVED if approve else Decision.DECLINED
    correction.decided_by, correction.decided_at = actor, timezone.now()
    correction.save(update_fields=["state", "decided_by", "decided_at"])
    record("worktime.correction_decided", actor=actor, target=correction,
           data={"employee": correction.employee.personnel_number, "approved": approve})
    return correction
