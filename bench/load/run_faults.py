"""The fault test: `make faulttest` (or `python bench/load/run_faults.py`).

1,000 dog registrations sent at once against the cluster of scripts/cluster.py (two
web processes behind nginx, two workers, an S3-protocol server) with supervision on
(a dead process is started again after 1 s, as systemd's Restart=always does), and
while they are being sent:

- a web process is killed with SIGKILL (its gunicorn master and workers);
- a worker is killed with SIGKILL while tasks run;
- PostgreSQL is restarted (`pg_ctl restart -m fast`).

The PostgreSQL is one of its own: initdb into a temporary directory, on a free
loopback port, trust authentication (as the postgres OS user when run as root); the
machine's server on 5432, which others use, is never touched.

How it goes:

1. Citizens with a logged-in session and two Steueramt clerks (four eyes) are made in
   the database; every citizen's draft is filled in over HTTP (start, four pages), as
   bench/submissions.py does.
2. SUBMISSIONS client threads (default 1,000, FAULT_SUBMISSIONS=N; FAULT_CONCURRENCY
   caps the threads) each send their draft. A client whose send fails (connection
   reset, a 5xx from nginx or Django, a time-out) sends it again after a second, like
   a citizen pressing the button again: the draft makes a resend harmless (a sent
   draft answers with its case). Every fourth case is decided by the clerks meanwhile
   (approve, confirm), so that workers issue notices during the faults.
3. The faults come at 20%, 45% and 70% of the sends answered. For each, the time
   until the part is back (the web process answers, the worker runs, PostgreSQL
   accepts connections) and until a send started after the fault succeeded.
4. With the queue drained (the abandoned task of the killed worker is requeued after
   RATHAUS_TASK_LEASE_SECONDS, 30 s here), the decided cases' citizens open their
   notice message (the "retrieved" receipt), and the database is checked: exactly one
   case per draft (0 lost, 0 doubled), exactly one notice, mailbox message and dog per
   decided case, every receipt's signature verifies, no task failed, the audit chain
   verifies.

Exits non-zero on any lost or doubled application or failed check.
"""

import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
from _common import cluster_up, percentile, print_rows, run_step, wait_for_empty_queue
from _instance import Browser, free_port
from submissions import _prepare

PG_BIN = Path("/usr/lib/postgresql/15/bin")
CITIZEN_PREFIX = "fault-citizen"
CLERK_PREFIX = "fault-clerk"
SEND_TIMEOUT = 180  # seconds; a send queued behind 999 others waits its turn
RETRY_PAUSE = 1.0  # seconds before a citizen presses the button again
GIVE_UP_AFTER = 900  # seconds of retrying one send
DECIDE_EVERY = 4  # every fourth case is decided during the run
FAULTS = ((0.20, "kill -9 web process"), (0.45, "kill -9 worker"),
          (0.70, "restart PostgreSQL"))
LEASE_SECONDS = "30"  # a killed worker's task is given back after this


