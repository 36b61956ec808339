"""Dog tax notices issued by the background workers: notices/s, end to end.

Each notice is the `issue_decision` task of an approved Hundeanmeldung: the dog in
the register with its tax tag number, the assessment, for SEPA payers the mandate,
the Steuerbescheid as PDF/A-2b with its GiroCode (Typst), filed in the eAkte,
and delivered encrypted into the citizen's mailbox with the signed "sent" and
"delivered" receipts, the audit entries and the notification e-mail enqueued; all in
one transaction per case.

How it is measured:

1. A fresh instance (`rathaus setup`) on a scratch PostgreSQL database (default;
   BENCH_DATABASE=sqlite for SQLite in the temp dir), with TASK_BACKEND=database.
2. N approved cases, prepared through the services in a child process: citizens,
   drafts filled in through the form engine's validation, `submit_application`, then
   `propose_decision` by one clerk of the Steueramt and `confirm_decision` by a second
   (four eyes), which enqueues `issue_decision` in the database queue. To keep the
   preparation short, the submission's receipt PDF is rendered once and reused for
   all cases (the notice task does not read it). Half of the citizens pay by
   transfer (notice with GiroCode), half by SEPA direct debit.
3. 2 worker processes are started: `rathaus worker` if the project has that command,
   else `rathaus db_worker --interval 0.05 --no-startup-delay` (claims with SELECT …
   FOR UPDATE SKIP LOCKED on PostgreSQL). The clock starts when the first worker is
   spawned, so interpreter and Django start-up and each worker's first Typst
   set-up (fonts) count; it stops at the last `issue_decision` finishing (its
   finished_at, found by polling the queue every 0.1 s). The rate between the first
   task starting and the last finishing is shown as well.
4. Afterwards the database is checked: every task SUCCESSFUL, exactly N notice
   documents, N mailbox messages with one attachment each, 2N receipts (sent and
   delivered per message), N dogs with distinct tax tag numbers; the audit chain
   verifies. The run is bounded: after max(60 s, N × 1 s) the workers are stopped,
   and what the finished tasks left behind is still checked for consistency.

N is 30/s × --duration (default 10 s → 300), at least 60, at most 2000, or
BENCH_NOTICES=N.
"""

import os
from contextlib import ExitStack

import _instance
from _instance import (
    create_citizens,
    dog_registration_pages,
    drain_with_workers,
    postgres_server,
    run_child,
    worker_command,
)

TARGET_RATE = 30.0  # notices/s
WORKERS = 2
MIN_NOTICES, MAX_NOTICES = 60, 2000
POLL_SECONDS = 0.1
TASK_PATH = "rathaus.cases.tasks.issue_decision"
PASSWORD = "Bench-Passwort-2026!"
SERVICE = "hundeanmeldung"
PREFIX = "bench-notice"  # of the citizens' e-mail addresses
CLERK, SECOND = "max.mustermann@leichlingen.example", "erika.mustermann@leichlingen.example"


def _notice_count(options) -> int:
    if os.environ.get("BENCH_NOTICES"):
        return int(os.environ["BENCH_NOTICES"])
    return max(MIN_NOTICES, min(MAX_NOTICES, round(TARGET_RATE * float(options.duration))))


