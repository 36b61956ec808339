"""Open data at size, side by side with Datasette and pygeoapi on the same rows (issue 4).

What is compared, in one run on the same generated data:

- CSV: the full 1,000,000-row dataset streamed from Rathaus
  (`/daten/<name>/download.csv`) against Datasette's streamed CSV export of the same
  table (`/<db>/<table>.csv?_stream=on&_size=max`), in MB/s; target ≥ 5×.
- Memory: the peak VmRSS of each Rathaus gunicorn worker, sampled every 10 ms while it
  streams the CSV (plain and gzip) and the JSON download of those rows; target < 200 MB.
- OGC items: `/ogc/collections/<id>/items?limit=1000` under 4 concurrent connections
  (wrk), requests/s against pygeoapi's `/collections/<id>/items?limit=1000` on the same
  100,000 points; target ≥ 2×. Measured in alternating rounds, so that other work on
  the shared machine weighs on both alike.
- OGC queries: a bbox query, a deep page (offset 90,000) and a single item, each by one
  client on one keep-alive connection (wrk -c1, whose own cost per request is far below
  a Python client's), in alternating rounds; p50 latency each; target: Rathaus ≥ 3×
  faster.
- Correctness: the CSV row counts, and the same numberMatched (pygeoapi's SQLite
  provider reports it only for `resulttype=hits`) and the same feature ids for every
  OGC query on both.

How:

1. Data, generated with a fixed seed and cached in BENCH_CACHE_DIR (default
   bench/.cache/opendata, gitignored): a CSV of 1,000,000 rows (id, text, integer,
   decimal, date, lat, lon) and one of 100,000 points inside Germany's bounding box
   (id, species, year, height, district, lat, lon); from them an SQLite file for
   Datasette and a SpatiaLite file (geometry column, spatial index) for pygeoapi.
2. Rathaus: a scratch instance (`rathaus setup`; SQLite in the temp dir, or a scratch
   PostgreSQL database with --database-url), both CSV files loaded through the real
   services in a child process: `receive_upload` (the full check: UTF-8, columns,
   types, privacy), `confirm_upload` (writes the version store) and `publish`. That
   takes about a minute for the 1M rows, and is reported. Served by gunicorn with 2
   workers of 4 threads each (`RATHAUS_WEB_THREADS=4`), as suits a server of long
   downloads, which hold a thread each.
3. Datasette and pygeoapi, from PyPI at pinned versions, in a venv of Debian's
   /usr/bin/python3 (its sqlite3 can load SpatiaLite; pyenv's build cannot), cached
   next to the data. Datasette runs as `datasette serve -i` (immutable file, its
   production mode: one uvicorn process); pygeoapi's Flask app with its SQLite/GPKG
   provider runs under gunicorn with the same 2 workers × 4 threads as Rathaus.
   Missing pieces (python3-venv, libsqlite3-mod-spatialite, wrk) are installed with
   apt-get when running as root. If a tool still cannot be had, its rows say so and the
   rest is measured.

Everything listens on 127.0.0.1 only. BENCH_OPENDATA_ROWS / BENCH_OPENDATA_POINTS
shrink the data for a quick try (the targets then mean less).
"""

import hashlib
import http.client
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack, contextmanager
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import _instance
from _instance import (
    free_port,
    gunicorn,
    instance_env,
    percentile,
    python_load,
    run_child,
    scratch_database,
    stop,
    tree_cpu_seconds,
    wait_until_ready,
)

BENCH_DIR = Path(__file__).resolve().parent
SEED = 20261104
ROWS = int(os.environ.get("BENCH_OPENDATA_ROWS", "1000000"))
POINTS = int(os.environ.get("BENCH_OPENDATA_POINTS", "100000"))
DATA_VERSION = 1  # bump when the generators change, so old caches are not reused

# Pinned: the comparison must not drift with upstream releases. pygeoapi 0.21.0 is the
# newest that runs on Debian 12's Python 3.11; gunicorn as in pyproject.toml.
PINS = ("datasette==0.65.5", "pygeoapi==0.21.0", "gunicorn==27.0.1")

WORKERS, THREADS = 2, 4
ITEMS_LIMIT = 1000
ITEMS_CONNECTIONS, WRK_THREADS = 4, 2
ROUND_SECONDS = 3
ROUNDS = 2
BBOX = (6.8, 50.8, 7.4, 51.3)  # around Leichlingen; ~0.4 % of the points
BBOX_LIMIT = 100
DEEP_OFFSET, DEEP_LIMIT = 90_000, 100
CSV_REPEATS = 3
LATENCY_SECONDS = 2  # per round and system, one connection (wrk counts whole seconds)
TIMEOUT = 120  # seconds for one request; Datasette's full export takes several seconds

TARGET_CSV_RATIO = 5.0
TARGET_RSS_MB = 200.0
TARGET_ITEMS_RATIO = 2.0
TARGET_QUERY_RATIO = 3.0

