"""How long a service's applications actually took, on its page beside the promised
time, with the open data that publish the same figures per month."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from rathaus.authorities.tenancy import authority_context
from rathaus.cases.models import Case
from rathaus.cases.processing_times import recent_durations, summarise
from rathaus.opendata.publish.services import refresh_automatic_datasets
from tests.factories import make_case

PAGE = "/leistungen/hundeanmeldung/"


def test_figures_need_three_durations_and_are_median_and_90th_percentile():
    assert summarise([]) is None
    assert summarise([1.0, 2.0]) is None
    figures = summarise([10.0, 1.0, 3.0, 2.0, 4.0])
    assert (figures.count, figures.median_days, figures.p90_days) == (5, 3.0, 7.6)


def _decided(case, *, took_days: float, decided_days_ago: float = 1, status=None):
    decided_at = timezone.now() - datetime.timedelta(days=decided_days_ago)
    Case.objects.filter(pk=case.pk).update(
        status=status or Case.Status.APPROVED, decided_at=decided_at,
        submitted_at=decided_at - datetime.timedelta(days=took_days))


@pytest.fixture
def dog_cases(dog_town, citizen):
    """Three dog registrations decided in the last 90 days (after 1, 2 and 6 days), one
    decided long ago after 200 days, one waiting: only the first three count."""
    with authority_context(dog_town):
        cases = [make_case(citizen, large=False) for _ in range(5)]
        _decided(cases[0], took_days=1)
        _decided(cases[1], took_days=2, status=Case.Status.REJECTED)
        _decided(cases[2], took_days=6, decided_days_ago=89)
        _decided(cases[3], took_days=200, decided_days_ago=91)
    return cases


def test_only_the_last_90_days_decisions_of_the_service_count(dog_cases, dog_town):
    with authority_context(dog_town):
        figures = recent_durations(service_id="hundeanmeldung")
        assert (figures.count, figures.median_days, figures.p90_days) == (3, 2.0, 5.2)
        assert recent_durations(service_id="fahrzeugzulassung") is None


def test_the_service_page_says_how_long_applications_actually_took(dog_cases, dog_town):
    page = Client().get(PAGE).text
    assert "Tatsächlich (letzte 90 Tage)" in page
    assert ("Die Hälfte der Anträge war nach 2 Tagen entschieden, 9 von 10 nach 5,2 Tagen "
            "(3 Anträge).") in page
    assert "In der Regel zwei Wochen" in page  # the promised time stays beside it
    # The open data link appears once the dataset is published.
    assert "/daten/antraege-und-bearbeitungszeiten/" not in page
    with authority_context(dog_town):
        refresh_automatic_datasets()
    page = Client().get(PAGE).text
    assert 'href="/daten/antraege-und-bearbeitungszeiten/"' in page
    assert Client().get("/daten/antraege-und-bearbeitungszeiten/").status_code == 200


def test_too_few_decisions_show_no_figures(dog_town, citizen):
    with authority_context(dog_town):
        _decided(make_case(citizen, large=False), took_days=3)
    page = Client().get(PAGE).text
    assert "Zu wenige entschiedene Anträge für eine Aussage." in page
    assert "Die Hälfte der Anträge" not in page


def test_less_than_a_day_reads_as_such(dog_town, citizen):
    with authority_context(dog_town):
        for _ in range(3):
            _decided(make_case(citizen, large=False), took_days=0.25)
    page = Client().get(PAGE).text
    assert ("Die Hälfte der Anträge war nach weniger als einem Tag entschieden, 9 von 10 "
            "nach weniger als einem Tag (3 Anträge).") in page