class OwnPostgres:
    """A PostgreSQL server of this run only, in a temporary directory on a free port."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="rathaus-faults-pg-"))
        self.data, self.port = self.dir / "data", free_port()
        self.as_postgres = os.geteuid() == 0  # initdb refuses to run as root
        if self.as_postgres:
            self.dir.chmod(0o755)
            shutil.chown(self.dir, "postgres", "postgres")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        done = subprocess.run([*prefix, *command], capture_output=True, text=True,
                              timeout=120, check=False)
        if done.returncode:
            raise RuntimeError(f"{command[0]} failed: {done.stdout}{done.stderr}\n"
                               f"{self.log_tail()}")

    def log_tail(self) -> str:
        log = self.dir / "postgres.log"
        return log.read_text(errors="replace")[-2000:] if log.exists() else ""

    def start(self) -> None:
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                  "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} "
                   "-c max_connections=200")
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l",
                  str(self.dir / "postgres.log"), "-o", options, "-w", "start")

    def fresh_database(self) -> None:
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS rathaus_faults WITH (FORCE)")
            conn.execute("CREATE DATABASE rathaus_faults")

    def restart(self) -> None:
        # With its log file: else the new server writes into our pipe, and waiting for
        # the pipe's end would wait for the server's.
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l",
                  str(self.dir / "postgres.log"), "-m", "fast", "-w", "restart")

    def stop(self) -> None:
        try:
            self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def accepting(self) -> bool:
        try:
            with psycopg.connect(self.url(), connect_timeout=2):
                return True
        except psycopg.OperationalError:
            return False


class Run:
    """The clients' sends and the clerks' decisions, with what they saw."""

    def __init__(self, base: str, citizens: list, clerks: list[dict], total: int):
        self.base, self.citizens, self.total = base, citizens, total
        self.clerks = clerks
        self.lock = threading.Lock()
        self.answered = 0  # sends that ended (with the case, or given up)
        self.retries = 0
        self.errors = Counter()  # what clients saw, by kind
        self.latency_ms = Counter()  # from the first press to the case, per draft
        self.good_at: list[tuple[float, float]] = []  # (request start, answer) of good sends
        self.confirmed: dict[str, str] = {}  # draft id -> case id
        self.gave_up: list[str] = []
        self.to_decide: list[str] = []
        self.decided = 0
        self.decision_errors = Counter()
        self.sends_over = threading.Event()

    # --- a citizen pressing "send" until it worked ----------------------------------

    def send(self, citizen, start: threading.Barrier) -> None:
        start.wait()
        first = time.perf_counter()
        while True:
            began = time.monotonic()
            try:
                status, location, _ms = citizen.browser.post(
                    f"/antraege/{citizen.draft_id}/absenden/", timeout=SEND_TIMEOUT)
                kind = ("case" if status == 302 and location.startswith("/vorgaenge/")
                        else f"HTTP {status}")
            except (OSError, http.client.HTTPException) as error:
                kind, location = type(error).__name__, ""
            if kind == "case":
                with self.lock:
                    self.answered += 1
                    self.latency_ms[round((time.perf_counter() - first) * 1000)] += 1
                    self.good_at.append((began, time.monotonic()))
                    case_id = location.split("/")[2]
                    self.confirmed[citizen.draft_id] = case_id
                    if len(self.confirmed) % DECIDE_EVERY == 0:
                        self.to_decide.append(case_id)
                return
            with self.lock:
                self.errors[kind] += 1
                if time.perf_counter() - first > GIVE_UP_AFTER:
                    self.answered += 1
                    self.gave_up.append(citizen.draft_id)
                    return
                self.retries += 1
            time.sleep(RETRY_PAUSE)

    # --- the clerks ---------------------------------------------------------------------

    def decide(self) -> None:
        """Approve and confirm (four eyes) the cases picked for it, until the sends are
        over and nothing is left; a step that fails is taken again."""
        proposer, confirmer = (self._browser(c) for c in self.clerks)
        while True:
            with self.lock:
                case = self.to_decide.pop(0) if self.to_decide else None
            if case is None:
                if self.sends_over.is_set():
                    return
                time.sleep(0.5)
                continue
            for browser, step in ((proposer, "approve"), (confirmer, "confirm")):
                self._office_step(browser, case, step)
            with self.lock:
                self.decided += 1

    def _browser(self, cookies: dict) -> Browser:
        browser = Browser(self.base, timeout=SEND_TIMEOUT)
        browser.cookies.update(cookies)
        return browser

    def _office_step(self, browser: Browser, case: str, step: str) -> None:
        started = time.monotonic()
        while time.monotonic() - started < GIVE_UP_AFTER:
            try:
                status, location, _ms = browser.post(
                    f"/verwaltung/vorgaenge/{case}/schritt/{step}/")
                if status == 302 and f"/vorgaenge/{case}/" in location:
                    return
                kind = f"HTTP {status}"
            except (OSError, http.client.HTTPException) as error:
                kind = type(error).__name__
            with self.lock:
                self.decision_errors[f"{step}: {kind}"] += 1
            time.sleep(RETRY_PAUSE)

    # --- recovery -------------------------------------------------------------------------

    def first_good_send_after(self, moment: float, wait: float = 120) -> float | None:
        """Seconds from `moment` until a send that started after it got its case."""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            with self.lock:
                ends = [end for began, end in self.good_at if began >= moment]
            if ends:
                return min(ends) - moment
            if self.sends_over.is_set():
                return None
            time.sleep(0.1)
        return None


def main() -> int:
    total = int(os.environ.get("FAULT_SUBMISSIONS", 1000))
    concurrency = min(total, int(os.environ.get("FAULT_CONCURRENCY", total)))
    print(f"Fault test: {total} submissions, {concurrency} at once; kill -9 of a web "
          "process and of a worker, a PostgreSQL restart", flush=True)
    postgres = OwnPostgres()
    postgres.start()
    try:
        print(f"own PostgreSQL on port {postgres.port} ({postgres.dir})", flush=True)
        with cluster_up(web=2, workers=2, s3=True, database_url=postgres.url("rathaus_faults"),
                        supervise=True, before_start=postgres.fresh_database,
                        extra_env={"RATHAUS_TASK_LEASE_SECONDS": LEASE_SECONDS}) as cluster:
            return _run(cluster, postgres, total, concurrency)
    finally:
        postgres.stop()


def _run(cluster, postgres: OwnPostgres, total: int, concurrency: int) -> int:
    print(f"cluster up at {cluster.url}", flush=True)
    sessions = run_step(cluster, "citizens", {"count": total, "prefix": CITIZEN_PREFIX})
    clerks = run_step(cluster, "clerks", {"count": 2, "prefix": CLERK_PREFIX})["sessions"]
    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        citizens = list(pool.map(lambda item: _prepare(cluster.url, *item),
                                 enumerate(sessions["sessions"])))
    print(f"{total} drafts filled in over HTTP in {time.monotonic() - started:.0f} s",
          flush=True)

    run = Run(cluster.url, citizens, clerks, total)
    deciders = [threading.Thread(target=run.decide, daemon=True) for _ in range(2)]
    for thread in deciders:
        thread.start()
    faults = []
    injector = threading.Thread(target=_inject_faults, args=(run, cluster, postgres, faults),
                                daemon=True)
    started = time.monotonic()
    _send_all(run, citizens, concurrency, injector)
    sending = time.monotonic() - started
    run.sends_over.set()
    injector.join(timeout=600)
    for thread in deciders:
        thread.join(timeout=GIVE_UP_AFTER + 60)
    print(f"sends over after {sending:.0f} s; {run.decided} cases decided", flush=True)

    drained = wait_for_empty_queue(cluster.database_url, timeout=900)
    opened, open_errors = _open_notices(run, cluster)
    check = run_step(cluster, "verify", {
        "drafts": [c.draft_id for c in citizens], "prefix": CITIZEN_PREFIX,
        "confirmed": list(run.confirmed)})
    restarts = _restarts(cluster)
    return _report(run, check, faults, sending, drained, opened, open_errors, restarts)


def _send_all(run: Run, citizens: list, concurrency: int, injector) -> None:
    """Every citizen presses "send" at the same moment (in rounds of `concurrency`)."""
    for first in range(0, len(citizens), concurrency):
        batch = citizens[first:first + concurrency]
        barrier = threading.Barrier(len(batch))
        threads = [threading.Thread(target=run.send, args=(c, barrier), daemon=True)
                   for c in batch]
        for thread in threads:
            thread.start()
        if first == 0:
            injector.start()
        for thread in threads:
            thread.join()


def _inject_faults(run: Run, cluster, postgres: OwnPostgres, faults: list) -> None:
    """Each fault when its share of the sends is answered and the part hit by the one
    before is back; how long recovery takes is watched meanwhile in a thread."""
    watchers = []
    for share, what in FAULTS:
        while (run.answered < share * run.total or any(w.is_alive() for w in watchers)) \
                and not run.sends_over.is_set():
            time.sleep(0.05)
        if run.sends_over.is_set():
            faults.append({"fault": what, "at": "never (the sends were over)"})
            continue
        if what.endswith("web process"):
            at = time.monotonic()
            cluster.kill_web(0)
            back = lambda: _answers(cluster.web_urls[0] + "/healthz")  # noqa: E731
        elif what.endswith("worker"):
            _wait_for_a_running_task(cluster.database_url)
            at = time.monotonic()
            old = cluster.workers[0].popen.pid
            cluster.kill_worker(0)
            back = lambda old=old: (cluster.workers[0].alive()  # noqa: E731
                                    and cluster.workers[0].popen.pid != old)
        else:
            at = time.monotonic()
            postgres.restart()
            back = postgres.accepting
        fault = {"fault": what, "at": f"{run.answered} of {run.total} answered"}
        faults.append(fault)
        print(f"  {what} at {run.answered}/{run.total} answered", flush=True)
        watchers.append(threading.Thread(target=_watch_recovery,
                                         args=(run, fault, back, at), daemon=True))
        watchers[-1].start()
    for watcher in watchers:
        watcher.join(timeout=300)


def _watch_recovery(run: Run, fault: dict, back, at: float) -> None:
    fault["back"] = _until(back, at)
    fault["sends_ok_again"] = run.first_good_send_after(at, wait=300)


def _until(condition, since: float, timeout: float = 120) -> float | None:
    while time.monotonic() - since < timeout:
        if condition():
            return time.monotonic() - since
        time.sleep(0.05)
    return None


def _answers(url: str) -> bool:
    import urllib.error
    import urllib.request

    try:
        urllib.request.urlopen(url, timeout=2).read()
        return True
    except urllib.error.HTTPError:
        return True  # it answers (503 while it finds its feet still counts as up)
    except OSError:
        return False


def _wait_for_a_running_task(database_url: str, timeout: float = 10) -> None:
    """Until some task is running (so the kill interrupts work), or `timeout`."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(database_url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            running = conn.execute("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
                                   "WHERE status = 'RUNNING'").fetchone()[0]
            if running:
                return
            time.sleep(0.02)


