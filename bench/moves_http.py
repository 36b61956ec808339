"""Complete Ummeldungen over HTTP, with the landlord's step: moves/s and latency.

A "complete Ummeldung" (Wohnsitzanmeldung, issue 14) is what the citizen and the
landlord do once the form is filled in: the citizen's final POST of the draft to
`/antraege/<draft>/absenden/` (one transaction: eAkte file, case, answers and PDF
receipt, history, audit, the Bürgerbüro's task, the landlord's confirmation request with
its waiting task and the e-mail enqueued), the worker sending the landlord's e-mail with
the one-time link, then the landlord opening the link (GET `/bestaetigung/<token>/`)
and confirming (POST: the confirmation filed in the eAkte, the waiting task done, the
link spent).

How it is measured:

1. A fresh instance (`rathaus setup`, the demo authority offers the service) on a
   scratch PostgreSQL database (default; BENCH_DATABASE=sqlite for SQLite in the temp
   dir), served by gunicorn with 2 workers on a free loopback port, with the database
   task queue and an SMTP server on loopback in this process as its mail server (as the
   browser test's smtp_inbox): the landlord's token exists only in the e-mail (the
   database keeps its hash), so the benchmark reads it there, as the landlord does.
2. N citizens are created through the services, each with what the identity provider
   said at a login at level "hoch" (IdCardData, as identity.services.accept_login keeps
   it) and a logged-in session at that level (session row as the SAML login leaves it;
   a CSRF cookie): N SAML round trips would only add to the preparation. The drafts are
   then filled in over real HTTP, like a browser: POST "start" (new draft, the ID card's
   fields prefilled and locked), POST the five steps (street directory and household
   checks, draft saved); each must answer with the redirect to the next page, else the
   preparation fails. Half move within the town, half move in (from Köln: the
   Rückmeldung is a file; from Burscheid, another authority of the instance: it goes
   there later, with the decision); a third alone, a third with a spouse, a third with
   a spouse and a child; every fourth objects to election mail. Every landlord is asked
   by e-mail ("link"), each at their own address.
3. One worker, `rathaus worker` as an instance runs it (it looks for new tasks every
   0.5 s when the queue is empty, and takes one after the other while it is not),
   sends the e-mails. It is started before the warm-up and runs on the same 2 cores as
   gunicorn: its CPU is part of what an Ummeldung costs.
4. A few warm-up Ummeldungen (not counted), so each gunicorn worker has loaded Typst's
   fonts once, as a long-running server has.
5. The N Ummeldungen: a Python client with 8 threads (closed loop, one request at a
   time per thread). A thread takes a landlord's link if one has arrived (so the
   pipeline drains), else sends the next draft with its citizen's session. A send
   counts only if it answers 302 to the new case's page; the landlord's GET only if it
   answers 200 with the form, the POST only if it answers 302 to the "confirmed" page.
   The landlord's step starts when the e-mail with the link has arrived; the time
   from the send's answer to that is shown as the e-mail delay. Throughput is N over
   the wall time from the first send to the last confirmation; latency is per request
   kind. The client's CPU time is reported, to show it did not starve the server.
6. Afterwards the database is checked: exactly one case per prepared draft, each with
   one confirmation by link that is confirmed and spent, its waiting task done and
   the confirmation filed in the eAkte; every e-mail task successful; the audit chain
   verifies.

N is 30/s × --duration (default 10 s → 300), at least 60, at most 2000, or
BENCH_MOVES=N.
"""

import http.client
import json
import os
import queue
import re
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import _instance
from _instance import (
    Browser,
    LockWaits,
    create_citizens,
    expect_redirect,
    free_port,
    gunicorn,
    instance_env,
    moving_pages,
    percentile,
    postgres_cpu_seconds,
    postgres_server,
    run_child,
    scratch_database,
    tree_cpu_seconds,
    worker_log_tail,
    worker_process,
)

TARGET_RATE = 30.0  # Ummeldungen/s
TARGET_P95_MS = 300.0
WORKERS = 2  # gunicorn, as `rathaus serve` runs it by default
THREADS = 1
TASK_WORKERS = 1  # `rathaus worker` processes sending the e-mails
TASK_WORKER_COMMAND = ["worker"]  # with its default interval, as an instance runs it
CONNECTIONS = 8  # client threads
PREPARE_THREADS = 4
WARMUP_MOVES = 2 * CONNECTIONS
MIN_MOVES, MAX_MOVES = 60, 2000
REQUEST_TIMEOUT = 30  # seconds; slower counts as an error
PASSWORD = "Bench-Passwort-2026!"
SERVICE = _instance.MOVING_SERVICE
PREFIX = "bench-move"  # of the citizens' e-mail addresses
LANDLORD_PREFIX = "bench-landlord"  # of the landlords' e-mail addresses
LANDLORD_ANSWERS = {"party_street": "Hauptstraße 1", "party_postcode": "42799",
                    "party_city": "Leichlingen", "statement": "on"}
