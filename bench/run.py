"""Runs every benchmark in bench/ and prints one table; `make bench` calls this.

A benchmark is any module here whose name does not start with "_" (and is not this
file) and that defines `run(options) -> list[dict]`. Each row is a dict with
"metric", "value", "unit", and optionally "target" (text shown as is) and "ok"
(True/False; None or missing means the row is informational). Discovery instead of
a hand-kept list so that adding a benchmark is adding one file.
"""

import argparse
import compileall
import importlib
import json
import os
import platform
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"


def discover() -> list[str]:
    return sorted(
        path.stem
        for path in BENCH_DIR.glob("*.py")
        if not path.stem.startswith("_") and path.stem != "run"
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="run only this benchmark (repeatable)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="PostgreSQL server URL; a scratch database is created on it "
                             "and dropped afterwards (default: SQLite in a temp dir)")
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto",
                        help="load generator (auto: wrk, installing it if missing, "
                             "else the Python fallback)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per URL")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per URL")
    return parser.parse_args(argv)


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


def print_table(rows: list[dict]) -> None:
    header = ("benchmark", "metric", "value", "target", "result")
    lines = [
        (
            r["benchmark"], r["metric"], f"{_fmt(r['value'])} {r.get('unit', '')}".strip(),
            r.get("target") or "",
            {True: "PASS", False: "FAIL"}.get(r.get("ok"), ""),
        )
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=True)]
    for i, line in enumerate([header, *lines]):
        print("  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


def _git_commit() -> str:
    # Read-only: records which code the figures belong to.
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=BENCH_DIR,
                             capture_output=True, text=True, timeout=10)
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def _compile_bytecode() -> None:
    """Bytecode for Rathaus's modules, as an installed instance has it (pip compiles a
    wheel's modules when installing it). A checkout installed editable, where
    PYTHONDONTWRITEBYTECODE is set, has none: every process the benchmarks start would
    compile its modules again, about 0.15 s of each worker's start-up."""
    compileall.compile_dir(BENCH_DIR.parent / "src", quiet=1)


def _interrupt(signum, frame):
    # A SIGTERM (e.g. from `timeout`) must unwind like Ctrl-C, so that each
    # benchmark's `finally` stops its servers and drops its scratch databases.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    # Also when started in the background, where the shell sets SIGINT to "ignore".
    signal.signal(signal.SIGINT, signal.default_int_handler)
    options = parse_args(argv)
    names = options.only or discover()
    sys.path.insert(0, str(BENCH_DIR))
    _compile_bytecode()

    rows: list[dict] = []
    for name in names:
        print(f"== {name}", flush=True)
        started = time.monotonic()
        try:
            result = importlib.import_module(name).run(options)
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            return 130
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            first_line = (str(exc).splitlines() or [""])[0]  # the traceback above has the rest
            result = [{"metric": "error", "value": f"{type(exc).__name__}: {first_line}",
                       "ok": False}]
        for row in result:
            rows.append({"benchmark": name, **row})
        print(f"   ({time.monotonic() - started:.0f} s)", flush=True)

    print()
    print_table(rows)

    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = RESULTS_DIR / f"{stamp}.json"
    out.write_text(json.dumps({
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "commit": _git_commit(),
        "host": {"cpus": os.cpu_count(), "python": platform.python_version(),
                 "platform": platform.platform()},
        "options": {k: v for k, v in vars(options).items() if k != "database_url"}
        | {"database": "postgresql" if options.database_url else "sqlite"},
        "rows": rows,
    }, indent=2, ensure_ascii=False) + "\n")
    print(f"\nResults written to {out.relative_to(BENCH_DIR.parent)}")
    return 1 if any(r.get("ok") is False for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
