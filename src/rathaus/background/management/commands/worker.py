import gc
import logging
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connections
from django.utils import timezone

from rathaus.audit.tree_heads import sign_all_heads
from rathaus.background.housekeeping import every_minute, nightly_integrity_check, tidy_up
from rathaus.background.recovery import requeue_abandoned
from rathaus.operations import heartbeat

logger = logging.getLogger(__name__)
HOUSEKEEPING_SECONDS = 3600
HOUSEKEEPING_JOIN_SECONDS = 60


class Command(BaseCommand):
    help = ("Runs the background worker (django-tasks-db's db_worker) and gives tasks of "
            "stopped workers back to the queue, at start and then every minute; tidies up "
            "(expired drafts, orphan files) a minute after start and then every hour; signs "
            "the audit log's tree heads at start and then every RATHAUS_AUDIT_HEAD_SECONDS; "
            "reads the scanner folders into the incoming mail at start and then every "
            "minute; checks the stored documents' hashes once a night.")

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=0.5)
        parser.add_argument("--batch", action="store_true",
                            help="stop when the queue is empty")

    def handle(self, *args, interval, batch, **options):
        # What start-up made lives as long as the worker: the collector's full passes
        # need not go through it again and again (as in rathaus.wsgi).
        gc.freeze()
        requeue_abandoned()
        # Seen from the start, for /readyz; a thread of its own keeps it fresh.
        name = heartbeat.worker_name()
        heartbeat.beat(name, started_at=timezone.now())
        stop = threading.Event()
        watcher = threading.Thread(target=self._watch, args=(stop,), daemon=True)
        watcher.start()
        beater = threading.Thread(target=_beat, args=(stop, name), daemon=True,
                                  name="heartbeat")
        beater.start()
        try:
            # No random start-up delay: it spreads out fleets of workers starting at once,
            # and Rathaus runs one or a few; a restarted worker should start at once.
            arguments = ["--interval", str(interval), "--no-startup-delay"]
            if batch:
                arguments.append("--batch")
            call_command("db_worker", *arguments)
        finally:
            stop.set()
            # A housekeeping round still running finishes before the command returns,
            # so nothing of this worker writes to the database afterwards.
            watcher.join(timeout=HOUSEKEEPING_JOIN_SECONDS)
            beater.join(timeout=HOUSEKEEPING_JOIN_SECONDS)
            try:
                heartbeat.stopped(name)
            except Exception:  # its row grows old; /readyz counts only the newest
                logger.exception("Removing the worker's heartbeat failed.")

    @staticmethod
    def _watch(stop: threading.Event) -> None:
        period = min(60.0, settings.RATHAUS_TASK_LEASE_SECONDS)
        # Heads are signed at start. The hourly round waits a minute: a worker started
        # into a full queue (after a deploy) serves it first, and workers started
        # together do not all tidy up at the same moment.
        next_head, next_housekeeping = 0.0, time.monotonic() + period
        checker = None
        while True:
            # Signed first, so that the hourly refresh of the open data has the head.
            try:
                if time.monotonic() >= next_head:
                    next_head = time.monotonic() + settings.RATHAUS_AUDIT_HEAD_SECONDS
                    sign_all_heads()
            except Exception:  # the next round signs what this one missed
                logger.exception("Signing the audit tree heads failed.")
            finally:
                close_old_connections()
            try:
                if time.monotonic() >= next_housekeeping:
                    tidy_up()
                    next_housekeeping = time.monotonic() + HOUSEKEEPING_SECONDS
                    checker = _start_integrity_check(checker, stop)
            except Exception:  # a failed round is logged and tried again next hour
                logger.exception("Housekeeping failed.")
            finally:
                close_old_connections()
            try:
                every_minute()
            except Exception:  # the files stay in the folder for the next round
                logger.exception("Reading the scanner folders failed.")
            finally:
                close_old_connections()
            if stop.wait(period):
                if checker is not None:  # it stops at the next document
                    checker.join(timeout=HOUSEKEEPING_JOIN_SECONDS)
                return
            try:
                requeue_abandoned()
            finally:
                close_old_connections()


def _beat(stop: threading.Event, name: str) -> None:
    """The heartbeat, in a thread of its own: a long task or housekeeping round does
    not make a working worker look dead to /readyz."""
    period = min(60.0, settings.RATHAUS_TASK_LEASE_SECONDS)
    while not stop.wait(period):
        try:
            heartbeat.beat(name)
        except Exception:  # the next round tries again; /readyz allows for three
            logger.exception("Writing the worker's heartbeat failed.")
        finally:
            close_old_connections()
    connections.close_all()  # this thread's own connection


def _start_integrity_check(running: threading.Thread | None, stop: threading.Event
                           ) -> threading.Thread:
    """The nightly integrity check, in a thread of its own: reading every stored
    document can take hours, while the heads are signed and abandoned tasks requeued
    every few minutes. It asks whether it is due; at most one runs per worker."""
    if running is not None and running.is_alive():
        return running
    checker = threading.Thread(target=_check_integrity, args=(stop,), daemon=True,
                               name="integrity-check")
    checker.start()
    return checker


def _check_integrity(stop: threading.Event) -> None:
    try:
        nightly_integrity_check(should_stop=stop.is_set)
    except Exception:  # the next round tries again; the run stays unfinished
        logger.exception("The integrity check failed.")
    finally:
        connections.close_all()  # this thread's own connection