LINK = re.compile(r"https?://[^/\s]+(/bestaetigung/[A-Za-z0-9_-]{20,}/)")
KINDS = ("send", "landlord GET", "landlord POST")


def _move_count(options) -> int:
    if os.environ.get("BENCH_MOVES"):
        return int(os.environ["BENCH_MOVES"])
    return max(MIN_MOVES, min(MAX_MOVES, round(TARGET_RATE * float(options.duration))))


def landlord_email(i: int) -> str:
    return f"{LANDLORD_PREFIX}-{i:05d}@example.org"


def run(options) -> list[dict]:
    from aiosmtpd.controller import Controller

    n = _move_count(options)
    server_url = postgres_server(options)
    load_before = os.getloadavg()[0]  # before our own setup adds to it
    database = "postgresql" if server_url else "sqlite"
    with ExitStack() as stack:  # unwinds in reverse: workers, server, mail, database, dir
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rathaus-bench-")))
        inbox = Inbox()
        smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
        smtp.start()
        stack.callback(smtp.stop)
        env = instance_env(tmp / "var", TASK_BACKEND="database", EMAIL_HOST="127.0.0.1",
                           EMAIL_PORT=str(smtp.port), EMAIL_USE_TLS="false",
                           EMAIL_USE_SSL="false", EMAIL_HOST_USER="", EMAIL_HOST_PASSWORD="")
        if server_url:
            env["DATABASE_URL"] = stack.enter_context(scratch_database(server_url))
        _instance.setup(env, tmp)

        total = n + WARMUP_MOVES
        print(f"   creating {total} citizens with ID card data …", flush=True)
        prepared = run_child(__file__, ["citizens", str(total)], env, tmp, timeout=300)
        base, server_pid = stack.enter_context(gunicorn(env, tmp, workers=WORKERS,
                                                                threads=THREADS))

        print(f"   {total} drafts filled in over HTTP ({PREPARE_THREADS} threads) …",
              flush=True)
        started = time.monotonic()
        with ThreadPoolExecutor(PREPARE_THREADS) as pool:
            movers = list(pool.map(lambda item: _prepare(base, *item),
                                   enumerate(prepared["sessions"])))
        prepare_seconds = time.monotonic() - started
        step_ms = Counter(round(ms) for m in movers for ms in m.step_ms)
        inbox.expect({landlord_email(m.number): m for m in movers})

        command = TASK_WORKER_COMMAND
        print(f"   {TASK_WORKERS} × `rathaus {' '.join(command)}`; "
              f"{WARMUP_MOVES} warm-up Ummeldungen …", flush=True)
        task_workers = [stack.enter_context(worker_process(env, tmp, command, i))
                        for i in range(TASK_WORKERS)]
        warmup = _move_all(base, movers[:WARMUP_MOVES], inbox, task_workers, tmp)
        print(f"   {n} Ummeldungen, {CONNECTIONS} client threads …", flush=True)
        server_before = tree_cpu_seconds(server_pid)
        worker_before = tree_cpu_seconds(*(p.pid for p in task_workers))
        db_before = postgres_cpu_seconds() if server_url else 0.0
        with LockWaits(env.get("DATABASE_URL")) as locks:
            result = _move_all(base, movers[WARMUP_MOVES:], inbox, task_workers, tmp)
        server_cpu = tree_cpu_seconds(server_pid) - server_before
        worker_cpu = tree_cpu_seconds(*(p.pid for p in task_workers)) - worker_before
        db_cpu = (postgres_cpu_seconds() - db_before) if server_url else 0.0
        load_after = os.getloadavg()[0]

        if result.errors or warmup.errors:  # the server's own account of what went wrong
            print((tmp / "gunicorn.log").read_text(errors="replace")[-6000:], flush=True)
            print(worker_log_tail(tmp), flush=True)

        drafts_file = tmp / "drafts.json"
        drafts_file.write_text(json.dumps([m.draft_id for m in movers]))
        check = run_child(__file__, ["verify", str(drafts_file)], env, tmp, timeout=300)

    rate = result.good / result.seconds if result.seconds else 0.0
    errors = result.errors + warmup.errors
    p95 = {kind: percentile(result.latency_ms[kind], 95) for kind in KINDS}
    print(f"   prepared in {prepare_seconds:.0f} s; Ummeldungen: {rate:.1f}/s  p95 "
          + "  ".join(f"{kind} {ms:.0f} ms" for kind, ms in p95.items())
          + f"  errors {errors}", flush=True)
    for problem in check["problems"] + check["audit_findings"][:5]:
        print(f"   PROBLEM: {problem}", flush=True)
    for outcome, count in sorted((result.outcomes + warmup.outcomes).items()):
        print(f"   {outcome}: {count}", flush=True)
    per_move = max(1, result.good)
    setup = (f"{database}, {WORKERS} gunicorn workers × {THREADS} thread, {TASK_WORKERS} "
             f"task worker for the e-mails, SMTP on loopback, Python client {CONNECTIONS} "
             f"threads, {n} Ummeldungen (+{WARMUP_MOVES} warm-up); sessions at level hoch by "
             "the services, drafts over HTTP")
    rows = [
        {"metric": "setup", "value": setup},
        {"metric": "machine load (1-min avg) before / after the Ummeldungen",
         "value": f"{load_before:.2f} / {load_after:.2f}"},
        {"metric": "preparation: start/step POST p50", "value": percentile(step_ms, 50),
         "unit": "ms"},
        {"metric": "complete Ummeldungen (send, e-mail, landlord GET + POST)", "value": rate,
         "unit": "moves/s", "target": f">= {TARGET_RATE:g}/s", "ok": rate >= TARGET_RATE},
    ]
    for kind in KINDS:
        counts = result.latency_ms[kind]
        rows += [
            {"metric": f"{kind} p50 / p99 latency",
             "value": f"{percentile(counts, 50):.0f} / {percentile(counts, 99):.0f}",
             "unit": "ms"},
            {"metric": f"{kind} p95 latency", "value": p95[kind], "unit": "ms",
             "target": f"< {TARGET_P95_MS:g} ms", "ok": p95[kind] < TARGET_P95_MS},
        ]
    delay = result.latency_ms["e-mail"]
    rows += [
        {"metric": "e-mail delay (send answered → link in the inbox) p50 / p95",
         "value": f"{percentile(delay, 50):.0f} / {percentile(delay, 95):.0f}", "unit": "ms"},
        {"metric": "server CPU per Ummeldung (gunicorn)", "value": server_cpu * 1000 / per_move,
         "unit": "ms"},
        {"metric": "task worker CPU per Ummeldung", "value": worker_cpu * 1000 / per_move,
         "unit": "ms"},
        *([{"metric": "PostgreSQL CPU per Ummeldung", "value": db_cpu * 1000 / per_move,
            "unit": "ms"}] if server_url else []),
        {"metric": "client CPU per Ummeldung", "value": result.client_cpu * 1000 / per_move,
         "unit": "ms"},
        *([{"metric": "PG sessions in a transaction (avg)",
            "value": round(locks.average_in_transaction(), 2)},
           {"metric": "PG sessions waiting for a lock (avg)",
            "value": round(locks.average_waiting(), 2)},
           {"metric": "lock waits by table", "value": locks.summary()}] if server_url else []),
        {"metric": "failed Ummeldungen (incl. warm-up)", "value": errors, "target": "= 0",
         "ok": errors == 0},
        {"metric": "cases, confirmed confirmations, landlord tasks done",
         "value": f"{check['cases']}, {check['confirmed']}, {check['tasks_done']}",
         "target": f"= {total} each, one per draft",
         "ok": not check["problems"] and check["cases"] == check["confirmed"]
         == check["tasks_done"] == total},
        {"metric": "e-mail tasks successful", "value": check["emails_sent"],
         "unit": f"of {check['emails_queued']}",
         "ok": check["emails_sent"] == check["emails_queued"]},
        {"metric": "audit chain entries verified", "value": check["audit_entries"],
         "target": "no findings", "ok": not check["audit_findings"]},
    ]
    return rows


