"""What the worker tidies up every hour: expired drafts, spent account tokens, reminders
and expiry of third parties' confirmations, rate limit counters of past windows, stored
files that no row points to any more, the open data figures that change with the date,
the working time figures of the days before and working time records past their
retention. Each part is also a function of its own app. Once a night the eAkte's integrity
check runs beside it (`nightly_integrity_check`); every minute the scanner folders are
read (`every_minute`)."""

import datetime
import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from rathaus.accounts.housekeeping import delete_spent_tokens
from rathaus.authorities.models import Authority
from rathaus.cemeteries.housekeeping import write_due_letters
from rathaus.confirmations.housekeeping import expire_confirmations, send_reminders
from rathaus.forms.housekeeping import expire_drafts, sweep_orphan_uploads
from rathaus.intake.housekeeping import read_scans, retry_waiting
from rathaus.mailbox.housekeeping import sweep_orphan_attachments
from rathaus.opendata.publish.housekeeping import expire_uploads, sweep_orphan_store_files
from rathaus.opendata.publish.tasks import enqueue_refresh_everywhere
from rathaus.outbound_email.outbox import forget_old, send_again
from rathaus.rate_limits.counters import delete_expired_counters
from rathaus.records.housekeeping import sweep_orphan_blobs
from rathaus.records.integrity import complete_run, last_run_started, open_runs
from rathaus.worktime.housekeeping import compute_due_balances, delete_expired_records

logger = logging.getLogger(__name__)
# The integrity check reads every stored document: at night, in the first round after
# NIGHTLY_FROM (local time) when none has started since. A worker that was down at two
# o'clock catches up in its first round after.
NIGHTLY_FROM = datetime.time(2, 0)


def tidy_up() -> dict[str, int]:
    done = {
        "expired drafts": expire_drafts(),
        "orphan draft uploads": sweep_orphan_uploads(),
        "spent account tokens": delete_spent_tokens(),
        "confirmation reminders sent": send_reminders(),
        "confirmations expired": expire_confirmations(),
        "expired rate limit counters": delete_expired_counters(),
        "orphan eAkte blobs": sweep_orphan_blobs(),
        "orphan mailbox files": sweep_orphan_attachments(),
        "expired open data uploads": expire_uploads(),
        "orphan open data files": sweep_orphan_store_files(),
        "open data refreshes queued": enqueue_refresh_everywhere(),
        # What scanners write is read every minute (`read_scans`), not here.
        "incoming mail read again": retry_waiting(),
        # Rights of use ended and letters to their holders (idempotent: once per end).
        "cemetery letters written": write_due_letters(),
        # Yesterday's working time figures of everybody (idempotent: once a day, as
        # long as a day's figures are incomplete), and records past their retention.
        "working time day balances computed": compute_due_balances(),
        "expired working time records deleted": delete_expired_records(),
        # The outbox: e-mails whose sending failed go again (each at most once);
        # sent rows (only their Message-ID is left) go after 30 days.
        "unsent e-mails queued again": send_again(),
        "old outbox rows deleted": forget_old(),
    }
    if any(done.values()):
        logger.info("Housekeeping: %s", ", ".join(f"{k} {v}" for k, v in done.items() if v))
    return done


def every_minute() -> dict[str, int]:
    """What the worker does about once a minute besides its tasks: what the scanners
    wrote becomes incoming mail (a clerk looks for a scanned letter right away). Cheap
    when nothing is there: a directory listing."""
    done = {"scanned files taken in": read_scans()}
    if any(done.values()):
        logger.info("Every minute: %s", ", ".join(f"{k} {v}" for k, v in done.items() if v))
    return done


def nightly_integrity_check(*, now: datetime.datetime | None = None,
                            should_stop: Callable[[], bool] = lambda: False) -> int | None:
    """Run the integrity check of every authority if tonight's is due; returns how many
    mismatches it found, or None when it was not due."""
    now = now or timezone.now()
    tonight = _latest_start(now)
    with transaction.atomic():
        # Locking the authorities makes the workers of an installation ask one after
        # the other: only the first finds the check due and opens tonight's runs.
        authorities = list(Authority.objects.select_for_update().order_by("pk"))
        last = last_run_started()
        if last is not None and last >= tonight:
            return None
        runs = open_runs(authorities=authorities, started_at=now)
    return sum(len(complete_run(run, should_stop=should_stop).mismatches) for run in runs)


def _latest_start(now: datetime.datetime) -> datetime.datetime:
    """The most recent NIGHTLY_FROM in the town's time before `now` (yesterday's while
    it is not two o'clock yet)."""
    day = timezone.localtime(now).date()
    start = timezone.make_aware(datetime.datetime.combine(day, NIGHTLY_FROM))
    if start > now:  # the day before, at its own offset (summer time changes at night)
        start = timezone.make_aware(datetime.datetime.combine(
            day - datetime.timedelta(days=1), NIGHTLY_FROM))
    return start
