import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rathaus.audit.models import AuditEntry
from rathaus.authorities.tenancy import authority_context
from rathaus.records.errors import CaseFileClosed, UnknownPlanCode
from rathaus.records.services import (
    add_document,
    add_file_plan_entry,
    close_case_file,
    open_case_file,
)

UTC = datetime.UTC


@pytest.fixture
def clock(monkeypatch):
    """Sets what timezone.now() returns; starts on 1 March 2026."""

    class Clock:
        def set(self, *args):
            self.now = datetime.datetime(*args, tzinfo=UTC)

    clock = Clock()
    clock.set(2026, 3, 1, 9, 0)
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


def test_aktenzeichen_follows_the_default_pattern(dog_tax_plan, clock):
    case_file = open_case_file(plan_code="32.41.01", title="Hundeanmeldung")
    assert case_file.aktenzeichen == "32.41.01-2026-000001"


def test_aktenzeichen_counts_up_per_plan_code_and_restarts_each_year(dog_tax_plan, clock):
    add_file_plan_entry(code="32.10.02", title="Gewerbeanmeldung", retention_years=6)
    opened = [open_case_file(plan_code=code, title="Antrag").aktenzeichen
              for code in ("32.41.01", "32.41.01", "32.10.02", "32.41.01")]
    clock.set(2027, 1, 4, 9, 0)
    opened.append(open_case_file(plan_code="32.41.01", title="Antrag").aktenzeichen)
    assert opened == [
        "32.41.01-2026-000001", "32.41.01-2026-000002", "32.10.02-2026-000001",
        "32.41.01-2026-000003", "32.41.01-2027-000001",
    ]


def test_year_of_the_aktenzeichen_is_the_towns_year(dog_tax_plan, clock):
    clock.set(2026, 12, 31, 23, 30)  # 00:30 on New Year's Day in Leichlingen
    assert open_case_file(plan_code="32.41.01", title="Antrag").aktenzeichen.startswith(
        "32.41.01-2027-"
    )


def test_each_authority_counts_for_itself(town, district, clock):
    for authority in (town, district):
        with authority_context(authority):
            add_file_plan_entry(code="32.41.01", title="Hundesteuer", retention_years=10)
    with authority_context(town):
        open_case_file(plan_code="32.41.01", title="Antrag")
        in_town = open_case_file(plan_code="32.41.01", title="Antrag")
    with authority_context(district):
        in_district = open_case_file(plan_code="32.41.01", title="Antrag")
    assert in_town.aktenzeichen == "32.41.01-2026-000002"
    assert in_district.aktenzeichen == "32.41.01-2026-000001"


def test_pattern_is_configurable_per_plan_entry(in_town, clock):
    add_file_plan_entry(code="32.41.01", title="Hundesteuer", retention_years=10,
                        reference_pattern="Az. {year}/{code}/{number:04d}")
    case_file = open_case_file(plan_code="32.41.01", title="Antrag")
    assert case_file.aktenzeichen == "Az. 2026/32.41.01/0001"


@pytest.mark.parametrize("pattern", [
    "{code}-{number:06d}",  # without the year, numbers would repeat next year
    "{year}-{number}",  # without the code, two plan entries would collide
    "{code}-{year}-{number}-{user}",
    "{code.__class__}-{year}-{number}",
    "{code}-{year}-{number:{code}}",
    "{code}-{year}-{number:q}",
    "{code}-{year}-{number",
    "{code}-{year}-{}",
])
def test_unsafe_or_ambiguous_patterns_are_refused(in_town, pattern):
    with pytest.raises(ValidationError):
        add_file_plan_entry(code="32.41.01", title="Hundesteuer", retention_years=10,
                            reference_pattern=pattern)


def test_unknown_plan_code_is_refused(in_town):
    with pytest.raises(UnknownPlanCode), transaction.atomic():
        open_case_file(plan_code="99.99", title="Antrag")


def test_plan_codes_are_unique_per_authority(dog_tax_plan):
    with pytest.raises(ValidationError):
        add_file_plan_entry(code="32.41.01", title="Doppelt", retention_years=10)


def test_closing_fixes_retention_from_the_end_of_the_year(dog_tax_plan, clock):
    case_file = open_case_file(plan_code="32.41.01", title="Hundeanmeldung")
    clock.set(2026, 6, 15, 12, 0)
    closed = close_case_file(case_file=case_file)
    assert closed.closed_at == clock.now
    assert closed.retention_until == datetime.date(2036, 12, 31)


def test_retention_is_kept_from_when_the_file_was_opened(dog_tax_plan, clock):
    case_file = open_case_file(plan_code="32.41.01", title="Hundeanmeldung")
    dog_tax_plan.retention_years = 2
    dog_tax_plan.save()
    assert close_case_file(case_file=case_file).retention_until == datetime.date(2036, 12, 31)


def test_closed_file_takes_no_documents_and_cannot_be_closed_again(dog_tax_plan):
    case_file = open_case_file(plan_code="32.41.01", title="Hundeanmeldung")
    close_case_file(case_file=case_file)
    with pytest.raises(CaseFileClosed), transaction.atomic():
        add_document(case_file=case_file, title="Nachtrag", kind="correspondence",
                     content=b"x", media_type="text/plain", filename="n.txt")
    with pytest.raises(CaseFileClosed):
        close_case_file(case_file=case_file)


def test_opening_and_closing_are_audited_without_personal_data(dog_tax_plan, citizen):
    case_file = open_case_file(plan_code="32.41.01", title="Hundeanmeldung Bettina Beispiel",
                               subject=citizen, actor=citizen)
    close_case_file(case_file=case_file)
    entries = AuditEntry.objects.filter(object_type="records.casefile")
    assert [entry.action for entry in entries] == [
        "records.case_file_opened", "records.case_file_closed"
    ]
    assert entries[0].actor == citizen
    assert "Bettina" not in str([entry.data for entry in entries])
