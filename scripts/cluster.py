"""`make cluster`: Rathaus as a data centre runs it, on this machine's loopback.

    .venv/bin/python scripts/cluster.py [--web 2] [--workers 2] [--no-s3] [--keep]
                                        [--database-url URL]

It starts, each a process of its own with its log in the cluster's directory:

- a scratch database on the PostgreSQL server here (postgresql://postgres@127.0.0.1:5432,
  or --database-url), dropped at the end unless --keep;
- an S3-protocol object store for the documents (moto's server, with a bucket),
  unless --no-s3 (then the storage directory);
- `rathaus setup` once (migrations, static files, the demo);
- N web processes (gunicorn, rathaus.wsgi:application), each on its own loopback port;
- nginx on loopback in front of them, configured from deploy/nginx/rathaus-proxy.conf,
  the same locations a production site includes (plain HTTP instead of TLS);
- N workers (`rathaus worker`) on the one queue in the database.

It prints the address, the demo logins and the processes, then runs until Ctrl-C or
SIGTERM and stops everything. Every process gets the same SECRET_KEY and
RATHAUS_MASTER_KEY, generated for this cluster.

The load, fault and scale-out tests use the `Cluster` class (a context manager) of
this file: see its docstring.
"""

import argparse
import base64
import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from _instance import free_port, instance_env, stop  # noqa: E402

DEFAULT_POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
NGINX_SITE_LOCATIONS = ROOT / "deploy" / "nginx" / "rathaus-proxy.conf"
# The production site's paths in rathaus-proxy.conf, replaced by the cluster's.
SITE_VAR_DIR = "/var/lib/rathaus"
S3_KEYS = {"RATHAUS_S3_ACCESS_KEY_ID": "cluster", "RATHAUS_S3_SECRET_ACCESS_KEY": "cluster-secret"}
S3_REGION = "us-east-1"
RESTART_AFTER = 1.0  # seconds, as systemd's RestartSec=1
START_TIMEOUT = 90  # seconds for a process to answer


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                       else None)
    if not found:
        raise RuntimeError("nginx is not installed: `apt-get install nginx` (make cluster "
                           "does it when it may).")
    return found


class _Process:
    """One long-running process of the cluster, in its own process group (so a Ctrl-C
    in the terminal reaches only the cluster script, and a kill takes its children),
    its output appended to `log`."""

    def __init__(self, name: str, command: list[str], env: dict, log: Path):
        self.name, self.command, self.env, self.log = name, command, env, log
        self.popen: subprocess.Popen | None = None
        self.wanted = False  # restart when it dies (with supervise)
        self.died_at: float | None = None

    def start(self) -> None:
        metrics = self.env.get("PROMETHEUS_MULTIPROC_DIR")
        if metrics:  # empty at every start: a dead process' counts would stay in the sum
            shutil.rmtree(metrics, ignore_errors=True)
            Path(metrics).mkdir(parents=True)
        with open(self.log, "a") as log:
            self.popen = subprocess.Popen(  # noqa: S603 - our own commands
                self.command, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        self.wanted, self.died_at = True, None

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal(self, sig: int) -> None:
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)
        if sig == signal.SIGKILL:
            self.popen.wait(timeout=10)

    def stop(self) -> None:
        self.wanted = False
        if self.popen is not None:
            stop(self.popen)

    def describe(self) -> str:
        pid = self.popen.pid if self.alive() else "-"
        return f"{self.name:<10} pid {pid!s:<8} log {self.log}"


