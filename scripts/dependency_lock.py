"""The hash-pinned lock files: written by `make lock`, checked before every install.

    requirements.lock       what Rathaus runs on (the `dependencies` of pyproject.toml)
    requirements-dev.lock   the same versions plus the `dev` extra (tests, lint, tools)

Both are resolved for Linux x86_64 and CPython 3.11 with uv, every file of every
version with its SHA-256, so `pip install --require-hashes` refuses anything else.
Each lock carries a fingerprint of the dependency lists of pyproject.toml; `check`
fails loudly when pyproject.toml changed and the locks did not (docs/decisions/0021).

    python3.11 scripts/dependency_lock.py check
    python3.11 scripts/dependency_lock.py lock --uv .venv/bin/uv [uv arguments, e.g. --upgrade]

Only the standard library, so the check runs before any virtual environment exists.
"""

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
RUNTIME_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"
FINGERPRINT_PREFIX = "# pyproject.toml dependencies sha256: "
TARGET = ["--python-version", "3.11", "--python-platform", "x86_64-unknown-linux-gnu"]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")
CONFLICT_MARKERS = ("<<<<<<< ", ">>>>>>> ")


class StaleLock(Exception):
    """A lock file does not belong to the dependency lists in pyproject.toml."""


def canonical_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def dependency_lists(pyproject: Path = PYPROJECT) -> dict:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    return {
        "requires-python": project.get("requires-python", ""),
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
    }


def fingerprint(lists: dict) -> str:
    canonical = json.dumps(lists, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def pins(requirements: list[str]) -> dict[str, str]:
    """Name → version of every `name==version` line (pyproject entries or lock lines)."""
    found = {}
    for line in requirements:
        match = PIN.match(line.strip())
        if match:
            found[canonical_name(match.group(1))] = match.group(2)
    return found


def locked_pins(lock: Path) -> dict[str, str]:
    return pins(lock.read_text(encoding="utf-8").splitlines())


def unhashed(lock: Path) -> list[str]:
    """Pinned packages not followed by a `--hash=sha256:` line (pip would refuse them)."""
    lines = lock.read_text(encoding="utf-8").splitlines()
    return [
        match.group(1)
        for i, line in enumerate(lines)
        if (match := PIN.match(line))
        and not (line.rstrip().endswith("\\") and i + 1 < len(lines)
                 and "--hash=sha256:" in lines[i + 1])
    ]


def stamped_fingerprint(lock: Path) -> str | None:
    for line in lock.read_text(encoding="utf-8").splitlines():
        if line.startswith(FINGERPRINT_PREFIX):
            return line.removeprefix(FINGERPRINT_PREFIX).strip()
    return None


def check_lock(lock: Path, expected: list[str]) -> None:
    """Raises StaleLock naming the pins of pyproject.toml the lock does not hold."""
    if not lock.exists():
        raise StaleLock(f"{lock.name} is missing.")
    text = lock.read_text(encoding="utf-8")
    if any(marker in text for marker in CONFLICT_MARKERS):
        raise StaleLock(f"{lock.name} has merge conflict markers.")
    locked = locked_pins(lock)
    differences = [
        f"pyproject.toml pins {name}=={version}, {lock.name} has "
        + (f"{name}=={locked[name]}" if name in locked else "no such package")
        for name, version in sorted(pins(expected).items())
        if locked.get(name) != version
    ]
    if differences:
        raise StaleLock("; ".join(differences) + ".")
    if missing_hashes := unhashed(lock):
        raise StaleLock(f"{lock.name} has no hash for {', '.join(missing_hashes)}.")


def check(pyproject: Path = PYPROJECT, runtime: Path = RUNTIME_LOCK, dev: Path = DEV_LOCK):
    lists = dependency_lists(pyproject)
    check_lock(runtime, lists["dependencies"])
    check_lock(dev, lists["dependencies"] + lists["optional-dependencies"].get("dev", []))
    # What the pins miss (a range, an extra, requires-python) the fingerprint catches.
    for lock in (runtime, dev):
        if stamped_fingerprint(lock) != fingerprint(lists):
            raise StaleLock(
                f"{lock.name} was generated from other dependency lists than pyproject.toml's."
            )


def stamp(lock: Path, lists: dict) -> None:
    """Puts the fingerprint under uv's header (replacing an old one)."""
    lines = [
        line
        for line in lock.read_text(encoding="utf-8").splitlines()
        if not line.startswith(FINGERPRINT_PREFIX)
    ]
    header_end = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    lines.insert(header_end, FINGERPRINT_PREFIX + fingerprint(lists))
    lock.write_text("\n".join(lines) + "\n", encoding="utf-8")


def lock(uv: str, extra_args: list[str]) -> None:
    for path in (RUNTIME_LOCK, DEV_LOCK):
        # A lock left conflicted by a merge is regenerated from scratch; a clean one
        # is read by uv as the preferred versions, so only what changed moves.
        if path.exists() and any(m in path.read_text(encoding="utf-8") for m in CONFLICT_MARKERS):
            path.unlink()
    compile_ = [uv, "pip", "compile", "pyproject.toml", "--generate-hashes", "--native-tls",
                "--quiet", "--custom-compile-command", "make lock", *TARGET, *extra_args]
    # The arguments are the developer's own (make lock LOCK_ARGS=...).
    subprocess.run([*compile_, "-o", RUNTIME_LOCK.name], cwd=ROOT, check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [*compile_, "--extra", "dev", "-c", RUNTIME_LOCK.name, "-o", DEV_LOCK.name],
        cwd=ROOT, check=True,
    )
    lists = dependency_lists()
    for path in (RUNTIME_LOCK, DEV_LOCK):
        stamp(path, lists)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check")
    lock_parser = sub.add_parser("lock")
    lock_parser.add_argument("--uv", required=True)
    args, extra = parser.parse_known_args(argv)
    if args.command == "lock":
        lock(args.uv, extra)
        print(f"Wrote {RUNTIME_LOCK.name} and {DEV_LOCK.name}; commit both.")
        return 0
    try:
        check()
    except StaleLock as stale:
        print(f"STALE LOCK: {stale}\n"
              "pyproject.toml's dependencies changed and the lock files did not.\n"
              "Run `make lock` and commit requirements.lock and requirements-dev.lock.",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
