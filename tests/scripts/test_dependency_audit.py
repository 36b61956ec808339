"""The dependency audit: a known vulnerability fails, an accepted one needs a reason and
a date, and whatever could not be checked is said, never passed over in silence."""

import datetime

import pytest

TODAY = datetime.date(2026, 12, 6)
NOW = datetime.datetime(2026, 12, 6, 3, 0, tzinfo=datetime.UTC)
PYPI = "https://pypi.org/pypi"
ADVISORY = {
    "id": "PYSEC-2026-17",
    "aliases": ["CVE-2026-1234", "GHSA-xxxx-yyyy-zzzz"],
    "fixed_in": ["5.2.20"],
    "summary": "SQL injection in QuerySet.order_by",
    "withdrawn": None,
}


def pypi(pages):
    """PyPI's JSON API from a dict of pages; any other page is a 404."""
    return pages.get


def run(module, pins, fetch, exceptions=()):
    return module.audit(pins, fetch=fetch, exceptions=list(exceptions), today=TODAY, now=NOW)


def release(advisories):
    return {"info": {"version": "x"}, "vulnerabilities": advisories}


def latest(version, advisories):
    return {"info": {"version": version}, "vulnerabilities": advisories}


def test_a_known_vulnerability_in_a_locked_version_fails_the_audit(dependency_audit):
    fetch = pypi({f"{PYPI}/django/5.2.19/json": release([ADVISORY])})
    report = run(dependency_audit, {"django": "5.2.19"}, fetch)
    assert [(v.name, a["id"]) for v, a in report.findings] == [("django", "PYSEC-2026-17")]
    assert dependency_audit.exit_code(report, strict=False) == 1
    text = dependency_audit.render(report, {"requirements.lock": 1})
    assert "VULNERABLE django 5.2.19: PYSEC-2026-17 (CVE-2026-1234" in text
    assert "fixed in 5.2.20" in text


def test_a_clean_locked_version_passes(dependency_audit):
    fetch = pypi({f"{PYPI}/django/5.2.19/json": release([])})
    report = run(dependency_audit, {"django": "5.2.19"}, fetch)
    assert report.findings == [] and len(report.checked) == 1
    assert dependency_audit.exit_code(report, strict=True) == 0
    assert "checked: 1 of 1 (1 by per-release data" in dependency_audit.render(report, {})


def test_the_latest_release_is_checked_through_the_project_page(dependency_audit):
    fetch = pypi({f"{PYPI}/segno/json": latest("1.6.6", [ADVISORY])})
    report = run(dependency_audit, {"segno": "1.6.6"}, fetch)
    assert report.checked[0].checked_by == "latest release"
    assert len(report.findings) == 1


def test_an_older_release_without_release_data_is_reported_not_checked(dependency_audit):
    # The project page's advisories are the latest release's: they say nothing of 5.2.19.
    fetch = pypi({f"{PYPI}/django/json": latest("6.1.3", [])})
    report = run(dependency_audit, {"django": "5.2.19"}, fetch)
    assert report.checked == [] and report.findings == []
    text = dependency_audit.render(report, {})
    assert "DID NOT RUN" in text
    assert "django 5.2.19: no per-release data from PyPI, and 6.1.3 is the latest" in text
    assert dependency_audit.exit_code(report, strict=False) == 0
    assert dependency_audit.exit_code(report, strict=True) == 1


def test_when_pypi_does_not_answer_the_report_says_the_audit_did_not_run(dependency_audit):
    def fetch(url):
        raise dependency_audit.Unreachable("Name or service not known")

    report = run(dependency_audit, {"django": "5.2.19", "segno": "1.6.6"}, fetch)
    text = dependency_audit.render(report, {"requirements.lock": 2})
    assert "checked: 0 of 2" in text
    assert "DID NOT RUN" in text
    assert "django 5.2.19: PyPI did not answer (Name or service not known)" in text
    assert "No package ships a current offline copy" in text


def test_an_accepted_vulnerability_with_reason_and_date_passes(dependency_audit):
    # Accepted by an alias of the advisory.
    risk = dependency_audit.AcceptedRisk("CVE-2026-1234", "django", "order_by never takes input",
                                         datetime.date(2027, 1, 31))
    fetch = pypi({f"{PYPI}/django/5.2.19/json": release([ADVISORY])})
    report = run(dependency_audit, {"django": "5.2.19"}, fetch, [risk])
    assert report.findings == [] and len(report.accepted) == 1
    assert dependency_audit.exit_code(report, strict=False) == 0
    assert "accepted django 5.2.19: PYSEC-2026-17 until 2027-01-31: order_by never takes input" \
        in dependency_audit.render(report, {})


def test_an_expired_exception_no_longer_counts(dependency_audit):
    risk = dependency_audit.AcceptedRisk("PYSEC-2026-17", "django", "reason",
                                         datetime.date(2026, 12, 5))
    fetch = pypi({f"{PYPI}/django/5.2.19/json": release([ADVISORY])})
    report = run(dependency_audit, {"django": "5.2.19"}, fetch, [risk])
    assert len(report.findings) == 1 and report.expired == [risk]
    assert "expired on 2026-12-05" in dependency_audit.render(report, {})


def test_an_exception_for_another_package_does_not_apply(dependency_audit):
    risk = dependency_audit.AcceptedRisk("PYSEC-2026-17", "flask", "reason",
                                         datetime.date(2027, 1, 31))
    fetch = pypi({f"{PYPI}/django/5.2.19/json": release([ADVISORY])})
    report = run(dependency_audit, {"django": "5.2.19"}, fetch, [risk])
    assert len(report.findings) == 1 and report.unused == [risk]
    assert "matches nothing locked: remove it" in dependency_audit.render(report, {})


def test_a_withdrawn_advisory_is_no_finding(dependency_audit):
    withdrawn = {**ADVISORY, "withdrawn": "2026-11-01T00:00:00Z"}
    fetch = pypi({f"{PYPI}/django/5.2.19/json": release([withdrawn])})
    assert run(dependency_audit, {"django": "5.2.19"}, fetch).findings == []


def test_an_exception_without_reason_or_date_is_refused(dependency_audit, tmp_path):
    path = tmp_path / "accepted.toml"
    path.write_text('[[accepted]]\nid = "PYSEC-2026-17"\npackage = "django"\nuntil = 2027-01-31\n')
    with pytest.raises(ValueError, match="needs id, package, reason and until"):
        dependency_audit.load_exceptions(path)
    path.write_text('[[accepted]]\nid = "X"\npackage = "django"\nreason = "r"\nuntil = "soon"\n')
    with pytest.raises(ValueError, match="until"):
        dependency_audit.load_exceptions(path)


def test_the_committed_exceptions_file_is_valid(dependency_audit):
    for risk in dependency_audit.load_exceptions():
        assert risk.reason and risk.until
