"""Shared by the benchmarks: a fresh, isolated Rathaus instance and its processes.

An instance is a temporary RATHAUS_VAR_DIR (keys, uploads, SQLite file) with, if
asked for, a scratch PostgreSQL database; `rathaus setup` migrates it and loads the
demo. gunicorn serves it on a free loopback port. Everything is stopped and dropped on
leaving the context managers, also after Ctrl-C or SIGTERM (run.py turns it into
KeyboardInterrupt).
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

REQUEST_TIMEOUT = 5  # seconds

# Settings a developer's shell may carry that must not reach the scratch instance:
# above all DATABASE_URL, or `rathaus setup` would migrate their own database.
INHERITED_CONFIG = ("RATHAUS_", "DATABASE_", "SECRET_KEY", "TASK_BACKEND", "ALLOWED_HOSTS",
                    "DJANGO_SETTINGS_MODULE", "WEB_CONCURRENCY")

# The PostgreSQL server the benchmarks that default to PostgreSQL use when neither
# --database-url nor BENCH_DATABASE_URL names one.
DEFAULT_POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def instance_env(var_dir: Path, **extra: str) -> dict:
    """The environment of a scratch instance: the caller's, minus its Rathaus settings.

    Rate limits are lifted: a benchmark sends hundreds of logins, applications and API
    requests from one address, which the limits would rightly refuse (429)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(INHERITED_CONFIG)}
    return env | {"RATHAUS_VAR_DIR": str(var_dir), "RATHAUS_MODE": "development",
                  "RATHAUS_LOG_LEVEL": "WARNING", "RATHAUS_RATE_LIMITS_ENABLED": "false"} | extra


@contextmanager
def scratch_database(server_url: str):
    """A new, empty database on the server of `server_url`; dropped afterwards."""
    import psycopg  # only PostgreSQL runs need it

    # Generated, so safe to put into the statement as it is.
    name = f"rathaus_bench_{os.getpid()}_{int(time.time())}"
    with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(server_url)._replace(path="/" + name))
    finally:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as conn:
            # FORCE: a worker that did not exit cleanly must not leave the database behind.
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Seconds each step of `setup` may take; a machine busy with other work needs more.
SETUP_TIMEOUT = float(os.environ.get("BENCH_SETUP_TIMEOUT", "300"))


def setup(env: dict, cwd: Path) -> None:
    """`rathaus setup` (migrate, collect static files, load the demo), then the demo's
    queued work done (its dogs' notices, e-mails, the open data refresh), as a running
    instance would have done it, and its successful results pruned: the measured work
    starts from an empty queue. A failed demo task stays, for the checks to find."""
    print("   rathaus setup …", flush=True)
    for command in (["setup"], ["worker", "--batch", "--interval", "0"],
                    ["prune_db_task_results", "--min-age-days", "0",
                     "--failed-min-age-days", "36500", "-v", "0"]):
        done = subprocess.run([sys.executable, "-m", "rathaus", *command], env=env, cwd=cwd,
                              capture_output=True, text=True, timeout=SETUP_TIMEOUT,
                              check=False)
        if done.returncode:
            raise RuntimeError(f"rathaus {command[0]} failed:\n"
                               f"{(done.stdout + done.stderr)[-3000:]}")


