"""CQL2 filters at size: Rathaus against pygeoapi's PostgreSQL provider (issue 12).

What is compared, on the same 1,000,000 rows (bench/opendata.py's generated, cached
rows: id, bezeichnung, anzahl, betrag, datum, lat, lon):

- CQL2 attributes: `filter=anzahl = 4711 AND betrag > 20000&filter-lang=cql2-text`
  (7 rows match)
- CQL2 spatial: `filter=S_INTERSECTS(geometry, POLYGON((…)))` with a pentagon around
  Leichlingen (3,792 of the points)

(pygeoapi 0.21 understands only `filter-lang=cql-text`, i.e. ECQL: it gets the same
predicates in that dialect, `INTERSECTS` for `S_INTERSECTS`; see QUERIES)

each with limit=100, under the same load generator (wrk, else the Python fallback)
with 4 connections, in alternating rounds so that other work on the shared machine
weighs on both alike: requests/s and p50/p95 latency per system; the ratio of
requests/s Rathaus/pygeoapi, target ≥ 3× for both rows. Before measuring, both answers
are compared: the same numberMatched and the same feature ids on the first page
(pygeoapi's SQL provider always orders by id).

How:

1. pygeoapi (pinned, from PyPI, see PINS) with its PostgreSQL provider (SQLAlchemy,
   GeoAlchemy2, pygeofilter for CQL2) in a venv of Debian's /usr/bin/python3, cached in
   BENCH_CACHE_DIR like bench/opendata.py's venv (docs/decisions/0027). Served by
   gunicorn with 2 workers × 4 threads, as Rathaus.
2. The rows in a PostGIS table (geometry column generated from lon/lat, GIST index on
   it, a B-tree on (anzahl, betrag) for the attribute filter, ANALYZEd) in a database
   of its own on the benchmark's PostgreSQL server. It is kept between runs, as the
   CSV is kept in BENCH_CACHE_DIR: its name carries the data's size, seed and version
   and the table layout, and a marker table says it was loaded to the end. Drop it with
   `DROP DATABASE rathaus_bench_postgis_…` when done benchmarking. PostGIS comes from
   Debian (postgresql-15-postgis-3); `make bench` installs it when missing.
3. Rathaus: a scratch instance on a scratch PostgreSQL database, the data loaded through
   the open data services exactly as bench/opendata.py does, gunicorn 2 × 4.

Rathaus's CQL2 support may not be merged yet: a 400 to `filter` is reported in the
row ("Rathaus does not answer CQL2 yet") and pygeoapi's figures are still measured.
Everything listens on 127.0.0.1 only.
"""

import hashlib
import json
import os
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import _instance
from _instance import free_port, gunicorn, instance_env, percentile, run_child, scratch_database
from opendata import (
    DATA_VERSION,
    ROWS,
    ROWS_DATASET,
    SEED,
    THREADS,
    WORKERS,
    _apt_install,
    _find_wrk,
    _pygeoapi_config,
    _quiet,
    _server,
    cache_dir,
    generate_points,
    generate_rows,
    load,
)

BENCH_DIR = Path(__file__).resolve().parent

# Pinned: the comparison must not drift with upstream releases. pygeoapi as in
# bench/opendata.py; the PostgreSQL provider's own requirements (pygeoapi does not
# declare them) and the libraries its query path runs through.
PINS = ("pygeoapi==0.21.0", "gunicorn==27.0.1", "psycopg2-binary==2.9.13",
        "GeoAlchemy2==0.20.0", "SQLAlchemy==2.0.58", "pygeofilter==0.4.0")

