"""What the worker tidies up every hour: expired drafts, spent account tokens, reminders
and expiry of third parties' confirmations, rate limit counters of past windows, stored
files that no row points to any more, and the open data figures that change with the
date. Each part is also a function of its own app."""

import logging

from rathaus.accounts.housekeeping import delete_spent_tokens
from rathaus.confirmations.housekeeping import expire_confirmations, send_reminders
from rathaus.forms.housekeeping import expire_drafts, sweep_orphan_uploads
from rathaus.intake.housekeeping import read_scans_and_retry_waiting
from rathaus.mailbox.housekeeping import sweep_orphan_attachments
from rathaus.opendata.publish.housekeeping import expire_uploads, sweep_orphan_store_files
from rathaus.opendata.publish.tasks import enqueue_refresh_everywhere
from rathaus.rate_limits.counters import delete_expired_counters
from rathaus.records.housekeeping import sweep_orphan_blobs

logger = logging.getLogger(__name__)


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
        "incoming mail scanned or read again": read_scans_and_retry_waiting(),
    }
    if any(done.values()):
        logger.info("Housekeeping: %s", ", ".join(f"{k} {v}" for k, v in done.items() if v))
    return done