@contextmanager
def gunicorn(env: dict, cwd: Path, *, workers: int = 2, threads: int = 1,
             ready_paths=("/healthz",), log_name: str = "gunicorn.log"):
    """gunicorn on a free loopback port, configured as `rathaus serve` configures it by
    default (2 workers of one thread each), answering 200 on `ready_paths`; stopped on
    leaving. Yields the base URL and the master's process id. Several side by side
    need a `log_name` each."""
    port = free_port()
    log_path = cwd / log_name
    # No --access-logfile: gunicorn then writes no access log, which would otherwise
    # cost a write per request and blur the comparison.
    # No control socket: by default every gunicorn uses ~/.gunicorn/gunicorn.ctl, so
    # ours would take it over from a `rathaus serve` running beside the benchmark.
    cmd = [sys.executable, "-m", "gunicorn", "rathaus.wsgi:application",
           "--workers", str(workers), "--threads", str(threads),
           "--bind", f"127.0.0.1:{port}", "--no-control-socket"]
    with open(log_path, "w") as log:
        # Own session: a Ctrl-C in the terminal reaches only us, and the whole group
        # (master and workers) can be stopped by its id below.
        server = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_ready(server, base, log_path, ready_paths)
            yield base, server.pid
        finally:
            stop(server)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_ready(server: subprocess.Popen, base: str, log_path: Path, paths,
                     timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log_path.read_text()[-3000:]}")
        try:
            for path in paths:
                urllib.request.urlopen(base + path, timeout=REQUEST_TIMEOUT).read()
            return
        except (OSError, urllib.error.URLError):
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout:g} s:\n"
                       f"{log_path.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the process group of `process` (started with start_new_session),
    SIGKILL if it has not exited after 15 s."""
    # The whole group, even if the leader is gone: its children may have outlived it.
    try:
        os.killpg(process.pid, signal.SIGTERM)  # gunicorn's graceful shutdown
        process.wait(timeout=15)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def tree_cpu_seconds(*root_pids: int) -> float:
    """User + system CPU time used so far by these processes and their direct children
    (a gunicorn master and its workers)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # Fields after the command name, which is in parentheses and may hold spaces.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        if int(stat.parent.name) in root_pids or int(fields[1]) in root_pids:
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


# --- a citizen's (or anyone's) browser -------------------------------------------------------

class Browser:
    """One browser's cookies over plain http.client; a new connection per request, as
    gunicorn's sync workers close it after each answer anyway."""

    def __init__(self, base: str, timeout: float = 30):
        parts = urlsplit(base)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None,
                timeout: float | None = None, body_out: list | None = None
                ) -> tuple[int, str, float]:
        """Returns status, Location and the time to the full answer in ms; appends the
        body to `body_out` when given."""
        body = urlencode(data) if data is not None else None
        headers = {"Host": f"{self.host}:{self.port}", "Cookie": self._cookie_header()}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout or self.timeout)
        try:
            started = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
            elapsed = (time.perf_counter() - started) * 1000
        finally:
            conn.close()
        if body_out is not None:
            body_out.append(content)
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value and "max-age=0" not in header.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return response.status, response.getheader("Location", ""), elapsed

    def post(self, path: str, data: dict | None = None, **kwargs):
        # The CSRF cookie's value is a valid form token (Django accepts it unmasked).
        return self.request("POST", path, {**(data or {}),
                                           "csrfmiddlewaretoken": self.cookies["csrftoken"]},
                            **kwargs)

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


def expect_redirect(what: str, answer: tuple[int, str, float], location_part: str) -> float:
    """The answer's time in ms if it is a redirect to a URL containing `location_part`;
    else RuntimeError (a preparation step that fails makes the figures meaningless)."""
    status, location, elapsed = answer
    if status != 302 or location_part not in location:
        raise RuntimeError(f"{what}: expected a redirect to …{location_part}…, "
                           f"got {status} {location!r}")
    return elapsed


# --- background workers -------------------------------------------------------------------