TABLE = "daten"
LAYOUT_VERSION = 1  # bump when the table or its indexes change, so a new database is made
LIMIT = 100
CONNECTIONS, WRK_THREADS = 4, 2
ROUND_SECONDS = 3
ROUNDS = 2
TARGET_RATIO = 3.0
# A pentagon, not a rectangle: a real intersects test, not a bbox in disguise.
ANZAHL, BETRAG = 4711, 20000  # a = x AND b > y: 7 of the rows
POLYGON = "POLYGON((6.8 50.8,7.4 50.8,7.5 51.1,7.1 51.3,6.8 51.1,6.8 50.8))"
# name: (CQL2 text for Rathaus, the same predicate for pygeoapi). pygeoapi 0.21 takes
# only `filter-lang=cql-text` and parses it as ECQL (pygeofilter's ecql parser), where
# the spatial function is INTERSECTS, not CQL2's S_INTERSECTS; it refuses
# `filter-lang=cql2-text` ("Invalid filter language"). Same query, its dialect.
QUERIES = {
    "CQL2 anzahl = x AND betrag > y": (f"anzahl = {ANZAHL} AND betrag > {BETRAG}",) * 2,
    "CQL2 S_INTERSECTS polygon": (f"S_INTERSECTS(geometry,{POLYGON})",
                                  f"INTERSECTS(geometry,{POLYGON})"),
}


def run(options) -> list[dict]:
    server = _instance.postgres_server(options)
    if server is None:
        raise RuntimeError("this benchmark needs PostgreSQL with PostGIS (BENCH_DATABASE=sqlite)")
    cache = cache_dir()
    rows_csv, points_csv = generate_rows(cache), generate_points(cache)
    python, tool_error = pygeoapi_venv(cache)
    started = time.monotonic()
    postgis_url = postgis_table(server, rows_csv)
    print(f"   PostGIS table ready ({time.monotonic() - started:.0f} s)", flush=True)
    wrk = _find_wrk()
    out = [{"metric": "setup", "value":
            f"1 table of {ROWS:,} rows; rathaus and pygeoapi {version('pygeoapi')} "
            f"(PostgreSQL provider) each under gunicorn {WORKERS}×{THREADS}; "
            f"{'wrk' if wrk else 'Python threads'}, {CONNECTIONS} connections, limit={LIMIT}"}]

    with ExitStack() as stack:  # unwinds in reverse: servers, database, temp dir
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rathaus-bench-")))
        env = instance_env(tmp / "var", RATHAUS_OPENDATA_MAX_UPLOAD_MB="2048")
        env["DATABASE_URL"] = stack.enter_context(scratch_database(server))
        _instance.setup(env, tmp)
        print("   loading the rows through the open data services …", flush=True)
        # bench/opendata.py's loader: the same upload, check, store and publish steps.
        run_child(str(BENCH_DIR / "opendata.py"),
                  ["load", json.dumps([str(rows_csv), str(points_csv)])], env, tmp,
                  timeout=1800)
        rathaus, _pid = stack.enter_context(gunicorn(
            env, tmp, workers=WORKERS, threads=THREADS,
            ready_paths=("/healthz", f"/ogc/collections/{ROWS_DATASET}")))
        pygeoapi = None
        if tool_error is None:
            pygeoapi = stack.enter_context(serve_pygeoapi(python, postgis_url, tmp))
        else:
            out.append({"metric": f"pygeoapi {version('pygeoapi')}",
                        "value": f"UNAVAILABLE: {tool_error}", "ok": False})
        cql2 = speaks_cql2(rathaus)
        counts = expected_counts(postgis_url)
        for name, cql in QUERIES.items():
            out += measure(name, cql, rathaus, pygeoapi, wrk, tmp, cql2, counts[name])
    return out


def version(name: str) -> str:
    return next((p.split("==")[1] for p in PINS if p.startswith(name + "==")), "")


# --- one query on both -----------------------------------------------------------------------

def items_url(base: str, collection: str, cql: str, lang: str) -> str:
    return (f"{base}/collections/{collection}/items?f=json&limit={LIMIT}"
            f"&filter-lang={lang}&filter={quote(cql, safe='')}")


