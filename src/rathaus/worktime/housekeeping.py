"""The worker's part for working time, in every authority that records it: the day
figures of the days just past (the daily balance run) and the deletion of records whose
retention has run out. Both are idempotent and cheap when nothing is due: a few counts
and one indexed look per authority, every hour.

The daily run is due for a day when fewer day balances exist for it than employees
recording then: a day on which somebody clocked has some of its figures already (each
change recomputes its days), a day nobody touched has none. The last `CATCH_UP_DAYS`
are looked at, so a worker that was down for a few days catches up by itself; longer
gaps take `rathaus worktime_balances --since …`.
"""

from collections import Counter
from datetime import date, datetime, timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from rathaus.audit.services import record
from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context

from . import balances, rules
from .absences import carried_over
from .models import (
    Absence,
    Agreement,
    Correction,
    DayBalance,
    Employee,
    Entry,
    EntryRevision,
    LeaveAccount,
    MonthClosing,
)

CATCH_UP_DAYS = 7


# --- The daily balance run ---------------------------------------------------------------

def compute_due_balances(*, today: date | None = None) -> int:
    """Computes each of the last CATCH_UP_DAYS days before `today` whose figures are
    incomplete, in every authority; returns how many day balances were written."""
    today = today or timezone.localdate()
    written = 0
    for authority in Authority.objects.order_by("pk"):
        with authority_context(authority):
            if not Employee.objects.exists():
                continue
            for back in range(CATCH_UP_DAYS, 0, -1):
                day = today - timedelta(days=back)
                if balances_missing(day):
                    written += balances.run_daily_balances(day)
    return written


def balances_missing(day: date) -> bool:
    """Fewer day balances of `day` in the active authority than employees recording
    then (both counts read one index)."""
    recording = Employee.objects.filter(starts_on__lte=day).count()
    return recording > 0 and DayBalance.objects.filter(day=day).count() < recording


def compute_range(first: date, last: date, *, batch: int = 100) -> int:
    """The figures of every employee of the active authority from `first` to `last`
    (catching up, or after a change of the rules), `batch` employees at a time."""
    employees = (Employee.objects.filter(starts_on__lte=last).select_related("time_model")
                 .order_by("pk"))
    last = min(last, timezone.localdate())
    written = 0
    for offset in range(0, employees.count(), batch):
        with transaction.atomic():
            written += balances.compute_balances(employees[offset:offset + batch], first, last)
    return written


# --- Retention ---------------------------------------------------------------------------

def delete_expired_records(*, today: date | None = None) -> int:
    """Deletes, in every authority, the working time records of the years whose
    retention (`Agreement.retention_years` after the year's end) has run out; returns
    how many rows went."""
    today = today or timezone.localdate()
    deleted = 0
    for authority in Authority.objects.order_by("pk"):
        with authority_context(authority):
            settings = Agreement.objects.first()
            if settings is not None:
                deleted += delete_expired_of_authority(settings, today=today)
    return deleted


def retention_cutoff(settings: Agreement, today: date) -> date:
    """The first day still kept: a year ends on 31 December and is kept for
    `retention_years` after, so with two years everything before 2024 goes in 2026."""
    return date(today.year - settings.retention_years, 1, 1)


@transaction.atomic
def delete_expired_of_authority(settings: Agreement, *, today: date) -> int:
    """The active authority's records before the cutoff, with one audit entry of how
    many of each kind went (no names). The day balances deleted are added to each
    employee's opening balance and recording starts at the cutoff, so that the
    flexitime balance stays as it was and no day before is computed again."""
    cutoff = retention_cutoff(settings, today)
    moment = datetime.combine(cutoff, datetime.min.time(), rules.local_zone())
    # Children before their parents: each count is of its own rows only.
    expired = {
        "revisions": EntryRevision.objects.filter(entry__started_at__lt=moment),
        "corrections": Correction.objects.filter(Q(started_at__lt=moment)
                                                 | Q(entry__started_at__lt=moment)),
        "entries": Entry.objects.filter(started_at__lt=moment),
        "absences": Absence.objects.filter(last_day__lt=cutoff),
        "day_balances": DayBalance.objects.filter(day__lt=cutoff),
        "leave_accounts": LeaveAccount.objects.filter(year__lt=cutoff.year),
        "month_closings": MonthClosing.objects.filter(month__lt=cutoff),
    }
    if not any(rows.exists() for rows in expired.values()):
        return 0
    _carry_balances_forward(cutoff)
    _freeze_carry_over(cutoff)
    sheets = set(expired["month_closings"].exclude(sheet_blob="")
                 .values_list("sheet_blob", flat=True))
    counts = Counter()
    for kind, rows in expired.items():
        counts[kind] = rows.delete()[0]
    counts["sheets"] = len(sheets)
    record("worktime.records_deleted", data={"before": cutoff.isoformat(),
                                             "retention_years": settings.retention_years,
                                             **counts})
    transaction.on_commit(lambda: delete_unreferenced_sheets(sheets))
    return sum(count for kind, count in counts.items() if kind != "sheets")


def _carry_balances_forward(cutoff: date) -> None:
    deltas = dict(DayBalance.objects.filter(day__lt=cutoff).values("employee")
                  .annotate(s=Sum("delta")).values_list("employee", "s"))
    for employee in Employee.objects.filter(starts_on__lt=cutoff):
        employee.opening_balance_minutes += deltas.get(employee.pk) or 0
        employee.starts_on = cutoff
        employee.save(update_fields=["opening_balance_minutes", "starts_on"])


def _freeze_carry_over(cutoff: date) -> None:
    """The first year kept stores what was carried into it, read while the year before
    is still there: afterwards `carried_over` has only the stored figure."""
    for account in LeaveAccount.objects.filter(year=cutoff.year).select_related(
            "employee__time_model"):
        account.carried_over_days = carried_over(account.employee, account)
        account.save(update_fields=["carried_over_days"])


def delete_unreferenced_sheets(names: set[str]) -> int:
    """Deletes the stored sheets among `names` that nothing else points to any more
    (blobs are content-addressed and may be shared); returns how many went."""
    from rathaus.records.housekeeping import referenced_among

    if not names:
        return 0
    gone = 0
    for name in names - referenced_among(set(names)):
        if default_storage.exists(name):
            default_storage.delete(name)
            gone += 1
    return gone


def sheet_blob_names():
    """The stored sheets of every authority: the eAkte's sweep of orphan blobs leaves
    them alone (registered in apps.py)."""
    return (MonthClosing.all_authorities.exclude(sheet_blob="")
            .values_list("sheet_blob", flat=True).iterator())
