"""Complete submissions of the dog registration over HTTP: sends/s and latency.

A "complete submission" is the final POST of a filled-in draft to
`/antraege/<draft>/absenden/`. In one transaction it opens the eAkte file, creates the
case, stores the answers and the PDF receipt (Typst), writes the history, the
audit entries and the department's task.

How it is measured:

1. A fresh instance (`rathaus setup`, demo authority offering the service) on a scratch
   PostgreSQL database (default; BENCH_DATABASE=sqlite for SQLite in the temp dir),
   served by gunicorn with 2 workers on a free loopback port.
2. N citizens are created through the services (one shared Argon2 hash, profile for
   prefilling), each with a logged-in session as the login view leaves it (session row
   with user, auth hash and login level; a CSRF cookie): N logins over HTTP would only
   add N Argon2 checks to the preparation. The drafts are then filled in over real
   HTTP, like a browser: POST "start" (new draft, prefilled), POST the four pages
   (form validation, draft saved); each must answer with the redirect to the next
   page, else the preparation fails. Half of the drafts pay by transfer, half by SEPA
   direct debit; every dog is small (one department task).
3. A few warm-up sends (not counted), so each gunicorn worker has loaded Typst's
   fonts once, as a long-running server has.
4. The N sends: a Python client with 8 threads (closed loop, one request at a time
   per thread, like web_home's 8 connections), each taking the next draft with its
   citizen's session cookie and CSRF token, every draft sent exactly once. A send
   counts as good only if it answers 302 to the new case's page. Throughput is N over
   the wall time from the first request to the last answer; latency is per request.
   The client's own CPU time is reported, to show it did not starve the server.
   wrk is not used: it cannot send each of a list of requests exactly once and then
   stop (its run time is always the full -d).
5. Afterwards the database is checked: exactly one case per prepared draft (no
   duplicates, no losses), with its documents, task and history, and the audit chain
   verifies.

N is 50/s × --duration (default 10 s → 500), at least 100, at most 3000, or
BENCH_SUBMISSIONS=N.
"""

import http.client
import json
import os
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
    dog_registration_pages,
    expect_redirect,
    gunicorn,
    instance_env,
    logged_in_sessions,
    percentile,
    postgres_cpu_seconds,
    postgres_server,
    run_child,
    scratch_database,
    tree_cpu_seconds,
)

TARGET_RATE = 50.0  # sends/s
TARGET_P95_MS = 250.0
WORKERS = 2
THREADS = 1  # as `rathaus serve` runs gunicorn by default: sync workers
CONNECTIONS = 8  # client threads for the sends
PREPARE_THREADS = 4  # for the draft steps; enough to keep both workers busy
WARMUP_SENDS = 2 * CONNECTIONS
MIN_SENDS, MAX_SENDS = 100, 3000
SEND_TIMEOUT = 30  # seconds; slower counts as an error (the server may still finish it)
PASSWORD = "Bench-Passwort-2026!"
SERVICE = "hundeanmeldung"
PREFIX = "bench-send"  # of the citizens' e-mail addresses


def _send_count(options) -> int:
    if os.environ.get("BENCH_SUBMISSIONS"):
        return int(os.environ["BENCH_SUBMISSIONS"])
    return max(MIN_SENDS, min(MAX_SENDS, round(TARGET_RATE * float(options.duration))))