def get(url: str) -> tuple[int, dict | str]:
    import http.client

    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        conn.request("GET", f"{parts.path}?{parts.query}")
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    try:
        return response.status, json.loads(body)
    except ValueError:
        return response.status, body[:300].decode(errors="replace")


def speaks_cql2(rathaus: str) -> bool:
    """Whether Rathaus declares CQL2 text among its conformance classes (OGC API -
    Features Part 3): tells "not built yet" from a refusal of this query."""
    status, body = get(f"{rathaus}/ogc/conformance?f=json")
    classes = body.get("conformsTo", []) if status == 200 and isinstance(body, dict) else []
    return any("/cql2/" in c for c in classes)


def measure(name, cql, rathaus, pygeoapi, wrk, tmp, rathaus_cql2: bool,
            expected: int) -> list[dict]:
    cql2, ecql = cql
    urls = {"rathaus": items_url(f"{rathaus}/ogc", ROWS_DATASET, cql2, "cql2-text")}
    if pygeoapi:
        urls["pygeoapi"] = items_url(pygeoapi, TABLE, ecql, "cql-text")
    out, answers, refused = [], {}, {}
    for system, url in urls.items():
        status, body = get(url)
        if status == 200 and isinstance(body, dict):
            answers[system] = body
        else:
            detail = body.get("description", body) if isinstance(body, dict) else body
            refused[system] = f"{status}: {str(detail)[:160]}"
    for system, why in refused.items():
        # Rathaus's CQL2 is being built on its own branch; until it is merged, a 400 is
        # the honest answer to an unknown parameter, and the row says so.
        text = ("Rathaus does not answer CQL2 yet"
                if system == "rathaus" and why[:3] == "400" and not rathaus_cql2
                else f"{system} failed")
        out.append({"metric": f"{name}: {system}", "value": f"{text} ({why})", "ok": False})
    for system, body in answers.items():
        # Each answer against PostGIS's own count of the same predicate: also checks
        # pygeoapi when Rathaus cannot be compared with it yet.
        matched = body.get("numberMatched")
        out.append({"metric": f"{name}: {system} numberMatched", "value": matched,
                    "target": f"= {expected:,} (SQL count)", "ok": matched == expected})
    measured = [s for s in urls if s in answers]
    if len(answers) == 2:
        out.append(_agreement(name, answers))
    for system in measured:
        load(wrk, tmp, urls[system], 1.0, connections=CONNECTIONS)  # warm-up
    tallies = {s: Counter() for s in measured}
    histograms = {s: Counter() for s in measured}
    for _ in range(ROUNDS):
        for system in measured:
            sample = load(wrk, tmp, urls[system], ROUND_SECONDS, connections=CONNECTIONS)
            tallies[system].update(requests=sample["requests"], errors=sample["errors"],
                                   us=round(sample["seconds"] * 1e6))
            histograms[system].update(sample["latency_us"])
    rps = {}
    for system in measured:
        t = tallies[system]
        rps[system] = t["requests"] / (t["us"] / 1e6) if t["us"] else 0.0
        p50, p95 = (percentile(histograms[system], q) / 1000 for q in (50, 95))
        print(f"   {name}: {system} {rps[system]:.1f} req/s, p50 {p50:.1f} ms, "
              f"p95 {p95:.1f} ms, errors {t['errors']}", flush=True)
        out += [
            {"metric": f"{name}: {system}", "value": rps[system], "unit": "req/s"},
            {"metric": f"{name}: {system} p50 / p95",
             "value": f"{p50:.1f} / {p95:.1f}", "unit": "ms"},
        ]
        if t["errors"]:
            out.append({"metric": f"{name}: {system} failed requests", "value": t["errors"],
                        "target": "= 0", "ok": False})
    ratio_row = {"metric": f"{name}: rathaus/pygeoapi req/s",
                 "target": f">= {TARGET_RATIO:g}×"}
    if len(rps) == 2 and rps["pygeoapi"]:
        ratio = rps["rathaus"] / rps["pygeoapi"]
        out.append(ratio_row | {"value": round(ratio, 1), "unit": "×",
                                "ok": ratio >= TARGET_RATIO})
    else:
        missing = ", ".join(s for s in ("rathaus", "pygeoapi") if s not in rps)
        out.append(ratio_row | {"value": f"not measured: no answer from {missing}",
                                "ok": False})
    return out


