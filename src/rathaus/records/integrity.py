"""The integrity check of the eAkte (issue 17, point 3): every stored document version
is streamed through its SHA-256 and compared with the hash recorded when it was filed.

Each authority's check is one `IntegrityRun`, written as it goes (a run without
`finished_at` was stopped or is still going). A version whose blob is missing or whose
bytes changed is listed in the run, gets an audit entry of its own and an error in the
log. Versions are read in batches of `BATCH_SIZE` and blobs in chunks, so memory stays
the same whether an authority holds a thousand documents or a million. The worker runs
it once a night (`background.housekeeping.nightly_integrity_check`); `rathaus
check_integrity` runs it at once.
"""

import logging
from collections.abc import Callable, Iterable, Iterator

from django.db import transaction
from django.utils import timezone

from rathaus.accounts.permissions import unguarded
from rathaus.audit.services import record
from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context

from .blobs import blob_problem
from .models import DocumentVersion, IntegrityRun

logger = logging.getLogger(__name__)
BATCH_SIZE = 500


@unguarded("the nightly job and `rathaus check_integrity`: no person acts, and the "
           "runs name versions and Aktenzeichen only")
def check_integrity(
    *, authority: Authority | None = None, should_stop: Callable[[], bool] = lambda: False,
) -> list[IntegrityRun]:
    """Check every document version of `authority`, or of every authority; returns the
    runs written."""
    authorities = [authority] if authority else Authority.objects.order_by("pk")
    return [complete_run(run, should_stop=should_stop)
            for run in open_runs(authorities=authorities)]


@unguarded("called by check_integrity and the worker's nightly round only")
def open_runs(*, authorities: Iterable[Authority], started_at=None) -> list[IntegrityRun]:
    """One run, not yet checked, for each authority."""
    started_at = started_at or timezone.now()
    runs = []
    for authority in authorities:
        with authority_context(authority):
            runs.append(IntegrityRun.objects.create(started_at=started_at))
    return runs


@unguarded("called by check_integrity and the worker's nightly round only")
def complete_run(run: IntegrityRun, *, should_stop: Callable[[], bool] = lambda: False
                 ) -> IntegrityRun:
    """Check the versions of the run's authority. `should_stop` is asked between
    versions: a worker shutting down leaves the run unfinished rather than waiting."""
    with authority_context(run.authority):
        for batch in _versions_in_batches():
            for version in batch:
                if should_stop():
                    run.save(update_fields=["checked", "mismatches"])
                    return run
                problem = blob_problem(version.storage_name, sha256=version.sha256)
                if problem:
                    _report(run, version, problem)
                run.checked += 1
            run.save(update_fields=["checked", "mismatches"])  # progress, and the list
        run.finished_at = timezone.now()
        run.save(update_fields=["checked", "mismatches", "finished_at"])
    if run.mismatches:
        logger.error("Integrity check of %s: %d of %d document versions do not match "
                     "their hash.", run.authority.slug, len(run.mismatches), run.checked)
    return run


@unguarded("a read for the worker's nightly round")
def last_run_started():
    """When the most recent run of any authority started, or None."""
    return (IntegrityRun.all_authorities.order_by("-started_at")
            .values_list("started_at", flat=True).first())


def _versions_in_batches() -> Iterator[list[DocumentVersion]]:
    # Keyset pagination: no cursor held open for hours, and each batch a quick query.
    last_pk = 0
    while True:
        batch = list(
            DocumentVersion.objects.filter(pk__gt=last_pk).order_by("pk")
            .select_related("document__case_file")
            .only("pk", "uuid", "storage_name", "sha256", "document__case_file__aktenzeichen")
            [:BATCH_SIZE])
        if not batch:
            return
        yield batch
        last_pk = batch[-1].pk


def _report(run: IntegrityRun, version: DocumentVersion, problem: str) -> None:
    mismatch = {"version": str(version.uuid),
                "aktenzeichen": version.document.case_file.aktenzeichen,
                "problem": problem}
    run.mismatches.append(mismatch)
    with transaction.atomic():
        record("records.integrity_mismatch", target=version,
               data={**mismatch, "sha256": version.sha256, "run": run.pk})
    logger.error("Document version %s (%s) is %s in storage.", mismatch["version"],
                 mismatch["aktenzeichen"], problem)