class Cluster:
    """Rathaus on loopback: PostgreSQL, an S3 server, `web` gunicorn processes behind
    nginx and `workers` workers. A context manager; everything started is stopped on
    leaving, also after an error while starting or Ctrl-C.

    database_url None: a scratch database on the server here, dropped at exit (else
    that database, kept). s3=False: the storage directory instead of an object store.
    demo=False: only migrations and static files, no demo data. supervise=True: a web
    or worker process that dies is started again after ~1 s (systemd's Restart=always).
    extra_env: more settings for every Rathaus process (they win over the defaults).

    Attributes: url (nginx), web_urls (each web process directly), env (to run
    `rathaus …` against the cluster), var_dir, database_url, bucket, s3_endpoint.
    """

    def __init__(self, *, web: int = 2, workers: int = 2, s3: bool = True,
                 database_url: str | None = None, var_dir: Path | str | None = None,
                 demo: bool = True, supervise: bool = False, extra_env: dict | None = None,
                 keep_database: bool = False, postgres_server: str = DEFAULT_POSTGRES_SERVER):
        self.web_count, self.worker_count, self.use_s3 = web, workers, s3
        self.demo, self.supervise, self.extra_env = demo, supervise, dict(extra_env or {})
        self.database_url = database_url
        self._own_database = database_url is None
        self._keep_database = keep_database
        self._postgres_server = postgres_server
        self._own_var_dir = var_dir is None
        self.var_dir = Path(var_dir) if var_dir else Path(
            tempfile.mkdtemp(prefix="rathaus-cluster-"))
        self.logs = self.var_dir / "logs"
        self.bucket = self.s3_endpoint = None
        self.webs: list[_Process] = []
        self.workers: list[_Process] = []
        self._others: list[_Process] = []  # moto, nginx
        self._stopping = threading.Event()
        self._supervisor: threading.Thread | None = None
        self._lock = threading.RLock()
        self.url = ""
        self.web_urls: list[str] = []
        self.env: dict = {}
        self.started_in: float | None = None
        self.timings: dict[str, float] = {}  # seconds each part of the start took

    # --- the whole ----------------------------------------------------------------------

    def __enter__(self) -> "Cluster":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        began = time.monotonic()
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        self.started_in = time.monotonic() - began

    def _start(self) -> None:
        began = time.monotonic()
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.logs.mkdir(exist_ok=True)
        if self._own_database:
            self.database_url = _create_database(self._postgres_server)
        env = instance_env(
            self.var_dir, DATABASE_URL=self.database_url, TASK_BACKEND="database",
            RATHAUS_LOG_LEVEL="INFO",
            SECRET_KEY=secrets.token_urlsafe(50),
            RATHAUS_MASTER_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
            # nginx is the one trusted proxy; it sets X-Forwarded-For.
            RATHAUS_PROXY_COUNT="1",
            PYTHONUNBUFFERED="1")
        if self.use_s3:
            env |= self._start_s3()
        self.env = env | self.extra_env
        self.timings["database and s3"] = time.monotonic() - began
        self._setup()
        self.timings["rathaus setup"] = time.monotonic() - began - sum(self.timings.values())
        # Ports chosen only now: the minutes of the setup would give other programs the
        # time to take them.
        web_ports = [free_port() for _ in range(self.web_count)]
        nginx_port = free_port()
        self.url = f"http://127.0.0.1:{nginx_port}"
        self.web_urls = [f"http://127.0.0.1:{port}" for port in web_ports]
        self.env = env | {"RATHAUS_PUBLIC_URL": f"http://{{host}}:{nginx_port}"} | self.extra_env
        for i, port in enumerate(web_ports):
            # Its gunicorn workers add up their metrics here (as rathaus-web@.service's
            # RuntimeDirectory), so a scrape of the process shows all of them.
            metrics = {"PROMETHEUS_MULTIPROC_DIR": str(self.var_dir / "metrics" / f"web-{i}")}
            self.webs.append(_Process(f"web-{i}", self._web_command(port), self.env | metrics,
                                      self.logs / f"web-{i}.log"))
            self.webs[i].start()
        for i in range(self.worker_count):
            self.workers.append(_Process(
                f"worker-{i}", [sys.executable, "-m", "rathaus", "worker", "--interval", "0.5"],
                self.env, self.logs / f"worker-{i}.log"))
            self.workers[i].start()
        for process, url in zip(self.webs, self.web_urls, strict=True):
            _wait_for_http(process, url + "/healthz")
        self._start_nginx(nginx_port, web_ports)
        self.timings["web, nginx, workers"] = (time.monotonic() - began
                                               - sum(self.timings.values()))
        for process in self.workers:
            if not process.alive():
                raise RuntimeError(f"{process.name} exited:\n{_tail(process.log)}")
        if self.supervise:
            self._supervisor = threading.Thread(target=self._supervise, daemon=True)
            self._supervisor.start()

    def stop(self) -> None:
        """Stops every process (nginx first, so nothing new comes in; workers finish
        their current task), then drops the scratch database."""
        self._stopping.set()
        with self._lock:
            processes = [p for p in self._others if p.name == "nginx"] + self.webs + \
                self.workers + [p for p in self._others if p.name != "nginx"]
            for process in processes:
                try:
                    process.stop()
                except Exception as error:  # noqa: BLE001 - stop the others all the same
                    print(f"could not stop {process.name}: {error}", file=sys.stderr)
        if self._own_database and self.database_url and not self._keep_database:
            _drop_database(self._postgres_server, self.database_url)
            self.database_url = None
        if self._own_var_dir and not self._keep_database:
            shutil.rmtree(self.var_dir, ignore_errors=True)

    # --- single processes ---------------------------------------------------------------

    def kill_web(self, i: int, sig: int = signal.SIGKILL) -> None:
        self.webs[i].signal(sig)

    def start_web(self, i: int) -> None:
        with self._lock:
            if not self.webs[i].alive():
                self.webs[i].start()
        _wait_for_http(self.webs[i], self.web_urls[i] + "/healthz")

    def kill_worker(self, i: int, sig: int = signal.SIGKILL) -> None:
        self.workers[i].signal(sig)

    def start_worker(self, i: int) -> None:
        with self._lock:
            if not self.workers[i].alive():
                self.workers[i].start()

    def processes(self) -> list[str]:
        return [p.describe() for p in [*self._others, *self.webs, *self.workers]]

    def wait_until_idle(self, timeout: float = 120) -> None:
        """Until no task is due or running: the workers have done what was asked. Tasks
        scheduled for later (a retry in an hour) do not count."""
        import psycopg

        deadline = time.monotonic() + timeout
        with psycopg.connect(_libpq_url(self.database_url), autocommit=True) as conn:
            while True:
                waiting = conn.execute(
                    "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
                    "WHERE status = 'RUNNING' OR (status = 'READY' AND (run_after <= now() "
                    # django-tasks-db's "no run_after" is 9999-01-01.
                    "OR run_after >= '9999-01-01'))").fetchone()[0]
                if not waiting:
                    return
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{waiting} task(s) still waiting after {timeout:g} s")
                time.sleep(0.2)

    # --- parts ----------------------------------------------------------------------------

    def _web_command(self, port: int) -> list[str]:
        # As `rathaus serve` runs it, but each on its own port; no control socket, so
        # several gunicorns on one machine do not take ~/.gunicorn/gunicorn.ctl from
        # each other.
        return [sys.executable, "-m", "gunicorn", "rathaus.wsgi:application",
                "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "1",
                "--access-logfile", "-", "--no-control-socket", "--graceful-timeout", "10"]

    def _start_s3(self) -> dict:
        import boto3

        port = free_port()
        self.s3_endpoint = f"http://127.0.0.1:{port}"
        self.bucket = "rathaus-documents"
        moto = _Process("s3", [str(Path(sys.executable).parent / "moto_server"),
                               "-H", "127.0.0.1", "-p", str(port)],
                        instance_env(self.var_dir), self.logs / "s3.log")
        self._others.append(moto)
        moto.start()
        _wait_for_http(moto, self.s3_endpoint + "/")
        boto3.client("s3", endpoint_url=self.s3_endpoint, region_name=S3_REGION,
                     aws_access_key_id=S3_KEYS["RATHAUS_S3_ACCESS_KEY_ID"],
                     aws_secret_access_key=S3_KEYS["RATHAUS_S3_SECRET_ACCESS_KEY"],
                     ).create_bucket(Bucket=self.bucket)
        return {"RATHAUS_STORAGE_BACKEND": "s3", "RATHAUS_S3_BUCKET": self.bucket,
                "RATHAUS_S3_ENDPOINT_URL": self.s3_endpoint, "RATHAUS_S3_REGION": S3_REGION,
                "RATHAUS_S3_ADDRESSING_STYLE": "path", **S3_KEYS}

    def _setup(self) -> None:
        steps = [["setup"]] if self.demo else [["migrate", "--no-input", "-v", "0"],
                                                ["collectstatic", "--no-input", "-v", "0"]]
        log = self.logs / "setup.log"
        for step in steps:
            with open(log, "a") as out:
                done = subprocess.run(  # noqa: S603 - our own command
                    [sys.executable, "-m", "rathaus", *step], env=self.env, cwd=ROOT,
                    stdout=out, stderr=subprocess.STDOUT, timeout=900, check=False)
            if done.returncode:
                raise RuntimeError(f"rathaus {step[0]} failed:\n{_tail(log)}")

    def _start_nginx(self, port: int, web_ports: list[int]) -> None:
        folder = self.var_dir / "nginx"
        folder.mkdir(exist_ok=True)
        locations = NGINX_SITE_LOCATIONS.read_text()
        for site, here in ((f"root {SITE_VAR_DIR};", f"root {self.var_dir};"),
                           # Not on port 443: the Host must keep the port, or Django
                           # refuses every form (the browser's Origin has the port).
                           ("proxy_set_header Host $host;", "proxy_set_header Host $http_host;")):
            if site not in locations:
                raise RuntimeError(f"{NGINX_SITE_LOCATIONS} no longer has `{site}`")
            locations = locations.replace(site, here)
        (folder / "rathaus-proxy.conf").write_text(locations)
        config = folder / "nginx.conf"
        config.write_text(_nginx_config(folder, port, web_ports))
        nginx = _Process("nginx", [nginx_binary(), "-p", str(folder), "-c", str(config)],
                         instance_env(self.var_dir), self.logs / "nginx.log")
        self._others.append(nginx)
        nginx.start()
        _wait_for_http(nginx, self.url + "/healthz")

    def _supervise(self) -> None:
        while not self._stopping.wait(0.2):
            with self._lock:
                if self._stopping.is_set():
                    return
                for process in [*self.webs, *self.workers]:
                    if not process.wanted or process.alive():
                        continue
                    now = time.monotonic()
                    if process.died_at is None:
                        process.died_at = now
                    elif now - process.died_at >= RESTART_AFTER:
                        process.start()