def _agreement(name: str, answers: dict) -> dict:
    ours, theirs = answers["rathaus"], answers["pygeoapi"]
    ids_ours = [f["id"] for f in ours.get("features", [])]
    ids_theirs = [f["id"] for f in theirs.get("features", [])]
    why = []
    if ours.get("numberMatched") != theirs.get("numberMatched"):
        why.append(f"numberMatched {ours.get('numberMatched')} vs {theirs.get('numberMatched')}")
    if ids_ours != ids_theirs:
        why.append(f"first-page ids differ ({len(ids_ours)} vs {len(ids_theirs)} features)")
    if not ids_theirs:
        why.append("no features")
    print(f"   {name}: numberMatched rathaus {ours.get('numberMatched')}, pygeoapi "
          f"{theirs.get('numberMatched')}", flush=True)
    return {"metric": f"{name}: same answer (numberMatched, ids)",
            "value": "; ".join(why) if why else f"yes ({theirs['numberMatched']} matched)",
            "target": "same", "ok": not why}


# --- pygeoapi ----------------------------------------------------------------------------------

def pygeoapi_venv(cache: Path) -> tuple[Path, str | None]:
    """Debian's Python with PINS, installed once into the cache; (python, error)."""
    tag = hashlib.sha256(" ".join(PINS).encode()).hexdigest()[:10]
    venv = cache / f"venv-postgresql-{tag}"
    python = venv / "bin" / "python"
    if (venv / ".installed").exists():
        return python, None
    base = "/usr/bin/python3"
    if not Path(base).exists():
        return python, f"{base} (Debian's Python) is missing"
    print(f"   creating {venv} with {' '.join(PINS)} …", flush=True)
    failed = _quiet([base, "-m", "venv", str(venv)])
    if failed and _apt_install("python3-venv"):
        failed = _quiet([base, "-m", "venv", "--clear", str(venv)])
    failed = failed or _quiet([str(python), "-m", "pip", "install", "--quiet",
                               "--disable-pip-version-check", *PINS], timeout=900)
    if failed:
        return python, f"installing pygeoapi failed: {failed}"
    (venv / ".installed").touch()
    return python, None