def run(options) -> list[dict]:
    n = _send_count(options)
    server_url = postgres_server(options)
    load_before = os.getloadavg()[0]  # before our own setup adds to it
    database = "postgresql" if server_url else "sqlite"
    with ExitStack() as stack:  # unwinds in reverse: server, database, temp dir
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rathaus-bench-")))
        env = instance_env(tmp / "var")
        if server_url:
            env["DATABASE_URL"] = stack.enter_context(scratch_database(server_url))
        _instance.setup(env, tmp)

        total = n + WARMUP_SENDS
        print(f"   creating {total} citizens …", flush=True)
        sessions = run_child(__file__, ["citizens", str(total)], env, tmp,
                             timeout=300)["sessions"]
        base, server_pid = stack.enter_context(gunicorn(env, tmp, workers=WORKERS,
                                                                threads=THREADS))

        print(f"   {total} drafts filled in over HTTP ({PREPARE_THREADS} threads) …",
              flush=True)
        started = time.monotonic()
        with ThreadPoolExecutor(PREPARE_THREADS) as pool:
            citizens = list(pool.map(lambda item: _prepare(base, *item), enumerate(sessions)))
        prepare_seconds = time.monotonic() - started
        step_ms = Counter(round(ms) for c in citizens for ms in c.step_ms)

        print(f"   {WARMUP_SENDS} warm-up sends …", flush=True)
        warmup = _fire(base, citizens[:WARMUP_SENDS])
        print(f"   {n} sends, {CONNECTIONS} client threads …", flush=True)
        server_before = tree_cpu_seconds(server_pid)
        db_before = postgres_cpu_seconds() if server_url else 0.0
        with LockWaits(env.get("DATABASE_URL")) as locks:
            result = _fire(base, citizens[WARMUP_SENDS:])
        server_cpu = tree_cpu_seconds(server_pid) - server_before
        db_cpu = (postgres_cpu_seconds() - db_before) if server_url else 0.0
        load_after = os.getloadavg()[0]

        if result.errors or warmup.errors:  # the server's own account of what went wrong
            print((tmp / "gunicorn.log").read_text(errors="replace")[-6000:], flush=True)

        # The audit log's signing, as the worker does it every few minutes, over all the
        # entries the sends wrote: its CPU (this process and PostgreSQL's) per send.
        sign_db_before = postgres_cpu_seconds() if server_url else 0.0
        signing = run_child(__file__, ["sign", "-"], env, tmp, timeout=300)
        signing["db_cpu"] = (postgres_cpu_seconds() - sign_db_before) if server_url else 0.0

        drafts_file = tmp / "drafts.json"
        drafts_file.write_text(json.dumps([c.draft_id for c in citizens]))
        check = run_child(__file__, ["verify", str(drafts_file)], env, tmp, timeout=300)

    rate = result.good / result.seconds if result.seconds else 0.0
    p50, p95 = percentile(result.latency_ms, 50), percentile(result.latency_ms, 95)
    errors = result.errors + warmup.errors
    print(f"   prepared in {prepare_seconds:.0f} s; sends: {rate:.1f}/s  p50 {p50:.0f} ms  "
          f"p95 {p95:.0f} ms  errors {errors}  server CPU "
          f"{server_cpu * 1000 / max(1, result.good):.0f} ms/send", flush=True)
    for problem in check["problems"] + check["audit_findings"][:5]:
        print(f"   PROBLEM: {problem}", flush=True)
    for status, count in sorted((result.statuses + warmup.statuses).items()):
        if status != "302 case":
            print(f"   answers {status}: {count}", flush=True)
    ok_cases = not check["problems"] and check["cases"] == n + WARMUP_SENDS
    setup = (f"{database}, {WORKERS} gunicorn workers × {THREADS} thread, Python client "
             f"{CONNECTIONS} threads, {n} sends (+{WARMUP_SENDS} warm-up); sessions by the "
             "services, drafts over HTTP")
    per_send = max(1, result.good)
    sends_signed = per_send + warmup.good  # the signer covers the warm-up's entries too
    signing_ms = (signing["cpu"] + signing["db_cpu"]) * 1000 / max(1, sends_signed)
    serving_ms = (server_cpu + db_cpu) * 1000 / per_send
    signing_share = 100 * signing_ms / serving_ms if serving_ms else 0.0
    print(f"   signing: {signing['heads']} head(s) over {signing['entries']} entries in "
          f"{signing['seconds']:.2f} s; {signing_ms:.2f} ms CPU per send "
          f"({signing_share:.1f}% of serving it)", flush=True)
    return [
        {"metric": "setup", "value": setup},
        # Other processes on the machine compete with gunicorn for the 2 cores; this
        # tells whether there were any. The CPU figures per send depend far less on it.
        {"metric": "machine load (1-min avg) before / after the sends",
         "value": f"{load_before:.2f} / {load_after:.2f}"},
        {"metric": "preparation: start/step POST p50", "value": percentile(step_ms, 50),
         "unit": "ms"},
        {"metric": "complete submissions", "value": rate, "unit": "sends/s",
         "target": f">= {TARGET_RATE:g}/s", "ok": rate >= TARGET_RATE},
        {"metric": "send p50 latency", "value": p50, "unit": "ms"},
        {"metric": "send p95 latency", "value": p95, "unit": "ms",
         "target": f"< {TARGET_P95_MS:g} ms", "ok": p95 < TARGET_P95_MS},
        {"metric": "send max latency", "value": max(result.latency_ms or [0]), "unit": "ms"},
        {"metric": "server CPU per send (gunicorn)", "value": server_cpu * 1000 / per_send,
         "unit": "ms"},
        *([{"metric": "PostgreSQL CPU per send", "value": db_cpu * 1000 / per_send,
            "unit": "ms"}] if server_url else []),
        {"metric": "client CPU per send", "value": result.client_cpu * 1000 / per_send,
         "unit": "ms"},
        *([{"metric": "PG sessions in a transaction (avg)",
            "value": round(locks.average_in_transaction(), 2)},
           {"metric": "PG sessions waiting for a lock (avg)",
            "value": round(locks.average_waiting(), 2)},
           {"metric": "lock waits by table", "value": locks.summary()}] if server_url else []),
        {"metric": "failed sends (incl. warm-up)", "value": errors, "target": "= 0",
         "ok": errors == 0},
        {"metric": "cases in the database", "value": check["cases"],
         "target": f"= {n + WARMUP_SENDS}, one per draft", "ok": ok_cases},
        {"metric": "audit signing CPU per send (tree + head, incl. PostgreSQL)",
         "value": signing_ms, "unit": "ms"},
        {"metric": "audit signing added to the CPU a send costs", "value": signing_share,
         "unit": "%", "target": "< 5%", "ok": signing_share < 5},
        {"metric": "audit chain entries verified", "value": check["audit_entries"],
         "target": "no findings", "ok": not check["audit_findings"]},
    ]