def _open_notices(run: Run, cluster) -> tuple[int, Counter]:
    """The decided cases' citizens open their notice message in the mailbox."""
    by_draft = {c.draft_id: c for c in run.citizens}
    found = run_step(cluster, "messages", {"drafts": list(run.confirmed)})["messages"]
    opened, errors = 0, Counter()
    for draft, message_ids in found.items():
        for message_id in message_ids:
            try:
                status, _location, _ms = by_draft[draft].browser.request(
                    "GET", f"/konto/postfach/{message_id}/")
            except (OSError, http.client.HTTPException) as error:
                errors[type(error).__name__] += 1
                continue
            if status == 200:
                opened += 1
            else:
                errors[f"HTTP {status}"] += 1
    return opened, errors


def _restarts(cluster) -> dict:
    """How often each web process was started (gunicorn's start lines in its log)."""
    return {process.name: process.log.read_text(errors="replace").count("Starting gunicorn")
            for process in cluster.webs}


def _report(run: Run, check: dict, faults: list, sending: float, drained: float,
            opened: int, open_errors: Counter, restarts: dict) -> int:
    print()
    print_rows(("fault", "when", "part back after s", "sends succeed again after s"), [
        (f["fault"], f["at"], _seconds(f.get("back")), _seconds(f.get("sends_ok_again")))
        for f in faults])
    print()
    lat = run.latency_ms
    rows = [
        ("submissions (drafts sent)", run.total),
        ("answered with their case", len(run.confirmed)),
        ("given up by the clients", len(run.gave_up)),
        ("retries (sends pressed again)", run.retries),
        *((f"client saw: {kind}", n) for kind, n in sorted(run.errors.items())),
        ("send latency p50 / p95 / p99 / max (first press to case)",
         f"{percentile(lat, 50) / 1000:.1f} / {percentile(lat, 95) / 1000:.1f} / "
         f"{percentile(lat, 99) / 1000:.1f} / {max(lat or [0]) / 1000:.1f} s"),
        ("send phase", f"{sending:.0f} s ({run.total / sending:.1f} sends/s)"),
        ("cases in the database", check["cases"]),
        ("lost", check["lost"]),
        ("doubled", check["doubled"]),
        ("cases decided during the run (approved)", check["decided"]),
        *((f"clerk saw: {kind}", n) for kind, n in sorted(run.decision_errors.items())),
        ("notices (one per decided case)", check["notices"]),
        ("mailbox messages (one per decided case)", check["messages"]),
        ("notice messages opened by their citizens", opened),
        *((f"opening saw: {kind}", n) for kind, n in sorted(open_errors.items())),
        ("receipts verified (sent, delivered, retrieved)",
         f"{check['receipts_verified']} {check['receipt_events']}"),
        ("receipts invalid", check["receipts_invalid"]),
        ("failed tasks", sum(check["failed_tasks"].values())),
        ("queue drained after the sends", f"{drained:.0f} s"),
        ("audit chain", f"{check['audit_entries']} entries, {check['audit_findings']} "
                        "findings"),
        ("web processes started (incl. restarts)", restarts),
    ]
    print_rows(("figure", "value"), rows)
    problems = list(check["problems"])
    if check["decided"] != opened:
        problems.append(f"{check['decided']} decided cases, but {opened} notices opened")
    if len(faults) < len(FAULTS) or any(f.get("back") is None for f in faults):
        problems.append("not every fault was injected and recovered from")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    bad = bool(problems or check["lost"] or check["doubled"] or run.gave_up)
    print("RESULT: " + ("FAIL" if bad else "PASS (nothing lost or doubled, every notice "
                                           "once, every receipt verifies)"))
    return 1 if bad else 0


def _seconds(value) -> str:
    return "–" if value is None else f"{value:.1f}"


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    sys.exit(main())