ROWS_TABLE, POINTS_TABLE = "daten", "baeume"
ROWS_DATASET, POINTS_DATASET = "bench-zeilen", "bench-baeume"


def cache_dir() -> Path:
    path = Path(os.environ.get("BENCH_CACHE_DIR", BENCH_DIR / ".cache")) / "opendata"
    path.mkdir(parents=True, exist_ok=True)
    return path


# --- the benchmark ---------------------------------------------------------------------------

def run(options) -> list[dict]:
    load_before = os.getloadavg()[0]
    cache = cache_dir()
    started = time.monotonic()
    rows_csv, points_csv = generate_rows(cache), generate_points(cache)
    print(f"   data ready ({time.monotonic() - started:.0f} s): {rows_csv.name}, "
          f"{points_csv.name}", flush=True)
    tools = BenchTools(cache)
    wrk = _find_wrk()
    rows: list[dict] = []
    database = "postgresql" if options.database_url else "sqlite"

    with ExitStack() as stack:  # unwinds in reverse: servers, database, temp dir
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rathaus-bench-")))
        env = instance_env(tmp / "var", RATHAUS_OPENDATA_MAX_UPLOAD_MB="2048")
        if options.database_url:
            env["DATABASE_URL"] = stack.enter_context(scratch_database(options.database_url))
        _instance.setup(env, tmp)
        print("   loading both datasets through the open data services …", flush=True)
        loaded = run_child(__file__, ["load", json.dumps([str(rows_csv), str(points_csv)])],
                           env, tmp, timeout=1800)
        rathaus_base, rathaus_pid = stack.enter_context(gunicorn(
            env, tmp, workers=WORKERS, threads=THREADS,
            ready_paths=("/healthz", f"/ogc/collections/{POINTS_DATASET}")))
        datasette_base = pygeoapi_base = None
        pygeoapi_pid = None
        if tools.datasette_error is None:
            db = tools.datasette_db(rows_csv)
            datasette_base = stack.enter_context(tools.datasette(db, tmp))
        if tools.pygeoapi_error is None:
            db = tools.pygeoapi_db(points_csv)
            if tools.pygeoapi_error is None:
                pygeoapi_base, pygeoapi_pid = stack.enter_context(tools.pygeoapi(db, tmp))

        rows += _setup_rows(options, database, loaded, tools, wrk, load_before)
        rows += _csv_rows(rathaus_base, rathaus_pid, datasette_base, tools)
        rows += _ogc_rows(rathaus_base, rathaus_pid, pygeoapi_base, pygeoapi_pid, tools, wrk,
                          tmp)
    return rows


def _setup_rows(options, database, loaded, tools, wrk, load_before) -> list[dict]:
    client = (f"wrk {WRK_THREADS} threads" if wrk else "Python threads (wrk unavailable)")
    setup = (f"rathaus on {database}, gunicorn {WORKERS} workers × {THREADS} threads; "
             f"datasette serve -i; pygeoapi SQLiteGPKG provider under gunicorn "
             f"{WORKERS}×{THREADS}; items load: {client}, {ITEMS_CONNECTIONS} connections")
    out = [
        {"metric": "setup", "value": setup},
        {"metric": "data", "value": f"{ROWS:,} rows, {POINTS:,} points, seed {SEED}"},
        {"metric": "machine load (1-min avg) before", "value": round(load_before, 2)},
        {"metric": f"load {ROWS:,} rows: check upload (services)",
         "value": loaded["rows"]["check_s"], "unit": "s"},
        {"metric": f"load {ROWS:,} rows: write version store (services)",
         "value": loaded["rows"]["store_s"], "unit": "s"},
    ]
    for name, error in (("datasette", tools.datasette_error),
                        ("pygeoapi", tools.pygeoapi_error)):
        out.append({"metric": f"{name} {tools.version(name)}",
                    "value": "ready" if error is None else f"UNAVAILABLE: {error}",
                    "ok": None if error is None else False})
    return out


# --- CSV and memory --------------------------------------------------------------------------