# --- the citizens' HTTP sessions ---------------------------------------------------------

@dataclass
class Citizen:
    browser: Browser
    draft_id: str
    step_ms: list[float]


def _prepare(base: str, i: int, session: dict) -> Citizen:
    """Fills in citizen i's draft like a browser: start, then the four pages; each
    must answer with the redirect to the next one."""
    browser = Browser(base, timeout=SEND_TIMEOUT)
    browser.cookies.update(session)
    answer = browser.post(f"/leistungen/{SERVICE}/beantragen/")
    step_ms = [expect_redirect("start", answer, "/schritt/1/")]
    draft_id = answer[1].split("/")[2]
    for number, data in enumerate(dog_registration_pages(i), 1):
        following = f"/schritt/{number + 1}/" if number < 4 else "/pruefen/"
        step_ms.append(expect_redirect(f"step {number}", browser.post(
            f"/antraege/{draft_id}/schritt/{number}/", data), following))
    return Citizen(browser, draft_id, step_ms)


# --- the sends ---------------------------------------------------------------------------

@dataclass
class SendResult:
    good: int = 0
    errors: int = 0
    seconds: float = 0.0
    client_cpu: float = 0.0
    latency_ms: Counter = field(default_factory=Counter)  # rounded to 0.1 ms
    statuses: Counter = field(default_factory=Counter)


def _fire(base: str, citizens: list[Citizen]) -> SendResult:
    """Sends every draft once, CONNECTIONS at a time; bounded by a deadline."""
    result, lock = SendResult(), threading.Lock()
    pending = iter(citizens)
    deadline = time.monotonic() + max(60.0, len(citizens) / 2)  # ≥ 2/s or give up

    def client() -> None:
        while time.monotonic() < deadline:
            with lock:
                citizen = next(pending, None)
            if citizen is None:
                return
            try:
                status, location, ms = citizen.browser.post(
                    f"/antraege/{citizen.draft_id}/absenden/")
                outcome = ("302 case" if status == 302 and location.startswith("/vorgaenge/")
                           and location.endswith("?neu=1") else f"{status} {location}")
            except (OSError, http.client.HTTPException) as exc:
                outcome, ms = type(exc).__name__, None
            with lock:
                result.statuses[outcome] += 1
                if outcome == "302 case":
                    result.good += 1
                    result.latency_ms[round(ms, 1)] += 1
                else:
                    result.errors += 1

    threads = [threading.Thread(target=client, daemon=True) for _ in range(CONNECTIONS)]
    cpu, started = time.process_time(), time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()) + SEND_TIMEOUT + 5)
    result.seconds = time.perf_counter() - started
    result.client_cpu = time.process_time() - cpu
    result.errors += sum(1 for _ in pending)  # not sent before the deadline
    return result