class worker_process:
    """One `rathaus <command>` worker process in its own process group, its output in
    the temp dir as worker-<number>.log; stopped on leaving."""

    def __init__(self, env: dict, cwd: Path, command: list[str], number: int):
        self.args = (env, cwd, command, number)

    def __enter__(self) -> subprocess.Popen:
        env, cwd, command, number = self.args
        self.log = open(cwd / f"worker-{number}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "rathaus", *command], env=env, cwd=cwd,
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        return self.process

    def __exit__(self, *exc) -> None:
        try:
            if self.process.poll() is None:
                stop(self.process)
        finally:
            self.log.close()


def worker_log_tail(cwd: Path) -> str:
    return "\n".join(path.read_text()[-1500:] for path in sorted(cwd.glob("worker-*.log")))


class TaskQueue:
    """Reads django-tasks-db's queue directly (no Django in the benchmark's process)."""

    TABLE = "django_tasks_database_dbtaskresult"

    def __init__(self, env: dict, *task_paths: str):
        self.task_paths = task_paths
        url = env.get("DATABASE_URL")
        if url:
            import psycopg

            self.conn = psycopg.connect(url, autocommit=True)
            self.mark = "%s"
        else:
            import sqlite3

            path = Path(env["RATHAUS_VAR_DIR"]) / "rathaus.sqlite3"
            self.conn = sqlite3.connect(path, isolation_level=None, timeout=20)
            self.mark = "?"

    def counts(self) -> dict[str, int]:
        rows = self.conn.execute(
            f"SELECT status, COUNT(*) FROM {self.TABLE} WHERE {self._paths()} "
            "GROUP BY status", self.task_paths).fetchall()
        return dict(rows)

    def counts_of(self, task_path: str) -> dict[str, int]:
        rows = self.conn.execute(
            f"SELECT status, COUNT(*) FROM {self.TABLE} WHERE task_path = {self.mark} "
            "GROUP BY status", (task_path,)).fetchall()
        return dict(rows)

    def span(self) -> tuple[float | None, float | None]:
        """Epoch seconds of the first start and the last finish of the tasks."""
        row = self.conn.execute(
            f"SELECT MIN(started_at), MAX(finished_at) FROM {self.TABLE} "
            f"WHERE {self._paths()}", self.task_paths).fetchone()
        return tuple(_epoch(value) for value in row)

    def unfinished(self) -> int:
        """Tasks of any kind still waiting or running: the queue is drained at 0."""
        return self.conn.execute(
            f"SELECT COUNT(*) FROM {self.TABLE} "
            "WHERE status NOT IN ('SUCCESSFUL', 'FAILED')").fetchone()[0]

    def counts_by_path(self) -> dict[tuple[str, str], int]:
        """{(task path, status): how many} over the whole queue."""
        rows = self.conn.execute(
            f"SELECT task_path, status, COUNT(*) FROM {self.TABLE} "
            "GROUP BY task_path, status").fetchall()
        return {(path, status): count for path, status, count in rows}

    def last_finish_of_any(self) -> float | None:
        """Epoch seconds of the last finish of any task."""
        return _epoch(self.conn.execute(
            f"SELECT MAX(finished_at) FROM {self.TABLE}").fetchone()[0])

    def _paths(self) -> str:
        return f"task_path IN ({', '.join([self.mark] * len(self.task_paths))})"

    def close(self) -> None:
        self.conn.close()


def queued_instance(stack, server_url: str | None, *, name: str) -> tuple[Path, dict]:
    """A fresh instance whose tasks wait in the database queue, for the worker benches:
    a temporary directory and (with `server_url`) a scratch PostgreSQL database, both
    undone by `stack`; returns (the directory, the instance's environment)."""
    tmp = Path(stack.enter_context(
        tempfile.TemporaryDirectory(prefix=f"rathaus-bench-{name}-")))
    env = instance_env(tmp / "var", TASK_BACKEND="database")
    if server_url:
        env["DATABASE_URL"] = stack.enter_context(scratch_database(server_url))
    setup(env, tmp)
    return tmp, env


def scratch_instance(stack, database: str, server_url: str | None,
                     **extra: str) -> tuple[Path, dict]:
    """A fresh instance for measuring on `database` ("sqlite", "postgresql"): a temporary
    directory and (with `server_url`) a scratch PostgreSQL database, both undone by
    `stack`, its environment with `extra`; returns (the directory, the environment)."""
    tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rathaus-bench-")))
    env = instance_env(tmp / "var", **extra)
    if server_url:
        env["DATABASE_URL"] = stack.enter_context(scratch_database(server_url))
    print(f"   [{database}] setting up …", flush=True)
    setup(env, tmp)
    return tmp, env


def prepare_tasks(script: str, n: int, env: dict, cwd: Path, *, timeout: float,
                  what: str) -> tuple[dict, float]:
    """Runs the bench's `prepare n` child, which queues n tasks of the kind `what`;
    returns its answer and the seconds it took. Fewer tasks queued is an error."""
    started = time.monotonic()
    prepared = run_child(script, ["prepare", str(n)], env, cwd, timeout=timeout)
    if prepared["ready"] != n:
        raise RuntimeError(f"expected {n} queued {what} tasks, found {prepared['ready']}")
    return prepared, time.monotonic() - started


def drain_with_workers(stack, env: dict, cwd: Path, command: list[str], *, workers: int,
                       task_paths: tuple[str, ...], n: int,
                       poll_seconds: float = 0.1, until=None) -> dict:
    """Starts `workers` × `rathaus <command>` (entered into the ExitStack `stack`) and
    waits until `n` tasks of `task_paths` have finished (successful or failed: a failed
    task is not retried, it is counted and reported), or, with `until`, until
    `until(queue)` is true (`queue` a TaskQueue of `task_paths`), at most
    max(60 s, n × 1 s); then
    stops the workers. Returns the epoch seconds of the spawn, the first task's start
    and the last one's finish, the workers' and PostgreSQL's CPU seconds meanwhile (and
    the workers' until the first task was seen claimed: their start-up, polled),
    the LockWaits sampler, the load at the end and whether the time bound was hit."""
    database_url = env.get("DATABASE_URL")
    queue = TaskQueue(env, *task_paths)
    db_before = postgres_cpu_seconds() if database_url else 0.0
    spawned_at = time.time()
    processes = [stack.enter_context(worker_process(env, cwd, command, i))
                 for i in range(workers)]
    locks = stack.enter_context(LockWaits(database_url))
    deadline = time.monotonic() + max(60.0, float(n))  # ≥ 1/s or give up
    startup_cpu = None  # the workers' CPU until the first task was claimed
    while True:
        counts = queue.counts()
        if startup_cpu is None and set(counts) - {"READY"}:
            startup_cpu = tree_cpu_seconds(*(p.pid for p in processes))
        if until(queue) if until else counts.get("SUCCESSFUL", 0) + counts.get(
                "FAILED", 0) >= n:
            break
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"a worker exited with {process.returncode}:\n"
                                   f"{worker_log_tail(cwd)}")
        if time.monotonic() > deadline:
            break
        time.sleep(poll_seconds)
    # Sampled while they still run: the CPU time of exited processes is gone.
    worker_cpu = tree_cpu_seconds(*(p.pid for p in processes))
    db_cpu = (postgres_cpu_seconds() - db_before) if database_url else 0.0
    locks.__exit__(None, None, None)
    first_start, last_finish = queue.span()
    load_after = os.getloadavg()[0]
    for process in processes:
        stop(process)
    queue.close()
    return {"spawned_at": spawned_at, "first_start": first_start, "last_finish": last_finish,
            "worker_cpu": worker_cpu, "worker_startup_cpu": startup_cpu or 0.0,
            "db_cpu": db_cpu, "locks": locks,
            "load_after": load_after, "timed_out": time.monotonic() > deadline}


