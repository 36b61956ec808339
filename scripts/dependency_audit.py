"""Checks the locked versions against the PyPA Advisory Database, as PyPI serves it.

    .venv/bin/python scripts/dependency_audit.py [--strict]

No package ships a current copy of a Python vulnerability database for offline use
(docs/decisions/0021), so this reads PyPI's JSON API, which carries the PyPA Advisory
Database entries of every release:

- per release (`/pypi/NAME/VERSION/json`), the data pip-audit reads;
- where that gives nothing (some networks let only the project pages through), the
  project page (`/pypi/NAME/json`), whose entries are those of the latest release: they
  hold for a locked version only when it is that latest release.

It never stays silent: the report names the database, when it was read, how many
packages were checked and which were not, and why. An advisory against a locked
version fails the audit (exit 1) unless accepted-vulnerabilities.toml accepts it with
a reason and a review date. `--strict` also fails when a package could not be checked.
Only the standard library: it runs with any Python 3.11.
"""

import argparse
import datetime
import json
import sys
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dependency_lock import DEV_LOCK, RUNTIME_LOCK, canonical_name, locked_pins  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXCEPTIONS = ROOT / "accepted-vulnerabilities.toml"
PYPI = "https://pypi.org/pypi"
DATABASE = "PyPA Advisory Database, read live through PyPI's JSON API"
NO_OFFLINE_COPY = (
    "No package ships a current offline copy (safety-db stops at 2021-07-01): "
    "see docs/decisions/0021."
)

Fetch = Callable[[str], dict | None]


class Unreachable(Exception):
    """PyPI did not answer (network, TLS, time-out)."""


@dataclass(frozen=True)
class AcceptedRisk:
    id: str
    package: str
    reason: str
    until: datetime.date


@dataclass
class Verdict:
    name: str
    version: str
    checked_by: str | None = None  # "release" or "latest release"
    advisories: list[dict] = field(default_factory=list)
    not_checked: str | None = None


@dataclass
class Report:
    verdicts: list[Verdict]
    read_at: datetime.datetime
    findings: list[tuple[Verdict, dict]]
    accepted: list[tuple[Verdict, dict, AcceptedRisk]]
    expired: list[AcceptedRisk]
    unused: list[AcceptedRisk]

    @property
    def checked(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.checked_by]

    @property
    def unchecked(self) -> list[Verdict]:
        return [v for v in self.verdicts if not v.checked_by]