# --- the landlords' inbox ---------------------------------------------------------------

class Inbox:
    """aiosmtpd's handler: the link of each landlord's e-mail, for the client threads."""

    def __init__(self):
        self.links: queue.Queue = queue.Queue()
        self.by_address: dict = {}
        self.other = 0  # the demo's and the citizens' e-mails

    def expect(self, by_address: dict) -> None:
        self.by_address = by_address

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        arrived = time.perf_counter()
        found = [self.by_address.get(address.lower()) for address in envelope.rcpt_tos]
        mover = next((m for m in found if m is not None), None)
        if mover is None:
            self.other += 1
            return "250 Message accepted for delivery"
        message = message_from_bytes(envelope.content, policy=policy.default)
        text = message.get_body(preferencelist=("plain",)).get_content()
        link = LINK.search(text)
        self.links.put((mover, link.group(1) if link else None, arrived))
        return "250 Message accepted for delivery"


# --- the citizens' drafts -----------------------------------------------------------------

@dataclass
class Mover:
    number: int
    browser: Browser
    draft_id: str
    step_ms: list[float]
    sent_at: float = 0.0  # perf_counter when the send answered


def _prepare(base: str, i: int, session: dict) -> Mover:
    """Fills in citizen i's draft like a browser: start, then the five pages; each must
    answer with the redirect to the next one."""
    browser = Browser(base, timeout=REQUEST_TIMEOUT)
    browser.cookies.update(session)
    answer = browser.post(f"/leistungen/{SERVICE}/beantragen/")
    step_ms = [expect_redirect("start", answer, "/schritt/1/")]
    draft_id = answer[1].split("/")[2]
    landlord = {"landlord_mode": "link", "landlord_name": f"Hans Hausherr {i}",
                "landlord_email": landlord_email(i)}
    pages = moving_pages(i, landlord=landlord)
    for number, data in enumerate(pages, 1):
        following = f"/schritt/{number + 1}/" if number < len(pages) else "/pruefen/"
        step_ms.append(expect_redirect(f"step {number}", browser.post(
            f"/antraege/{draft_id}/schritt/{number}/", data), following))
    return Mover(i, browser, draft_id, step_ms)