def _nginx_config(folder: Path, port: int, web_ports: list[int]) -> str:
    """The loopback variant of deploy/nginx/rathaus.conf: plain HTTP on one port, this
    cluster's web processes, every file nginx writes below `folder`."""
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;"
                        for p in web_ports)
    # As root, nginx's workers would switch to `nobody`, who cannot read the cluster's
    # private directory; as anyone else the directive is ignored (with a warning).
    user = "user root;" if os.geteuid() == 0 else ""
    temp = "\n".join(f"    {kind}_temp_path {folder}/{kind}_temp;"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""# Rendered by scripts/cluster.py; the locations are deploy/nginx/rathaus-proxy.conf.
daemon off;
{user}
worker_processes 2;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    server_tokens off;
{temp}
    log_format rathaus '$remote_addr - [$time_local] "$request" $status $body_bytes_sent '
                       '$request_time "$upstream_addr" $upstream_response_time $request_id';
    access_log {folder}/access.log rathaus;
    upstream rathaus_web {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        server_name _;
        include {folder}/rathaus-proxy.conf;
    }}
}}
"""


def _create_database(server_url: str) -> str:
    import psycopg

    name = f"rathaus_cluster_{os.getpid()}_{int(time.time() * 1000)}"  # generated: safe
    with psycopg.connect(_libpq_url(server_url), autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(server_url)._replace(path="/" + name))


def _drop_database(server_url: str, database_url: str) -> None:
    import psycopg

    name = urlsplit(database_url).path.lstrip("/")
    with psycopg.connect(_libpq_url(server_url), autocommit=True, connect_timeout=10) as conn:
        # FORCE: a process that did not exit cleanly must not keep the database.
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _libpq_url(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def _wait_for_http(process: _Process, url: str, timeout: float = START_TIMEOUT) -> None:
    """Until `url` answers at all (any HTTP status: the process is up, whatever it
    says)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.alive():
            raise RuntimeError(f"{process.name} exited:\n{_tail(process.log)}")
        try:
            urllib.request.urlopen(url, timeout=5).read()  # noqa: S310 - http://127.0.0.1
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{process.name} did not answer within {timeout:g} s:\n"
                       f"{_tail(process.log)}")


