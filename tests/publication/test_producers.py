"""Apps register their producers in their own open_data module; publication finds them
at start-up, and a second producer under a taken name is refused."""

import pytest

from rathaus.publication.producers import Produced, automatic_dataset, producer, producers


def test_the_open_data_modules_of_dogs_and_cases_are_found_at_start_up():
    names = {p.name for p in producers()}
    assert {"hunde-je-ortsteil", "antraege-und-bearbeitungszeiten"} <= names
    assert producer("hunde-je-ortsteil").produce.__module__ == "rathaus.dogs.open_data"
    assert (producer("antraege-und-bearbeitungszeiten").produce.__module__
            == "rathaus.cases.open_data")


def test_a_second_producer_under_a_taken_name_is_refused():
    with pytest.raises(ValueError):
        @automatic_dataset(name="hunde-je-ortsteil", title="x", description="x", theme="SOCI")
        def other() -> Produced:  # pragma: no cover
            raise AssertionError