def fetch_json(url: str) -> dict | None:
    """The JSON at url, None when PyPI answers 404; Unreachable when it does not answer."""
    try:
        with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 (https only)
            return json.load(response)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise Unreachable(f"HTTP {error.code}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise Unreachable(str(getattr(error, "reason", error))) from error


def active(advisories: list[dict]) -> list[dict]:
    return [a for a in advisories if not a.get("withdrawn")]


def verdict_for(name: str, version: str, fetch: Fetch) -> Verdict:
    verdict = Verdict(name, version)
    try:
        release = fetch(f"{PYPI}/{name}/{version}/json")
        if release is not None:
            verdict.checked_by = "release"
            verdict.advisories = active(release.get("vulnerabilities", []))
            return verdict
        project = fetch(f"{PYPI}/{name}/json")
    except Unreachable as error:
        verdict.not_checked = f"PyPI did not answer ({error})"
        return verdict
    if project is None:
        verdict.not_checked = "PyPI does not know the package"
    elif project["info"]["version"] == version:
        verdict.checked_by = "latest release"
        verdict.advisories = active(project.get("vulnerabilities", []))
    else:
        verdict.not_checked = (
            f"no per-release data from PyPI, and {project['info']['version']} is the latest"
        )
    return verdict


def load_exceptions(path: Path = EXCEPTIONS) -> list[AcceptedRisk]:
    """Every entry needs an advisory id, the package, a reason and a review date."""
    if not path.exists():
        return []
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("accepted", [])
    risks = []
    for entry in entries:
        missing = [k for k in ("id", "package", "reason", "until") if not entry.get(k)]
        if missing or not isinstance(entry["until"], datetime.date):
            raise ValueError(
                f"{path.name}: entry {entry.get('id', '?')} needs id, package, reason and "
                f"until (a date, e.g. 2027-03-31); missing or wrong: {missing or ['until']}"
            )
        risks.append(AcceptedRisk(entry["id"], canonical_name(entry["package"]),
                                  entry["reason"].strip(), entry["until"]))
    return risks


def advisory_ids(advisory: dict) -> set[str]:
    return {advisory.get("id", ""), *advisory.get("aliases", [])}


def audit(
    pins: dict[str, str],
    *,
    fetch: Fetch,
    exceptions: list[AcceptedRisk],
    today: datetime.date,
    now: datetime.datetime,
) -> Report:
    with ThreadPoolExecutor(max_workers=8) as pool:
        verdicts = list(pool.map(lambda pin: verdict_for(*pin, fetch), sorted(pins.items())))
    current = [risk for risk in exceptions if risk.until >= today]
    report = Report(verdicts, now, [], [], [r for r in exceptions if r.until < today], [])
    used = set()
    for verdict in verdicts:
        for advisory in verdict.advisories:
            risk = next((r for r in current if r.package == canonical_name(verdict.name)
                         and r.id in advisory_ids(advisory)), None)
            if risk:
                used.add(risk)
                report.accepted.append((verdict, advisory, risk))
            else:
                report.findings.append((verdict, advisory))
    report.unused = [risk for risk in current if risk not in used]
    return report


def render(report: Report, lock_sizes: dict[str, int]) -> str:
    total = len(report.verdicts)
    by_release = sum(v.checked_by == "release" for v in report.checked)
    lines = [
        f"database: {DATABASE}, on {report.read_at:%Y-%m-%d %H:%M} UTC.",
        f"  {NO_OFFLINE_COPY}",
        "locked: " + ", ".join(f"{name} {n}" for name, n in lock_sizes.items())
        + f"; {total} distinct packages, every one hash-pinned.",
        f"checked: {len(report.checked)} of {total} ({by_release} by per-release data, "
        f"{len(report.checked) - by_release} as PyPI's latest release).",
    ]
    if not report.checked:
        lines.append(
            "DID NOT RUN: no locked package could be checked, so nothing is known about "
            "their vulnerabilities (reasons below)."
        )
    if report.unchecked:
        lines.append(f"NOT CHECKED: {len(report.unchecked)} packages:")
        lines += [f"  {v.name} {v.version}: {v.not_checked}" for v in report.unchecked]
    lines.append(f"findings: {len(report.findings)} open, {len(report.accepted)} accepted.")
    for verdict, advisory in report.findings:
        fixed = ", ".join(advisory.get("fixed_in") or []) or "no fixed release"
        summary = (advisory.get("summary") or advisory.get("details") or "").strip()
        lines.append(
            f"  VULNERABLE {verdict.name} {verdict.version}: {advisory.get('id')} "
            f"({', '.join(advisory.get('aliases', []))}), fixed in {fixed}. {summary[:160]}"
        )
    for verdict, advisory, risk in report.accepted:
        lines.append(f"  accepted {verdict.name} {verdict.version}: {advisory.get('id')} "
                     f"until {risk.until}: {risk.reason}")
    lines += [f"  exception {r.id} for {r.package} expired on {r.until}: it no longer counts"
              for r in report.expired]
    lines += [f"  exception {r.id} for {r.package} matches nothing locked: remove it"
              for r in report.unused]
    return "\n".join(lines)


def exit_code(report: Report, *, strict: bool) -> int:
    if report.findings or (strict and report.unchecked):
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true",
                        help="also fail when a package could not be checked")
    args = parser.parse_args(argv)
    pins = {}
    lock_sizes = {}
    for lock in (RUNTIME_LOCK, DEV_LOCK):
        locked = locked_pins(lock)
        lock_sizes[lock.name] = len(locked)
        pins.update(locked)
    now = datetime.datetime.now(datetime.UTC)
    report = audit(pins, fetch=fetch_json, exceptions=load_exceptions(),
                   today=now.date(), now=now)
    print(render(report, lock_sizes))
    return exit_code(report, strict=args.strict)


if __name__ == "__main__":
    sys.exit(main())