# --- the Ummeldungen ----------------------------------------------------------------------

@dataclass
class MoveResult:
    good: int = 0
    errors: int = 0
    seconds: float = 0.0
    client_cpu: float = 0.0
    # per request kind (and "e-mail" for the delay), rounded to 0.1 ms
    latency_ms: dict = field(default_factory=lambda: {k: Counter() for k in (*KINDS, "e-mail")})
    outcomes: Counter = field(default_factory=Counter)


def _move_all(base: str, movers: list[Mover], inbox: Inbox, task_workers, tmp) -> MoveResult:
    """Every draft sent once and every landlord's link confirmed once, CONNECTIONS
    requests at a time, landlords first; bounded by a deadline."""
    result, lock = MoveResult(), threading.Lock()
    pending = iter(movers)
    finished = [0]  # Ummeldungen done, well or not
    deadline = time.monotonic() + max(60.0, len(movers) / 2)  # ≥ 2/s or give up

    def count(outcome: str, kind: str | None = None, ms: float | None = None,
              done: bool = False, good: bool = False) -> None:
        with lock:
            result.outcomes[outcome] += 1
            if kind is not None and ms is not None:
                result.latency_ms[kind][round(ms, 1)] += 1
            if done:
                finished[0] += 1
                if good:
                    result.good += 1
                else:
                    result.errors += 1

    def send(mover: Mover) -> None:
        try:
            status, location, ms = mover.browser.post(f"/antraege/{mover.draft_id}/absenden/")
        except (OSError, http.client.HTTPException) as exc:
            count(f"send {type(exc).__name__}", done=True)
            return
        mover.sent_at = time.perf_counter()
        if status == 302 and location.startswith("/vorgaenge/") and location.endswith("?neu=1"):
            count("send 302 case", "send", ms)
        else:
            count(f"send {status} {location}", done=True)

    def confirm(mover: Mover, path: str | None, arrived: float) -> None:
        count("e-mail with link" if path else "e-mail without a link", "e-mail",
              (arrived - mover.sent_at) * 1000)
        if path is None:
            count("landlord: no link", done=True)
            return
        landlord, body = Browser(base, timeout=REQUEST_TIMEOUT), []
        try:
            status, _, ms = landlord.request("GET", path, body_out=body)
            if status != 200 or b'name="party_street"' not in body[0]:
                count(f"landlord GET {status}", done=True)
                return
            count("landlord GET 200", "landlord GET", ms)
            status, location, ms = landlord.post(path, LANDLORD_ANSWERS)
        except (OSError, http.client.HTTPException) as exc:
            count(f"landlord {type(exc).__name__}", done=True)
            return
        if status == 302 and "antwort=bestaetigt" in location:
            count("landlord POST 302 confirmed", "landlord POST", ms, done=True, good=True)
        else:
            count(f"landlord POST {status} {location}", done=True)

    def client() -> None:
        while time.monotonic() < deadline:
            try:
                confirm(*inbox.links.get_nowait())
                continue
            except queue.Empty:
                pass
            with lock:
                mover = next(pending, None)
                if mover is None and finished[0] >= len(movers):
                    return
            if mover is not None:
                send(mover)
                continue
            try:  # all sent: wait for the remaining e-mails
                confirm(*inbox.links.get(timeout=0.1))
            except queue.Empty:
                if any(p.poll() is not None for p in task_workers):
                    # No more e-mails will come: what is left counts as failed.
                    print(f"   a task worker exited:\n{worker_log_tail(tmp)}", flush=True)
                    return

    threads = [threading.Thread(target=client, daemon=True) for _ in range(CONNECTIONS)]
    cpu, started = time.process_time(), time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()) + REQUEST_TIMEOUT + 5)
    result.seconds = time.perf_counter() - started
    result.client_cpu = time.process_time() - cpu
    result.errors += len(movers) - finished[0]  # not finished before the deadline
    return result


