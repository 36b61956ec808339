"""The automatic datasets: produced from the registers, refreshed by the task queue,
small counts suppressed."""

import datetime

from rathaus.authorities.tenancy import authority_context
from rathaus.background.housekeeping import tidy_up
from rathaus.cases.open_data import processing_rows
from rathaus.dogs.models import Dog
from rathaus.opendata.models import Dataset
from rathaus.opendata.publish.services import refresh_automatic_datasets
from rathaus.opendata.publish.tasks import enqueue_refresh
from rathaus.opendata.store import queries
from rathaus.publication.signals import figures_changed
from tests.factories import dog_register


def _day(day, hour=9):
    return datetime.datetime(2026, 3, day, hour, tzinfo=datetime.UTC)


def test_processing_times_have_median_and_90th_percentile_and_hide_small_groups():
    cases = [("hundeanmeldung", _day(2), _day(2) + datetime.timedelta(days=d))
             for d in (1, 2, 3, 4, 10)]
    cases += [("hundeanmeldung", _day(3), None)]
    cases += [("altdienst", _day(4), _day(5)), ("altdienst", _day(4), None)]
    rows = processing_rows(cases)
    assert rows == [
        {"leistung": "altdienst", "monat": "2026-03", "antraege": None,
         "entschieden": None, "median_tage": None, "p90_tage": None},
        {"leistung": "Hund anmelden", "monat": "2026-03", "antraege": 6, "entschieden": 5,
         "median_tage": 3.0, "p90_tage": 7.6},
    ]


def test_a_district_with_two_dogs_shows_as_suppressed(dog_town, citizen, public):
    with authority_context(dog_town):
        create = dog_register(citizen)
        for number in range(4):
            create("Witzhelden", number)
        for number in range(2):
            create("Unterberg", 10 + number)
        enqueue_refresh()  # runs at once in tests
        dataset = Dataset.objects.get(name="hunde-je-ortsteil")
        assert dataset.published
    csv = b"".join(public.get("/daten/hunde-je-ortsteil/download.csv").streaming_content)
    assert csv.decode() == ("ortsteil,hunde,hinweis\r\n"
                            "Unterberg,,\"weniger als 3, nicht ausgewiesen\"\r\n"
                            "Witzhelden,4,\r\n")
    page = public.get("/daten/hunde-je-ortsteil/")
    assert "weniger als 3, nicht ausgewiesen" in page.text


def test_refresh_adds_a_version_only_when_the_figures_change(dog_town, citizen):
    with authority_context(dog_town):
        create = dog_register(citizen)
        for number in range(3):
            create("Witzhelden", number)
        refresh_automatic_datasets()
        assert refresh_automatic_datasets() == []
        create("Witzhelden", 7)
        dogs = {v.dataset.name: v for v in refresh_automatic_datasets()}["hunde-je-ortsteil"]
        assert dogs.number == 2
        assert queries.first_rows(dogs.sha256) == [
            {"ortsteil": "Witzhelden", "hunde": 4, "hinweis": None}]


def test_the_hourly_housekeeping_refreshes_figures_that_change_with_the_date(
        dog_town, citizen):
    with authority_context(dog_town):
        create = dog_register(citizen)
        for number in range(4):
            create("Witzhelden", number)
        refresh_automatic_datasets()
        # A holder gave a dog up at the end of last year: the register changes with no
        # decision that would queue a refresh, as when a given-up dog's last day passes.
        Dog.objects.filter(tax_tag_number=1).update(given_up_on=datetime.date(2025, 12, 31))
    assert tidy_up()["open data refreshes queued"] >= 1  # run at once in tests
    with authority_context(dog_town):
        latest = Dataset.objects.get(name="hunde-je-ortsteil").versions.order_by("-number")[0]
        assert queries.first_rows(latest.sha256) == [
            {"ortsteil": "Witzhelden", "hunde": 3, "hinweis": None}]


def test_figures_changed_signal_refreshes_the_automatic_datasets(dog_town, citizen):
    with authority_context(dog_town):
        create = dog_register(citizen)
        for number in range(3):
            create("Witzhelden", number)
        assert not Dataset.objects.filter(name="hunde-je-ortsteil").exists()
        figures_changed.send(sender=Dog)  # the task runs at once in tests
        assert Dataset.objects.filter(name="hunde-je-ortsteil").exists()