def run(options) -> list[dict]:
    n = _notice_count(options)
    server_url = postgres_server(options)
    load_before = os.getloadavg()[0]  # before our own setup adds to it
    database = "postgresql" if server_url else "sqlite"
    with ExitStack() as stack:  # unwinds in reverse: workers, database, temp dir
        tmp, env = _instance.queued_instance(stack, server_url, name="notices")

        print(f"   preparing {n} approved cases …", flush=True)
        prepared, prepare_seconds = _instance.prepare_tasks(
            __file__, n, env, tmp, timeout=60 + 2 * n, what="issue_decision")
        command = prepared["worker_command"]
        print(f"   {WORKERS} × `rathaus {' '.join(command)}` …", flush=True)
        drained = drain_with_workers(stack, env, tmp, command, workers=WORKERS,
                                     task_paths=(TASK_PATH,), n=n,
                                     poll_seconds=POLL_SECONDS)
        spawned_at, locks = drained["spawned_at"], drained["locks"]
        first_start, last_finish = drained["first_start"], drained["last_finish"]
        worker_cpu, db_cpu = drained["worker_cpu"], drained["db_cpu"]
        load_after, timed_out = drained["load_after"], drained["timed_out"]
        check = run_child(__file__, ["verify", str(n)], env, tmp, timeout=300)

    done = check["tasks"].get("SUCCESSFUL", 0)
    elapsed = (last_finish - spawned_at) if last_finish else 0.0
    rate = done / elapsed if elapsed > 0 else 0.0
    steady = (last_finish - first_start) if first_start and last_finish else 0.0
    steady_rate = done / steady if steady > 0 else 0.0
    startup = (first_start - spawned_at) if first_start else 0.0
    print(f"   prepared in {prepare_seconds:.0f} s; {done}/{n} notices in {elapsed:.1f} s "
          f"= {rate:.1f}/s (steady {steady_rate:.1f}/s, first task after {startup:.1f} s); "
          f"worker CPU {worker_cpu * 1000 / max(1, done):.0f} ms/notice", flush=True)
    if timed_out:
        print(f"   STOPPED: time bound reached with {done} of {n} done", flush=True)
    for problem in check["problems"] + check["audit_findings"][:5]:
        print(f"   PROBLEM: {problem}", flush=True)
    tasks_ok = check["tasks"] == {"SUCCESSFUL": n}
    complete = check["notices"] == check["messages"] == n and check["receipts"] == 2 * n
    per_notice = max(1, done)
    return [
        {"metric": "setup",
         "value": f"{database}, {WORKERS} × rathaus {' '.join(command)}, {n} notices "
                  f"({n - n // 2} transfer with GiroCode, {n // 2} SEPA)"},
        # Other processes on the machine slow the workers down; this tells whether
        # there were any.
        {"metric": "machine load (1-min avg) before / at the end",
         "value": f"{load_before:.2f} / {load_after:.2f}"},
        {"metric": "notices issued (from worker start)", "value": rate, "unit": "notices/s",
         "target": f">= {TARGET_RATE:g}/s", "ok": rate >= TARGET_RATE},
        {"metric": "notices issued (first task to last)", "value": steady_rate,
         "unit": "notices/s"},
        {"metric": "worker start-up until first task", "value": startup, "unit": "s"},
        {"metric": "worker CPU per notice", "value": worker_cpu * 1000 / per_notice,
         "unit": "ms"},
        *([{"metric": "PostgreSQL CPU per notice", "value": db_cpu * 1000 / per_notice,
            "unit": "ms"},
           {"metric": "PG sessions in a transaction (avg)",
            "value": round(locks.average_in_transaction(), 2)},
           {"metric": "PG sessions waiting for a lock (avg)",
            "value": round(locks.average_waiting(), 2)},
           {"metric": "lock waits by table", "value": locks.summary()}] if server_url else []),
        {"metric": "issue_decision tasks successful", "value": done,
         "target": f"= {n}, none failed", "ok": tasks_ok},
        {"metric": "notices, messages, receipts",
         "value": f"{check['notices']}, {check['messages']}, {check['receipts']}",
         "target": f"= {n}, {n}, {2 * n}", "ok": complete and not check["problems"]},
        {"metric": "notification e-mails sent meanwhile", "value": check["emails_sent"],
         "unit": f"of {check['emails_queued']}"},
        {"metric": "audit chain entries verified", "value": check["audit_entries"],
         "target": "no findings", "ok": not check["audit_findings"]},
    ]


# --- child process: Django set up against the instance -----------------------------------

def _prepare(n: int) -> dict:
    from django_tasks_db.models import DBTaskResult

    from rathaus.accounts.models import User
    from rathaus.authorities.models import Authority
    from rathaus.authorities.tenancy import authority_context
    from rathaus.cases import submission
    from rathaus.cases.actions import confirm_decision, propose_decision
    from rathaus.catalog.registry import definition
    from rathaus.forms import services as drafts

    emails = create_citizens(n, prefix=PREFIX, password=PASSWORD)
    service = definition(SERVICE)
    clerk, second = User.objects.get(email=CLERK), User.objects.get(email=SECOND)
    authority = Authority.objects.get(is_default=True)
    render_receipt, receipt = submission.receipt_pdf, None

    def reused_receipt(**kwargs) -> bytes:
        nonlocal receipt
        receipt = receipt or render_receipt(**kwargs)
        return receipt

    submission.receipt_pdf = reused_receipt
    with authority_context(authority):
        for i, user in enumerate(User.objects.filter(email__in=emails).order_by("email")):
            draft = drafts.fill_in(draft=drafts.start_draft(user=user, definition=service),
                                   definition=service, pages=dog_registration_pages(i))
            case = submission.submit_application(user=user, draft_id=draft.pk,
                                                 definition=service)
            propose_decision(case=case, staff=clerk, decision="approve")
            confirm_decision(case=case, staff=second)
    ready = DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").count()
    return {"ready": ready, "worker_command": worker_command()}