# --- child process: Django set up against the instance -----------------------------------

def _child(command: str, arg: str) -> dict:
    import django

    django.setup()
    if command == "citizens":
        count = int(arg)
        emails = create_citizens(count, prefix=PREFIX, password=PASSWORD)
        _instance.create_id_cards(emails)
        return {"sessions": _instance.logged_in_sessions(emails, level="hoch")}
    if command == "verify":
        return _verify(json.loads(Path(arg).read_text()))
    raise SystemExit(f"unknown child command {command!r}")


def _verify(draft_ids: list[str]) -> dict:
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from rathaus.audit.verification import verify_all
    from rathaus.authorities.models import Authority
    from rathaus.authorities.tenancy import authority_context
    from rathaus.cases.models import Case, Task
    from rathaus.catalog.registry import definition
    from rathaus.confirmations.models import Confirmation
    from rathaus.records.models import Document

    problems = []
    spec = definition(SERVICE).third_party_confirmation
    emails = dict(DBTaskResult.objects.filter(task_path="rathaus.outbound_email.send_email")
                  .values_list("status").annotate(n=Count("id")))
    failed = DBTaskResult.objects.filter(status="FAILED").first()
    if failed is not None:
        problems.append(f"failed task {failed.task_path}: {failed.traceback[-800:]}")
    with authority_context(Authority.objects.get(is_default=True)):
        cases = Case.objects.filter(service_id=SERVICE, applicant__email__startswith=PREFIX)
        by_draft = Counter(str(d) for d in cases.values_list("draft_id", flat=True))
        if set(by_draft) != set(draft_ids) or any(k > 1 for k in by_draft.values()):
            problems.append(f"{len(by_draft)} drafts with a case of {len(draft_ids)} "
                            "prepared, or drafts with more than one case")
        confirmations = Confirmation.objects.filter(case__in=cases)
        per_case = list(confirmations.values("case").annotate(k=Count("id")))
        if len(per_case) != cases.count() or any(row["k"] != 1 for row in per_case):
            problems.append("not exactly one confirmation per case")
        confirmed = confirmations.filter(mode="link", status="confirmed",
                                         used_at__isnull=False).count()
        tasks = Task.objects.filter(case__in=cases, workflow_task=spec.task_id)
        tasks_done = tasks.filter(status=Task.Status.DONE).count()
        if tasks.count() != cases.count():
            problems.append(f"{tasks.count()} landlord tasks for {cases.count()} cases")
        filed = Document.objects.filter(case_file__case__in=cases, kind="correspondence",
                                        title=spec.title["de"]).count()
        if filed != confirmed:
            problems.append(f"{filed} confirmations filed in the eAkte for {confirmed}")
        count = cases.count()
    entries, findings = verify_all()
    return {"cases": count, "confirmed": confirmed, "tasks_done": tasks_done,
            "problems": problems, "emails_queued": sum(emails.values()),
            "emails_sent": emails.get("SUCCESSFUL", 0),
            "audit_entries": entries, "audit_findings": [str(f) for f in findings]}


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], sys.argv[3])))
    else:
        # `python bench/moves_http.py [options]` runs just this benchmark, with the table.
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from run import main

        sys.exit(main(["--only", "moves_http", *sys.argv[1:]]))