# --- child process: Django set up against the instance -----------------------------------

def _child(command: str, arg: str) -> dict:
    import django

    django.setup()
    if command == "citizens":
        emails = create_citizens(int(arg), prefix=PREFIX, password=PASSWORD)
        return {"sessions": logged_in_sessions(emails)}
    if command == "verify":
        return _verify(json.loads(Path(arg).read_text()))
    if command == "sign":
        return _sign()
    raise SystemExit(f"unknown child command {command!r}")


def _sign() -> dict:
    """What the worker does every few minutes: grow each authority's Merkle tree over the
    new audit entries and sign its head. CPU of this process for that work alone."""
    from rathaus.audit.models import AuditEntry
    from rathaus.audit.tree_heads import sign_all_heads

    started_cpu, started = time.process_time(), time.monotonic()
    heads = sign_all_heads()
    return {"cpu": time.process_time() - started_cpu, "seconds": time.monotonic() - started,
            "heads": heads, "entries": AuditEntry.all_authorities.count()}


def _verify(draft_ids: list[str]) -> dict:
    from django.db.models import Count

    from rathaus.audit.verification import verify_all
    from rathaus.authorities.models import Authority
    from rathaus.authorities.tenancy import authority_context
    from rathaus.cases.models import Case, CaseEvent, Task
    from rathaus.forms.models import Draft
    from rathaus.records.models import Document

    problems = []
    authority = Authority.objects.get(is_default=True)
    with authority_context(authority):
        # The bench's citizens' cases; the demo's dog holders have theirs.
        cases = Case.objects.filter(service_id=SERVICE, applicant__email__startswith=PREFIX)
        by_draft = Counter(str(d) for d in cases.values_list("draft_id", flat=True))
        expected = set(draft_ids)
        if len(expected) != len(draft_ids):
            problems.append("the preparation produced the same draft twice")
        lost = expected - set(by_draft)
        extra = set(by_draft) - expected
        doubled = [d for d, count in by_draft.items() if count > 1]
        if lost:
            problems.append(f"{len(lost)} drafts without a case")
        if extra:
            problems.append(f"{len(extra)} cases from drafts that were not sent")
        if doubled:
            problems.append(f"{len(doubled)} drafts with more than one case")
        unsent = Draft.objects.filter(pk__in=draft_ids, submitted_at__isnull=True).count()
        if unsent:
            problems.append(f"{unsent} drafts not marked as sent")
        if cases.values("reference").distinct().count() != cases.count():
            problems.append("file references repeat")
        per_case = {
            "documents (answers + receipt)": (Document.objects.filter(
                case_file__case__in=cases).values("case_file").annotate(n=Count("id")), 2),
            "tasks": (Task.objects.filter(case__in=cases).values("case").annotate(
                n=Count("id")), 1),
            "submission events": (CaseEvent.objects.filter(
                case__in=cases, kind=CaseEvent.Kind.SUBMITTED).values("case").annotate(
                n=Count("id")), 1),
        }
        for what, (rows, want) in per_case.items():
            counts = [row["n"] for row in rows]
            if len(counts) != cases.count() or any(c != want for c in counts):
                problems.append(f"not exactly {want} {what} per case")
        receipts = Document.objects.filter(case_file__case__in=cases, kind="receipt").count()
        count = cases.count()
    entries, findings = verify_all()
    return {"cases": count, "receipts": receipts, "problems": problems,
            "audit_entries": entries, "audit_findings": [str(f) for f in findings]}


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], sys.argv[3])))
    else:
        # `python bench/submissions.py [options]` runs just this benchmark, with the table.
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from run import main

        sys.exit(main(["--only", "submissions", *sys.argv[1:]]))