def _csv_rows(rathaus, rathaus_pid, datasette, tools) -> list[dict]:
    csv_url = f"{rathaus}/daten/{ROWS_DATASET}/download.csv"
    runs = []
    with RssSampler(rathaus_pid) as rss:
        for _ in range(CSV_REPEATS):
            runs.append(download(csv_url))
        gzipped = download(csv_url, {"Accept-Encoding": "gzip"})
        as_json = download(f"{rathaus}/daten/{ROWS_DATASET}/download.json")
    best = max(runs, key=lambda r: r["mb_s"])
    median_mb_s = statistics.median(r["mb_s"] for r in runs)
    csv_rows = best["lines"] - 1  # the header
    print(f"   rathaus CSV: {median_mb_s:.0f} MB/s (median of {CSV_REPEATS}, "
          f"{best['bytes'] / 1e6:.1f} MB), gzip {gzipped['mb_s']:.0f} MB/s on the wire, "
          f"JSON {as_json['mb_s']:.0f} MB/s; worker peak RSS {rss.peak_mb:.0f} MB "
          f"(before {rss.first_mb:.0f} MB)", flush=True)
    out = [
        {"metric": "rathaus CSV download (median)", "value": median_mb_s, "unit": "MB/s"},
        {"metric": "rathaus CSV rows", "value": csv_rows, "target": f"= {ROWS:,}",
         "ok": csv_rows == ROWS},
        {"metric": "rathaus CSV download, gzip (compressed bytes)", "value": gzipped["mb_s"],
         "unit": "MB/s"},
        {"metric": "rathaus JSON download (store file)", "value": as_json["mb_s"],
         "unit": "MB/s"},
        {"metric": "rathaus worker RSS before downloads", "value": rss.first_mb, "unit": "MB"},
        {"metric": "rathaus worker peak RSS while streaming", "value": rss.peak_mb,
         "unit": "MB", "target": f"< {TARGET_RSS_MB:g} MB", "ok": rss.peak_mb < TARGET_RSS_MB},
    ]
    if datasette is None:
        out.append({"metric": "CSV throughput vs Datasette",
                    "value": f"not measured: Datasette unavailable ({tools.datasette_error})",
                    "target": f">= {TARGET_CSV_RATIO:g}×", "ok": False})
        return out
    theirs = download(f"{datasette}/bench/{ROWS_TABLE}.csv?_stream=on&_size=max")
    their_rows = theirs["lines"] - 1
    ratio = median_mb_s / theirs["mb_s"] if theirs["mb_s"] else 0.0
    print(f"   datasette CSV: {theirs['mb_s']:.1f} MB/s ({theirs['bytes'] / 1e6:.1f} MB, "
          f"{theirs['seconds']:.1f} s)", flush=True)
    out += [
        {"metric": "datasette CSV export (_stream=on)", "value": theirs["mb_s"],
         "unit": "MB/s"},
        {"metric": "datasette CSV rows", "value": their_rows, "target": f"= {ROWS:,}",
         "ok": their_rows == ROWS},
        {"metric": "CSV rows/s rathaus vs datasette",
         "value": f"{csv_rows / best['seconds']:,.0f} vs {their_rows / theirs['seconds']:,.0f}"},
        {"metric": "CSV throughput rathaus/datasette", "value": round(ratio, 1), "unit": "×",
         "target": f">= {TARGET_CSV_RATIO:g}×", "ok": ratio >= TARGET_CSV_RATIO},
    ]
    return out