def _verify(n: int) -> dict:
    """What the successful issue_decision tasks left behind: for each exactly one
    notice, one dog with its own tax tag number, one message with one attachment and
    the "sent" and "delivered" receipts; nothing for the others."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from rathaus.audit.verification import verify_all
    from rathaus.authorities.models import Authority
    from rathaus.authorities.tenancy import authority_context
    from rathaus.cases.models import Case
    from rathaus.dogs.models import Dog
    from rathaus.mailbox.models import Attachment, Message, Receipt
    from rathaus.records.models import Document

    problems = []
    results = DBTaskResult.objects.filter(task_path=TASK_PATH)
    tasks = dict(results.values_list("status").annotate(n=Count("id")))
    emails = dict(DBTaskResult.objects.exclude(task_path=TASK_PATH).values_list("status")
                  .annotate(n=Count("id")))
    failed = DBTaskResult.objects.filter(status="FAILED").first()
    if failed is not None:
        problems.append(f"failed task {failed.task_path}: {failed.traceback[-800:]}")
    done_ids = [r.args_kwargs["kwargs"]["case_id"] for r in results.filter(status="SUCCESSFUL")]
    with authority_context(Authority.objects.get(is_default=True)):
        # The bench's citizens' cases; the demo's dog holders have theirs.
        cases = Case.objects.filter(service_id=SERVICE, applicant__email__startswith=PREFIX)
        if cases.count() != n or cases.exclude(status=Case.Status.APPROVED).exists():
            problems.append(f"expected {n} approved cases")
        done = cases.filter(pk__in=done_ids)
        references = list(done.values_list("reference", flat=True))
        notices = Document.objects.filter(case_file__case__in=cases, kind="notice")
        messages = Message.objects.filter(reference__in=cases.values("reference"))
        receipts = Receipt.objects.filter(message__in=messages)
        figures = {"notices": notices.count(), "messages": messages.count(),
                   "receipts": receipts.count()}
        k = len(done_ids)
        if len(references) != k:
            problems.append("successful tasks for cases that do not exist")
        per_file = list(notices.values("case_file__case").annotate(k=Count("id")))
        if figures["notices"] != k or any(row["k"] != 1 for row in per_file) or \
                {str(row["case_file__case"]) for row in per_file} != set(done_ids):
            problems.append(f"{figures['notices']} notices for {k} finished tasks, "
                            "not one per finished case")
        if figures["messages"] != k or set(messages.values_list("reference", flat=True)) \
                != set(references):
            problems.append(f"{figures['messages']} messages for {k} finished tasks")
        if Attachment.objects.filter(message__in=messages).count() != k:
            problems.append("not exactly one attachment per message")
        per_message = receipts.values("message").annotate(k=Count("id"))
        if figures["receipts"] != 2 * k or any(row["k"] != 2 for row in per_message) or \
                (k and set(receipts.values_list("event", flat=True)) != {"sent", "delivered"}):
            problems.append(f"{figures['receipts']} receipts, not sent + delivered per message")
        tags = list(Dog.objects.filter(case__in=cases).values_list("tax_tag_number", flat=True))
        if len(tags) != k or len(set(tags)) != k:
            problems.append(f"{len(tags)} dogs / {len(set(tags))} distinct tax tag numbers "
                            f"for {k} finished tasks")
    entries, findings = verify_all()
    return {**figures, "tasks": tasks, "problems": problems,
            "emails_queued": sum(emails.values()), "emails_sent": emails.get("SUCCESSFUL", 0),
            "audit_entries": entries, "audit_findings": [str(f) for f in findings]}


if __name__ == "__main__":
    _instance.worker_bench_main(__file__, prepare=_prepare, verify=_verify)