def _tail(path: Path, chars: int = 3000) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--web", type=int, default=2, help="web processes (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="workers (default 2)")
    parser.add_argument("--no-s3", action="store_true",
                        help="documents in the storage directory, no object store")
    parser.add_argument("--keep", action="store_true",
                        help="keep the scratch database and the cluster's directory")
    parser.add_argument("--database-url", default=None,
                        help="use this (migrated or empty) database instead of a scratch one")
    parser.add_argument("--postgres-server", default=DEFAULT_POSTGRES_SERVER,
                        help="the server of the scratch database")
    args = parser.parse_args(argv)

    def terminate(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    cluster = Cluster(web=args.web, workers=args.workers, s3=not args.no_s3,
                      database_url=args.database_url, keep_database=args.keep,
                      postgres_server=args.postgres_server, supervise=True)
    print(f"Starting the cluster in {cluster.var_dir} (rathaus setup takes a minute) …",
          flush=True)
    try:
        cluster.start()
        print(f"\nRathaus runs at {cluster.url}/  (nginx; came up in "
              f"{cluster.started_in:.0f} s)")
        print(f"  demo logins:   {cluster.var_dir / 'demo-credentials.txt'}")
        print(f"  database:      {cluster.database_url}"
              + ("" if args.keep or args.database_url else "  (dropped at the end)"))
        if cluster.bucket:
            print(f"  documents:     s3://{cluster.bucket} at {cluster.s3_endpoint}")
        print(f"  nginx log:     {cluster.var_dir / 'nginx' / 'access.log'}")
        print("  processes (restarted after 1 s when they die):")
        for line in cluster.processes():
            print(f"    {line}")
        print("Stop with Ctrl-C.", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("\nStopping …", flush=True)
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