def download(url: str, headers: dict | None = None) -> dict:
    """GET `url` to the end in 1 MiB reads; bytes, newlines and seconds."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT)
    size = lines = 0
    started = time.perf_counter()
    try:
        conn.request("GET", f"{parts.path}?{parts.query}" if parts.query else parts.path,
                     headers=headers or {})
        response = conn.getresponse()
        if response.status != 200:
            raise RuntimeError(f"GET {url} answered {response.status}: "
                               f"{response.read(500)!r}")
        while chunk := response.read(1 << 20):
            size += len(chunk)
            lines += chunk.count(b"\n")
    finally:
        conn.close()
    seconds = time.perf_counter() - started
    return {"bytes": size, "lines": lines, "seconds": seconds,
            "mb_s": size / 1e6 / seconds if seconds else 0.0}


class RssSampler:
    """Samples VmRSS of the gunicorn master's children (the workers) every 10 ms; the
    peak is that of the largest single worker, the process that serves a download."""

    def __init__(self, master_pid: int, interval: float = 0.01):
        self.master, self.interval = master_pid, interval
        self.peak_kb = self.first_kb = 0

    def __enter__(self):
        self.first_kb = max(self._sample().values(), default=0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _workers(self) -> list[int]:
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == self.master:
                    pids.append(int(stat.parent.name))
            except (OSError, IndexError, ValueError):
                continue
        return pids

    def _sample(self) -> dict[int, int]:
        found = {}
        for pid in getattr(self, "pids", None) or self._workers():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        found[pid] = int(line.split()[1])
            except OSError:
                continue
        return found

    def _run(self) -> None:
        self.pids = self._workers()  # listed once: scanning /proc every 10 ms costs CPU
        while not self._stop.wait(self.interval):
            self.peak_kb = max(self.peak_kb, *self._sample().values(), 0)

    @property
    def peak_mb(self) -> float:
        return max(self.peak_kb, self.first_kb) / 1024

    @property
    def first_mb(self) -> float:
        return self.first_kb / 1024


# --- OGC API – Features ----------------------------------------------------------------------

def _ogc_paths(rathaus: str, pygeoapi: str | None) -> dict:
    bbox = ",".join(str(x) for x in BBOX)
    ours = f"{rathaus}/ogc/collections/{POINTS_DATASET}/items"
    theirs = f"{pygeoapi}/collections/{POINTS_TABLE}/items" if pygeoapi else None
    single = POINTS * 54321 // 100_000 or 1
    queries = {
        "items": f"?f=json&limit={ITEMS_LIMIT}",
        "bbox": f"?f=json&bbox={bbox}&limit={BBOX_LIMIT}",
        "deep page": f"?f=json&offset={min(DEEP_OFFSET, max(POINTS - DEEP_LIMIT, 0))}"
                     f"&limit={DEEP_LIMIT}",
        "single item": f"/{single}?f=json",
    }
    return {name: (ours + q, theirs + q if theirs else None) for name, q in queries.items()}


def _ogc_rows(rathaus, rathaus_pid, pygeoapi, pygeoapi_pid, tools, wrk, tmp) -> list[dict]:
    urls = _ogc_paths(rathaus, pygeoapi)
    out = []
    agree = _compare_answers(urls, pygeoapi) if pygeoapi else None

    # Throughput of the 1,000-feature page, alternating rounds.
    systems = {"rathaus": (urls["items"][0], rathaus_pid)}
    if pygeoapi:
        systems["pygeoapi"] = (urls["items"][1], pygeoapi_pid)
    tallies = {name: Counter() for name in systems}
    for url, _pid in systems.values():
        load(wrk, tmp, url, 1.0)  # warm-up: connections, imports, page cache
    for _ in range(ROUNDS):
        for name, (url, pid) in systems.items():
            cpu = tree_cpu_seconds(pid)
            sample = load(wrk, tmp, url, ROUND_SECONDS)
            tallies[name].update(requests=sample["requests"], errors=sample["errors"],
                                 us=round(sample["seconds"] * 1e6),
                                 cpu_us=round((tree_cpu_seconds(pid) - cpu) * 1e6))
    rps = {}
    for name, t in tallies.items():
        rps[name] = t["requests"] / (t["us"] / 1e6) if t["us"] else 0.0
        cpu_ms = t["cpu_us"] / 1000 / t["requests"] if t["requests"] else 0.0
        print(f"   {name} items?limit={ITEMS_LIMIT}: {rps[name]:.1f} req/s, server CPU "
              f"{cpu_ms:.1f} ms/req, errors {t['errors']}", flush=True)
        out += [
            {"metric": f"{name} OGC items limit={ITEMS_LIMIT}, {ITEMS_CONNECTIONS} clients",
             "value": rps[name], "unit": "req/s"},
            {"metric": f"{name} OGC items server CPU per request", "value": cpu_ms,
             "unit": "ms"},
        ]
    errors = sum(t["errors"] for t in tallies.values())
    out.append({"metric": "OGC items failed or non-2xx requests", "value": errors,
                "target": "= 0", "ok": errors == 0})
    if pygeoapi:
        ratio = rps["rathaus"] / rps["pygeoapi"] if rps["pygeoapi"] else 0.0
        out.append({"metric": "OGC items throughput rathaus/pygeoapi", "value": round(ratio, 1),
                    "unit": "×", "target": f">= {TARGET_ITEMS_RATIO:g}×",
                    "ok": ratio >= TARGET_ITEMS_RATIO})
    else:
        out.append({"metric": "OGC items throughput rathaus/pygeoapi",
                    "value": f"not measured: pygeoapi unavailable ({tools.pygeoapi_error})",
                    "target": f">= {TARGET_ITEMS_RATIO:g}×", "ok": False})

    # Latency of single queries: one client (one connection, one request after the
    # other), in alternating rounds like the throughput above.
    for name in ("bbox", "deep page", "single item"):
        ours, theirs = urls[name]
        targets = {"rathaus": ours, **({"pygeoapi": theirs} if theirs else {})}
        histograms = {system: Counter() for system in targets}
        failed = 0
        for url in targets.values():
            load(wrk, tmp, url, 1.0, connections=1)  # warm-up
        for _ in range(ROUNDS):
            for system, url in targets.items():
                sample = load(wrk, tmp, url, LATENCY_SECONDS, connections=1)
                histograms[system].update(sample["latency_us"])
                failed += sample["errors"]
        if failed:
            raise RuntimeError(f"OGC {name}: {failed} failed requests")
        p50 = {system: percentile(h, 50) / 1000 for system, h in histograms.items()}
        print("   " + name + ": " + ", ".join(
            f"{k} p50 {v:.2f} ms ({histograms[k].total()} requests)" for k, v in p50.items()),
            flush=True)
        for system, value in p50.items():
            out.append({"metric": f"{system} OGC {name} p50", "value": value, "unit": "ms"})
        if theirs:
            ratio = p50["pygeoapi"] / p50["rathaus"] if p50["rathaus"] else 0.0
            out.append({"metric": f"OGC {name}: pygeoapi p50 / rathaus p50",
                        "value": round(ratio, 1), "unit": "×",
                        "target": f">= {TARGET_QUERY_RATIO:g}×",
                        "ok": ratio >= TARGET_QUERY_RATIO})
        else:
            out.append({"metric": f"OGC {name}: pygeoapi p50 / rathaus p50",
                        "value": "not measured: pygeoapi unavailable",
                        "target": f">= {TARGET_QUERY_RATIO:g}×", "ok": False})
    if agree is not None:
        problems = [f"{name}: {why}" for name, why in agree.items() if why]
        out.append({"metric": "OGC answers agree (numberMatched, ids, single item)",
                    "value": "; ".join(problems) if problems else f"{len(agree)}/{len(agree)}",
                    "target": "all", "ok": not problems})
    return out


def get_json(url: str) -> dict:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT)
    try:
        conn.request("GET", f"{parts.path}?{parts.query}")
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {url} answered {response.status}: {body[:300]!r}")
        return json.loads(body)
    finally:
        conn.close()


def _compare_answers(urls: dict, pygeoapi: str) -> dict[str, str]:
    """For each query: "" when both answer alike, else what differs."""
    found = {}
    for name, (ours_url, theirs_url) in urls.items():
        ours, theirs = get_json(ours_url), get_json(theirs_url)
        if name == "single item":
            # SpatiaLite writes coordinates with 15 significant digits (49.16953999999999
            # for 49.16954): equal to a nanometre is equal.
            a = (ours["id"], _rounded(ours["geometry"]["coordinates"]),
                 _rounded({k: v for k, v in ours["properties"].items() if k != "id"}))
            b = (theirs["id"], _rounded(theirs["geometry"]["coordinates"]),
                 _rounded(theirs["properties"]))
            found[name] = "" if a == b else f"rathaus {a} vs pygeoapi {b}"
            continue
        # pygeoapi's SQLite provider counts only when asked for hits.
        hits = get_json(theirs_url + "&resulttype=hits")["numberMatched"]
        ids_ours = [f["id"] for f in ours["features"]]
        ids_theirs = [f["id"] for f in theirs["features"]]
        why = []
        if ours["numberMatched"] != hits:
            why.append(f"numberMatched {ours['numberMatched']} vs {hits}")
        if ids_ours != ids_theirs:
            why.append(f"ids differ ({len(ids_ours)} vs {len(ids_theirs)} features)")
        if not ids_ours:
            why.append("no features")
        found[name] = ", ".join(why)
        print(f"   {name}: numberMatched {ours['numberMatched']} / {hits}, "
              f"{len(ids_ours)} / {len(ids_theirs)} features", flush=True)
    return found


def _rounded(value):
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


# --- load generators ------------------------------------------------------------------------

def _find_wrk() -> str | None:
    from web_home import _apt_install_wrk

    return shutil.which("wrk") or _apt_install_wrk()


def load(wrk: str | None, tmp: Path, url: str, seconds: float,
         connections: int = ITEMS_CONNECTIONS) -> dict:
    """Requests, seconds, errors and the latency histogram (µs -> count) of `connections`
    clients sending one request after the other for `seconds`."""
    if wrk:
        from web_home import wrk_load

        return wrk_load(wrk, tmp, url, seconds=seconds, threads=min(WRK_THREADS, connections),
                        connections=connections, timeout=TIMEOUT)
    return python_load(url, seconds=seconds, connections=connections, timeout=TIMEOUT)




# --- data ------------------------------------------------------------------------------------

WORDS = ("Spielplatz", "Brücke", "Grünfläche", "Straßenbaum", "Parkbank", "Brunnen",
         "Bücherschrank", "Ladesäule", "Glascontainer", "Hundewiese", "Haltestelle",
         "Wanderweg")
PLACES = ("Am Wall", "Marktplatz", "Witzhelden", "Unterberg", "Büscherhöfen", "Nesselrade",
          "Kuhle", "Rothenberg", "Weltersbach", "Müllerhof", "Bremen-Nord", "Oberbüscherhof")
SPECIES = ("Stieleiche", "Rotbuche", "Winterlinde", "Bergahorn", "Spitzahorn", "Hainbuche",
           "Gemeine Esche", "Sandbirke", "Vogelkirsche", "Platane", "Rosskastanie")
# Germany's bounding box (WGS 84), rounded inward.
WEST, SOUTH, EAST, NORTH = 5.9, 47.3, 15.0, 55.0


def _cached(name: str, write) -> Path:
    """`write(path)` once into the cache; later runs reuse the file."""
    path = cache_dir() / name
    if not path.exists():
        partial = path.with_name(path.name + ".partial")
        write(partial)
        os.replace(partial, path)
    return path


def generate_rows(cache: Path) -> Path:
    def write(path: Path) -> None:
        rng = random.Random(SEED)
        start = date(2000, 1, 1)
        with path.open("w", encoding="utf-8", newline="") as out:
            out.write("id,bezeichnung,anzahl,betrag,datum,lat,lon\n")
            lines = []
            for i in range(1, ROWS + 1):
                lines.append(
                    f"{i},{rng.choice(WORDS)} {rng.choice(PLACES)} {rng.randrange(1, 500)},"
                    f"{rng.randrange(0, 100_000)},{rng.randrange(1, 10_000_000) / 100},"
                    f"{(start + timedelta(days=rng.randrange(9500))).isoformat()},"
                    f"{rng.uniform(SOUTH, NORTH):.5f},{rng.uniform(WEST, EAST):.5f}\n")
                if len(lines) >= 10_000:
                    out.writelines(lines)
                    lines = []
            out.writelines(lines)

    return _cached(f"rows-{ROWS}-{SEED}-v{DATA_VERSION}.csv", write)


def generate_points(cache: Path) -> Path:
    def write(path: Path) -> None:
        rng = random.Random(SEED + 1)
        with path.open("w", encoding="utf-8", newline="") as out:
            out.write("id,art,pflanzjahr,hoehe_m,ortsteil,lat,lon\n")
            for i in range(1, POINTS + 1):
                out.write(f"{i},{rng.choice(SPECIES)},{rng.randrange(1900, 2026)},"
                          f"{rng.randrange(10, 400) / 10},{rng.choice(PLACES)},"
                          f"{rng.uniform(SOUTH, NORTH):.5f},{rng.uniform(WEST, EAST):.5f}\n")

    return _cached(f"points-{POINTS}-{SEED}-v{DATA_VERSION}.csv", write)


def _read_csv(path: Path):
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        yield from reader


# --- Datasette and pygeoapi ------------------------------------------------------------------

PYGEOAPI_DB_SCRIPT = r"""
import csv, sqlite3, sys
source, target, table = sys.argv[1:4]
db = sqlite3.connect(target)
db.enable_load_extension(True)
db.load_extension("mod_spatialite")
db.execute("SELECT InitSpatialMetadata(1)")
db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, art TEXT, pflanzjahr INTEGER, "
           "hoehe_m REAL, ortsteil TEXT, lat REAL, lon REAL)")