def _epoch(value) -> float | None:
    from datetime import UTC, datetime

    if value is None:
        return None
    if isinstance(value, str):  # SQLite stores ISO text in UTC
        value = datetime.fromisoformat(value.replace(" ", "T"))
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
    return value.timestamp()


# --- database choice -----------------------------------------------------------------------

def postgres_server(options) -> str | None:
    """For the benchmarks that default to PostgreSQL: the server to create the scratch
    database on, or None when BENCH_DATABASE=sqlite asks for SQLite instead."""
    choice = os.environ.get("BENCH_DATABASE", "postgresql").strip().lower()
    if choice == "sqlite":
        return None
    if choice not in ("postgresql", "postgres", "pg"):
        raise ValueError(f"BENCH_DATABASE must be 'postgresql' or 'sqlite', not {choice!r}")
    return getattr(options, "database_url", None) or DEFAULT_POSTGRES_SERVER


def databases(options, skip_sqlite: str) -> list[tuple[str, str | None]]:
    """The (database, PostgreSQL server) pairs a bench measures on: SQLite unless the
    environment variable `skip_sqlite` is set, then PostgreSQL unless BENCH_DATABASE=sqlite."""
    chosen = [] if os.environ.get(skip_sqlite) else [("sqlite", None)]
    server_url = postgres_server(options)
    if server_url:
        chosen.append(("postgresql", server_url))
    return chosen


# --- inside a child process with Django set up -----------------------------------------------

def child_command(script: str, *args: str) -> list[str]:
    """The command that runs `script` (a benchmark module) as a child with `args`."""
    return [sys.executable, script, "--child", *args]