@contextmanager
def serve_pygeoapi(python: Path, postgis_url: str, tmp: Path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    url = urlsplit(postgis_url)
    config = _pygeoapi_config(base, Path(os.devnull))  # its server and metadata parts
    config["resources"] = {TABLE: {
        "type": "collection", "title": "Daten", "description": "Bench rows",
        "keywords": ["bench"], "links": [],
        "extents": {"spatial": {"bbox": [5.9, 47.3, 15.0, 55.0],
                                "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}},
        "providers": [{
            "type": "feature", "name": "PostgreSQL", "id_field": "id", "table": TABLE,
            "geom_field": "geometry",
            "data": {"host": url.hostname or "127.0.0.1", "port": url.port or 5432,
                     "dbname": url.path.lstrip("/"), "user": url.username or "postgres",
                     "password": url.password or "", "search_path": ["public"]},
        }],
    }}
    config_path, openapi = tmp / "pygeoapi-pg.yml", tmp / "pygeoapi-pg-openapi.yml"
    config_path.write_text(json.dumps(config, indent=1))  # JSON is YAML
    env = os.environ.copy() | {"PYGEOAPI_CONFIG": str(config_path),
                               "PYGEOAPI_OPENAPI": str(openapi)}
    failed = _quiet([str(python.parent / "pygeoapi"), "openapi", "generate", str(config_path),
                     "--output-file", str(openapi)], env=env)
    if failed:
        raise RuntimeError(f"pygeoapi openapi generate: {failed}")
    cmd = [str(python), "-m", "gunicorn", "pygeoapi.flask_app:APP",
           "--workers", str(WORKERS), "--threads", str(THREADS),
           "--bind", f"127.0.0.1:{port}", "--no-control-socket"]
    with _server(cmd, env, tmp, "pygeoapi-pg", port,
                 (f"/collections/{TABLE}/items?f=json&limit=1",)) as started:
        yield started


def expected_counts(postgis_url: str) -> dict[str, int]:
    """The number of rows each query matches, counted by PostGIS itself."""
    import psycopg

    with psycopg.connect(postgis_url, connect_timeout=10) as conn:
        return {
            "CQL2 anzahl = x AND betrag > y": conn.execute(
                f"SELECT count(*) FROM {TABLE} WHERE anzahl = %s AND betrag > %s",
                [ANZAHL, BETRAG]).fetchone()[0],
            "CQL2 S_INTERSECTS polygon": conn.execute(
                f"SELECT count(*) FROM {TABLE} WHERE "
                "ST_Intersects(geometry, ST_GeomFromText(%s, 4326))", [POLYGON]).fetchone()[0],
        }


# --- the PostGIS table -------------------------------------------------------------------------

def postgis_table(server: str, rows_csv: Path) -> str:
    """The URL of a database holding the rows as a PostGIS table; made once, reused."""
    import psycopg

    # Generated from numbers only, so safe to put into the statements as it is.
    name = f"rathaus_bench_postgis_{ROWS}_{SEED}_v{DATA_VERSION}_l{LAYOUT_VERSION}"
    url = urlunsplit(urlsplit(server)._replace(path="/" + name))
    with psycopg.connect(server, autocommit=True, connect_timeout=10) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              [name]).fetchone()
    if exists:
        with psycopg.connect(url, connect_timeout=10) as conn:
            ready = conn.execute("SELECT to_regclass('bench_loaded')").fetchone()[0]
        if ready:
            return url
    print(f"   loading {ROWS:,} rows into PostGIS database {name} …", flush=True)
    with psycopg.connect(server, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(url, connect_timeout=10) as conn:
        try:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        except psycopg.Error as error:
            raise RuntimeError(f"PostGIS is missing on {urlsplit(server).hostname} "
                               f"(Debian: postgresql-15-postgis-3; `make bench` installs it "
                               f"on this machine): {error}") from error
        # The geometry generated from the coordinates, as a loader would write it: the
        # provider reads one column, and the GIST index is on it.
        conn.execute(
            f"CREATE TABLE {TABLE} (id integer PRIMARY KEY, bezeichnung text, "
            "anzahl integer, betrag double precision, datum date, lat double precision, "
            "lon double precision, geometry geometry(Point, 4326) GENERATED ALWAYS AS "
            "(ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED)")
        with (conn.cursor().copy(f"COPY {TABLE} (id, bezeichnung, anzahl, betrag, datum, "
                                 "lat, lon) FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
              rows_csv.open("rb") as source):
            while chunk := source.read(1 << 20):
                copy.write(chunk)
        conn.execute(f"CREATE INDEX {TABLE}_geometry ON {TABLE} USING gist (geometry)")
        conn.execute(f"CREATE INDEX {TABLE}_anzahl_betrag ON {TABLE} (anzahl, betrag)")
        conn.execute("CREATE TABLE bench_loaded (rows integer)")
        conn.execute("INSERT INTO bench_loaded SELECT count(*) FROM " + TABLE)
    with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f"VACUUM ANALYZE {TABLE}")  # statistics and visibility map
    return url


if __name__ == "__main__":
    sys.path.insert(0, str(BENCH_DIR))
    from run import main

    sys.exit(main(["--only", "ogc_vs_pygeoapi", *sys.argv[1:]]))