db.execute(f"SELECT AddGeometryColumn('{table}', 'geom', 4326, 'POINT', 'XY')")
with open(source, encoding="utf-8", newline="") as handle:
    rows = csv.reader(handle)
    next(rows)
    db.executemany(
        f"INSERT INTO {table} VALUES (?, ?, ?, ?, ?, ?, ?, MakePoint(?, ?, 4326))",
        ((int(i), a, int(y), float(h), o, float(la), float(lo), float(lo), float(la))
         for i, a, y, h, o, la, lo in rows))
db.execute(f"SELECT CreateSpatialIndex('{table}', 'geom')")
db.commit()
db.close()
"""


class BenchTools:
    """The venv with Datasette and pygeoapi (Debian's Python), installed once and cached;
    `*_error` says why a tool is unavailable (None when it is ready)."""

    def __init__(self, cache: Path):
        self.cache = cache
        self.datasette_error = self.pygeoapi_error = None
        tag = hashlib.sha256(" ".join(PINS).encode()).hexdigest()[:10]
        self.venv = cache / f"venv-{tag}"
        self.python = self.venv / "bin" / "python"
        try:
            self._venv()
        except RuntimeError as error:
            self.datasette_error = self.pygeoapi_error = str(error)
            return
        datasette_pins = [p for p in PINS if not p.startswith("pygeoapi")]
        self.datasette_error = self._pip("datasette", datasette_pins)
        self.pygeoapi_error = self._pip("pygeoapi", PINS) or self._spatialite()

    def version(self, name: str) -> str:
        return next((p.split("==")[1] for p in PINS if p.startswith(name + "==")), "")

    def _venv(self) -> None:
        base = Path("/usr/bin/python3")
        if not base.exists():
            raise RuntimeError("/usr/bin/python3 (Debian's Python) is missing")
        if self.python.exists():
            return
        print(f"   creating the bench venv {self.venv} …", flush=True)
        failed = _quiet([str(base), "-m", "venv", str(self.venv)])
        if failed and _apt_install("python3-venv"):
            shutil.rmtree(self.venv, ignore_errors=True)
            failed = _quiet([str(base), "-m", "venv", str(self.venv)])
        if failed:
            shutil.rmtree(self.venv, ignore_errors=True)
            raise RuntimeError(f"python3 -m venv failed: {failed}")

    def _pip(self, name: str, pins) -> str | None:
        stamp = self.venv / f".installed-{name}"
        if stamp.exists():
            return None
        print(f"   pip install {' '.join(pins)} into the bench venv …", flush=True)
        failed = _quiet([str(self.python), "-m", "pip", "install", "--quiet",
                         "--disable-pip-version-check", *pins], timeout=900)
        if failed:
            return f"pip install failed: {failed}"
        stamp.touch()
        return None

    def _spatialite(self) -> str | None:
        check = [str(self.python), "-c", "import sqlite3; c = sqlite3.connect(':memory:'); "
                 "c.enable_load_extension(True); c.load_extension('mod_spatialite')"]
        failed = _quiet(check)
        if failed and _apt_install("libsqlite3-mod-spatialite"):
            failed = _quiet(check)
        return f"SpatiaLite cannot be loaded: {failed}" if failed else None

    def datasette_db(self, rows_csv: Path) -> Path:
        def write(path: Path) -> None:
            db = sqlite3.connect(path)
            db.execute(f"CREATE TABLE {ROWS_TABLE} (id INTEGER PRIMARY KEY, bezeichnung TEXT, "
                       "anzahl INTEGER, betrag REAL, datum TEXT, lat REAL, lon REAL)")
            db.executemany(f"INSERT INTO {ROWS_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?)",
                           ((int(i), b, int(a), float(m), d, float(la), float(lo))
                            for i, b, a, m, d, la, lo in _read_csv(rows_csv)))
            db.commit()
            db.close()

        # Datasette names the database after the file: /bench/<table>.csv
        folder = self.cache / f"datasette-{rows_csv.stem}"
        folder.mkdir(exist_ok=True)
        return _cached(f"{folder.name}/bench.db", write)

    def pygeoapi_db(self, points_csv: Path) -> Path:
        def write(path: Path) -> None:
            failed = _quiet([str(self.python), "-c", PYGEOAPI_DB_SCRIPT, str(points_csv),
                             str(path), POINTS_TABLE], timeout=600)
            if failed:
                path.unlink(missing_ok=True)
                raise RuntimeError(f"SpatiaLite file for pygeoapi: {failed}")

        try:
            return _cached(f"pygeoapi-{points_csv.stem}.sqlite", write)
        except RuntimeError as error:
            self.pygeoapi_error = str(error)
            return None

    @contextmanager
    def datasette(self, db: Path, tmp: Path):
        port = free_port()
        cmd = [str(self.venv / "bin" / "datasette"), "serve", "-i", str(db),
               "--host", "127.0.0.1", "--port", str(port)]
        with _server(cmd, os.environ.copy(), tmp, "datasette", port,
                     ("/-/versions.json",)) as base:
            yield base

    @contextmanager
    def pygeoapi(self, db: Path, tmp: Path):
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        config = tmp / "pygeoapi-config.yml"
        config.write_text(json.dumps(_pygeoapi_config(base, db), indent=1))  # JSON is YAML
        openapi = tmp / "pygeoapi-openapi.yml"
        env = os.environ.copy() | {"PYGEOAPI_CONFIG": str(config),
                                   "PYGEOAPI_OPENAPI": str(openapi)}
        failed = _quiet([str(self.venv / "bin" / "pygeoapi"), "openapi", "generate",
                         str(config), "--output-file", str(openapi)], env=env)
        if failed:
            raise RuntimeError(f"pygeoapi openapi generate: {failed}")
        cmd = [str(self.python), "-m", "gunicorn", "pygeoapi.flask_app:APP",
               "--workers", str(WORKERS), "--threads", str(THREADS),
               "--bind", f"127.0.0.1:{port}", "--no-control-socket"]
        with _server(cmd, env, tmp, "pygeoapi", port,
                     (f"/collections/{POINTS_TABLE}/items?f=json&limit=1",),
                     with_pid=True) as started:
            yield started


def _pygeoapi_config(base: str, db: Path) -> dict:
    contact = {"name": "Bench", "position": "Bench", "address": "Am Wall 1",
               "city": "Leichlingen", "stateorprovince": "NRW", "postalcode": "42799",
               "country": "Germany", "phone": "+49 2175 0", "fax": "+49 2175 0",
               "email": "bench@example.org", "url": "https://example.org",
               "hours": "Mo-Fr", "instructions": "E-Mail", "role": "pointOfContact"}
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": int(base.rsplit(":", 1)[1])},
            "url": base, "mimetype": "application/json; charset=UTF-8", "encoding": "utf-8",
            "languages": ["de-DE"], "pretty_print": False,
            # The 1,000-feature page must not be cut to pygeoapi's default of 10.
            "limits": {"default_items": 10, "max_items": 10_000},
            "map": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                    "attribution": "OpenStreetMap"},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {"title": "Bench", "description": "Bench", "keywords": ["bench"],
                               "keywords_type": "theme", "terms_of_service": "",
                               "url": "https://example.org"},
            "license": {"name": "dl-de/by-2-0", "url": "https://www.govdata.de/dl-de/by-2-0"},
            "provider": {"name": "Bench", "url": "https://example.org"},
            "contact": contact,
        },
        "resources": {
            POINTS_TABLE: {
                "type": "collection", "title": "Bäume", "description": "Bench points",
                "keywords": ["bench"],
                "links": [],
                "extents": {"spatial": {"bbox": [WEST, SOUTH, EAST, NORTH],
                                        "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}},
                "providers": [{"type": "feature", "name": "SQLiteGPKG", "data": str(db),
                               "id_field": "id", "table": POINTS_TABLE}],
            },
        },
    }


@contextmanager
def _server(cmd: list[str], env: dict, cwd: Path, name: str, port: int, ready_paths,
            with_pid: bool = False):
    log_path = cwd / f"{name}.log"
    with open(log_path, "w") as log:
        # Own session, so that stop() ends the whole group (gunicorn master and workers).
        server = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_ready(server, base, log_path, ready_paths)
            yield (base, server.pid) if with_pid else base
        finally:
            stop(server)


def _quiet(cmd: list[str], timeout: float = 300, env: dict | None = None) -> str | None:
    """Runs `cmd`; None when it succeeded, else the end of its output."""
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env,
                              check=False)
    except (OSError, subprocess.SubprocessError) as error:
        return str(error)
    if done.returncode == 0:
        return None
    tail = " ".join((done.stdout + done.stderr).strip().splitlines()[-3:])
    return tail[-400:] or f"exit status {done.returncode}"


def _apt_install(package: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    print(f"   installing {package} with apt-get …", flush=True)
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", package]
    # A machine that never ran `apt-get update` has no package lists yet: update once.
    if _quiet(install, env=env) is None:
        return True
    # A machine that never ran `apt-get update` has no package lists yet: update once.
    _quiet(["apt-get", "update", "-qq"], env=env)
    return _quiet(install, env=env) is None


# --- child process: Django set up against the instance ---------------------------------------

def _child(command: str, arg: str) -> dict:
    import django

    django.setup()
    if command == "load":
        rows_csv, points_csv = json.loads(arg)
        return _load(Path(rows_csv), Path(points_csv))
    raise SystemExit(f"unknown child command {command!r}")


def _load(rows_csv: Path, points_csv: Path) -> dict:
    """Both CSV files through the open data services, as staff would: upload (checked
    in full), confirm every column as public with its inferred type, publish."""
    from django.core.files import File

    from rathaus.accounts.models import StaffMembership, User
    from rathaus.authorities.models import Authority, Department
    from rathaus.authorities.tenancy import authority_context
    from rathaus.opendata.publish import services

    authority = Authority.objects.get(slug="leichlingen")
    actor = User.objects.create_user("bench-opendata@leichlingen.example",
                                     "Bench-Passwort-2026!", first_name="Bea",
                                     last_name="Bench", kind=User.Kind.STAFF)
    result = {}
    with authority_context(authority):
        # Publishing needs a team lead or an administrator (opendata.permissions).
        StaffMembership.objects.create(
            user=actor, role=StaffMembership.Role.TEAM_LEAD,
            department=Department.objects.get_or_create(
                slug="bench-opendata", defaults={"name": "Benchmark"})[0])
        for key, name, title, path in (
                ("rows", ROWS_DATASET, "Benchmark: eine Million Zeilen", rows_csv),
                ("points", POINTS_DATASET, "Benchmark: Bäume", points_csv)):
            dataset = services.create_dataset(
                actor=actor, name=name, title=title, description=f"{title} (Benchmark).",
                keywords=["Benchmark"], theme="GOVE", contact_name="Benchmark",
                contact_email="bench@leichlingen.example")
            started = time.perf_counter()
            with path.open("rb") as handle:
                upload = services.receive_upload(dataset=dataset, actor=actor,
                                                 file=File(handle, name=path.name))
            if upload.errors:
                raise RuntimeError(f"upload of {path.name} refused: {upload.errors}")
            checked = time.perf_counter()
            decisions = {c["name"]: {"public": True, "type": c["type"]}
                         for c in upload.columns}
            version = services.confirm_upload(upload=upload, actor=actor, decisions=decisions)
            stored = time.perf_counter()
            services.publish(dataset=dataset, actor=actor)
            result[key] = {"name": name, "rows": version.row_count,
                           "geometry": version.has_geometry,
                           "check_s": round(checked - started, 1),
                           "store_s": round(stored - checked, 1)}
    if not result["points"]["geometry"]:
        raise RuntimeError("the points dataset has no coordinates in Rathaus")
    return result


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], sys.argv[3])))
    else:
        # `python bench/opendata.py [options]` runs just this benchmark, with the table.
        sys.path.insert(0, str(BENCH_DIR))
        from run import main

        sys.exit(main(["--only", "opendata", *sys.argv[1:]]))