def run_child(script: str, args: list[str], env: dict, cwd: Path, timeout: float) -> dict:
    """Runs the benchmark's child process; returns the JSON of its last output line."""
    import json

    done = subprocess.run(child_command(script, *args),
                          env=env | {"DJANGO_SETTINGS_MODULE": "rathaus.settings"}, cwd=cwd,
                          capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode:
        raise RuntimeError(f"child {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def worker_bench_main(script: str, *, prepare, verify) -> None:
    """The `__main__` of a worker benchmark. As `--child prepare|verify N` (`run_child`):
    Django set up against the instance, the step's answer printed as JSON. Otherwise
    `python bench/<name>.py [options]` runs just this benchmark."""
    import json

    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        import django

        steps = {"prepare": prepare, "verify": verify}
        if sys.argv[2] not in steps:
            raise SystemExit(f"unknown child command {sys.argv[2]!r}")
        django.setup()
        print(json.dumps(steps[sys.argv[2]](int(sys.argv[3]))))
        return
    from run import main

    sys.exit(main(["--only", Path(script).stem, *sys.argv[1:]]))


def create_citizens(count: int, *, prefix: str, password: str) -> list[str]:
    """`count` verified citizens with a profile (address, date of birth) for prefilling.

    One Argon2 hash for all: hashing is deliberately slow (it is what a login costs),
    and hashing the same password again per account would only make the setup slow.
    Returns their e-mail addresses.
    """
    from datetime import date

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from rathaus.accounts.models import CitizenProfile, User

    hashed, now = make_password(password), timezone.now()
    emails = [f"{prefix}-{i:05d}@example.org" for i in range(count)]
    with transaction.atomic():
        users = User.objects.bulk_create([
            User(email=email, password=hashed, first_name="Bettina", last_name=f"Test{i:05d}",
                 kind=User.Kind.CITIZEN, email_verified_at=now)
            for i, email in enumerate(emails)
        ], batch_size=500)
        CitizenProfile.objects.bulk_create([
            CitizenProfile(user=user, date_of_birth=date(1956, 4, 12), street="Musterweg",
                           house_number=str(i % 200 + 1), postcode="42799",
                           city="Leichlingen (Rheinland)")
            for i, user in enumerate(users)
        ], batch_size=500)
    return emails


def dog_registration_pages(i: int) -> list[dict]:
    """The four pages of the Hundeanmeldung for citizen number `i`, as a browser posts
    them (German dates). A small dog (one department task); even numbers pay by
    transfer, odd ones by SEPA direct debit."""
    from datetime import date, timedelta

    today = date.today()
    holder = {"first_name": "Bettina", "last_name": f"Test{i:05d}",
              "date_of_birth": "12.04.1956", "street": "Musterweg",
              "house_number": str(i % 200 + 1), "postcode": "42799",
              "city": "Leichlingen (Rheinland)", "dogs_in_household": "1"}
    dog = {"dog_name": f"Bello {i}", "breed": "labrador", "breed_other": "", "sex": "male",
           "dog_birth_date": (today - timedelta(days=3 * 365)).strftime("%d.%m.%Y"),
           "colour": "schwarz", "microchip": f"276098{100000000 + i:09d}",
           "taken_in": (today - timedelta(days=10)).strftime("%d.%m.%Y"),
           "previous_municipality": ""}
    safety = {"is_large": "no"}
    payment = ({"payment_method": "transfer"} if i % 2 == 0 else
               {"payment_method": "sepa", "account_holder": f"Bettina Test{i:05d}",
                "iban": "DE02 1203 0000 0000 2020 51", "sepa_consent": "on"})
    return [holder, dog, safety, payment]


def worker_command() -> list[str]:
    """`worker` if the project has such a command by now, else django-tasks-db's."""
    from django.core.management import get_commands

    import rathaus.__main__ as entry

    if "worker" in get_commands() or callable(getattr(entry, "worker", None)):
        return ["worker", "--interval", "0.05"]
    return ["db_worker", "--interval", "0.05", "--no-startup-delay", "--no-reload"]


def logged_in_sessions(emails: list[str], *, level: str = "basisregistrierung") -> list[dict]:
    """Per citizen the cookies of a browser after the login: the session as
    `django.contrib.auth.login` and the login view leave it (with the login level
    `level`, as the identity provider's login sets it for "hoch"), and a CSRF cookie.

    Made here rather than by N logins over HTTP, which would cost N Argon2 checks
    (about 0.1 to 0.3 s of CPU each), or N SAML round trips, for nothing that the
    benchmarks measure.
    """
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.crypto import get_random_string

    from rathaus.accounts.login_levels import SESSION_KEY as LEVEL_KEY
    from rathaus.accounts.login_levels import LoginLevel
    from rathaus.accounts.models import User

    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        raise RuntimeError(f"unexpected SESSION_ENGINE {settings.SESSION_ENGINE}")
    level = LoginLevel(level)
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    cookies = []
    for email in emails:
        user = users[email]
        session = SessionStore()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[LEVEL_KEY] = str(level)
        session.create()
        cookies.append({settings.SESSION_COOKIE_NAME: session.session_key,
                        settings.CSRF_COOKIE_NAME: get_random_string(32)})
    return cookies


# --- moving house (Wohnsitzanmeldung) ------------------------------------------------------

MOVING_SERVICE = "wohnsitzanmeldung"
BENCH_IDP = "https://bench.idp.example/"  # the issuer of the bench's ID card data


def mover(i: int) -> dict:
    """Citizen number `i` of the moving benchmarks, as the ID card says: even numbers
    move within the town (their old address is in Leichlingen), odd ones move in from
    Köln or, every other one, from Burscheid (another authority of the demo instance,
    which then gets the Rückmeldung in its basket). Household: i % 3 people move along
    (nobody; a spouse; a spouse and a child). The new home is a street of the demo's
    directory; the old one of a move within the town is another."""
    within = i % 2 == 0
    if within:
        old = ("Musterweg", str(i % 300 + 1), "42799", "Leichlingen (Rheinland)")
    elif i % 4 == 1:
        old = ("Domstraße", str(i % 90 + 1), "50667", "Köln")
    else:
        old = ("Hauptstraße", str(i % 90 + 1), "51399", "Burscheid")
    return {"given_name": "Bettina", "family_name": f"Umzug{i:05d}",
            "birth_date": "1985-03-02", "birth_place": "Köln",
            "street": old[0], "house_number": old[1], "postcode": old[2], "city": old[3],
            "within": within, "members": i % 3,
            "new": (["Marktstraße", "Kirchstraße", "Bahnhofstraße", "Solinger Straße"][i % 4],
                    str(i // 4 % 250 + 1))}


MEMBERS = [  # given names, birth date, birth place, sex, relationship
    ("Jan", "1983-07-09", "Solingen", "m", "spouse"),
    ("Mia", "2015-01-20", "Köln", "w", "child"),
]


def create_id_cards(emails: list[str], first: int = 0) -> None:
    """What the identity provider said at each citizen's login at level hoch
    (identity.services.accept_login keeps it): citizen `first + k` is mover(first + k)."""
    from django.utils import timezone

    from rathaus.accounts.models import User
    from rathaus.identity.models import IdCardData

    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    now = timezone.now()
    IdCardData.objects.bulk_create([
        IdCardData(user=users[email], level="hoch", issuer=BENCH_IDP, received_at=now,
                   **{k: v for k, v in mover(first + k).items() if k in (
                       "given_name", "family_name", "birth_place", "street",
                       "house_number", "postcode", "city")},
                   birth_date=mover(first + k)["birth_date"])
        for k, email in enumerate(emails)
    ], batch_size=500)


def moving_pages(i: int, *, landlord: dict) -> list[dict]:
    """The five steps of the Wohnsitzanmeldung for citizen number `i`, as a browser posts
    them (German dates): the ID card's fields as prefilled (locked: the form keeps the
    card's values), the new home, the household, `landlord` (the landlord step's
    answers) and, for every fourth, an objection. Moved in three days ago."""
    from datetime import date, timedelta

    m = mover(i)
    german = lambda iso: date.fromisoformat(iso).strftime("%d.%m.%Y")  # noqa: E731
    applicant = {"first_name": m["given_name"], "last_name": m["family_name"],
                 "date_of_birth": german(m["birth_date"]), "place_of_birth": m["birth_place"],
                 "sex": "w", "old_street": m["street"], "old_house_number": m["house_number"],
                 "old_postcode": m["postcode"], "old_city": m["city"]}
    street, number = m["new"]
    dwelling = {"move_kind": "within" if m["within"] else "into", "new_street": street,
                "new_house_number": number, "new_postcode": "42799",
                "move_in_date": (date.today() - timedelta(days=3)).strftime("%d.%m.%Y"),
                "residence_kind": "main"}
    household = {"members_count": str(m["members"])}
    for slot, (given, born, place, sex, relationship) in enumerate(MEMBERS[:m["members"]], 1):
        household |= {f"member{slot}_given_names": given,
                      f"member{slot}_family_name": m["family_name"],
                      f"member{slot}_date_of_birth": german(born),
                      f"member{slot}_place_of_birth": place, f"member{slot}_sex": sex,
                      f"member{slot}_relationship": relationship}
    if m["members"]:
        household["same_old_address"] = "on"
    objections = {"objection_elections": "on"} if i % 4 == 0 else {}
    return [applicant, dwelling, household, landlord, objections]


def postgres_cpu_seconds() -> float:
    """CPU time used so far by the PostgreSQL server on this machine (informational: it
    includes whatever else the server does meanwhile). Live processes count with their
    own time; backends that have exited count through the postmaster, which reaped
    them (its children's times), so closing connections never makes the sum shrink."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, _, rest = text.partition(" (")[2].rpartition(")")
        if name == "postgres":
            fields = rest.split()
            ticks += sum(int(fields[i]) for i in (11, 12, 13, 14))  # u, s, cu, cs time
    return ticks / os.sysconf("SC_CLK_TCK")


def percentile(counts, q: float) -> float:
    """The q-th percentile of a Counter {value: how often}."""
    rank, seen = q / 100 * counts.total(), 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= rank:
            return float(value)
    return 0.0


class LockWaits:
    """Samples, every `interval` s, which statements of the scratch database's sessions
    wait for a lock held by another transaction (PostgreSQL only). Tells whether work
    that should run in parallel queues behind a hot row, and behind which table."""

    def __init__(self, database_url: str | None, interval: float = 0.05):
        self.url, self.interval = database_url, interval
        self.samples = 0
        self.in_transaction = 0  # sessions inside a transaction, summed over the samples
        self.waiting: dict[str, int] = {}  # table of the waiting statement -> samples

    def __enter__(self):
        import threading

        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True) if self.url else None
        if self._thread:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        import re

        import psycopg

        table = re.compile(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', re.IGNORECASE)
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self._stop.wait(self.interval):
                rows = conn.execute(
                    "SELECT wait_event_type, query FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND xact_start IS NOT NULL").fetchall()
                self.samples += 1
                self.in_transaction += len(rows)
                for wait_type, query in rows:
                    if wait_type == "Lock":
                        match = table.search(query or "")
                        name = match.group(1) if match else "?"
                        self.waiting[name] = self.waiting.get(name, 0) + 1

    def average_waiting(self) -> float:
        return sum(self.waiting.values()) / self.samples if self.samples else 0.0

    def average_in_transaction(self) -> float:
        return self.in_transaction / self.samples if self.samples else 0.0

    def summary(self) -> str:
        total = sum(self.waiting.values())
        if not total:
            return "none seen"
        parts = sorted(self.waiting.items(), key=lambda item: -item[1])
        return ", ".join(f"{name} {count * 100 / total:.0f}%" for name, count in parts[:3])


def python_load(url: str, *, seconds: float, connections: int, timeout: float) -> dict:
    """A load generator for when wrk is missing: `connections` threads, each sending one
    GET after the other on a kept-alive connection (http.client reconnects by itself
    when the server closed it). Returns requests, seconds, errors and a Counter of
    latencies in microseconds, as the wrk runners do."""
    parts = urlsplit(url)
    target = f"{parts.path}?{parts.query}"
    deadline = time.monotonic() + seconds
    latencies = [Counter() for _ in range(connections)]  # one per thread: no locking
    errors = [0] * connections

    def client(i: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", target)
                response = conn.getresponse()
                response.read()
                ok = response.status < 400
            except (OSError, http.client.HTTPException):
                conn.close()
                ok = False
            if ok:
                latencies[i][round((time.perf_counter() - started) * 1e6)] += 1
            else:
                errors[i] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True)
               for i in range(connections)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + timeout + 5)
    merged = sum(latencies, Counter())
    return {"requests": merged.total(), "seconds": time.monotonic() - started,
            "errors": sum(errors), "latency_us": merged}
