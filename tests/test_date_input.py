"""A typed date: the right format but a day that does not exist is told so; a text
that is no date at all gets the format hint (rathaus.date_input)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from rathaus.date_input import TypedDateField, parse_typed_date


@pytest.mark.parametrize("typed, meant", [
    ("17.03.1958", date(1958, 3, 17)),
    ("1.2.2024", date(2024, 2, 1)),
    ("29.02.2024", date(2024, 2, 29)),  # a leap year
    ("01.06.22", date(2022, 6, 1)),
    ("17. 03. 1958", date(1958, 3, 17)),
    ("1958-03-17", date(1958, 3, 17)),
    (" 17.03.1958 ", date(1958, 3, 17)),
])
def test_dates_in_german_and_iso_order_are_read(typed, meant):
    assert parse_typed_date(typed) == meant


def _message(typed: str) -> tuple[str, str]:
    with pytest.raises(ValidationError) as raised, translation.override("de"):
        TypedDateField().clean(typed)
    with translation.override("de"):
        return raised.value.code, raised.value.messages[0]


@pytest.mark.parametrize("typed, message", [
    ("31.02.2023", "Diesen Tag gibt es nicht: Der Februar 2023 hat 28 Tage."),
    ("29.02.2023", "Diesen Tag gibt es nicht: Der Februar 2023 hat 28 Tage."),
    ("31.04.2026", "Diesen Tag gibt es nicht: Der April 2026 hat 30 Tage."),
    ("32.01.2026", "Diesen Tag gibt es nicht: Der Januar 2026 hat 31 Tage."),
    ("00.01.2026", "Diesen Tag gibt es nicht: Der Januar 2026 hat 31 Tage."),
    ("31.02.23", "Diesen Tag gibt es nicht: Der Februar 2023 hat 28 Tage."),
    ("2023-02-30", "Diesen Tag gibt es nicht: Der Februar 2023 hat 28 Tage."),
])
def test_a_day_that_does_not_exist_is_named_not_the_format(typed, message):
    assert _message(typed) == ("no_such_day", message)


def test_a_month_that_does_not_exist_is_named():
    assert _message("12.13.2026") == (
        "no_such_month", "Diesen Monat gibt es nicht: Geben Sie einen Monat von 1 bis 12 ein.")


@pytest.mark.parametrize("typed", ["morgen", "2023/02/31", "17.03.", "17031958", "1.2.123"])
def test_a_text_that_is_no_date_gets_the_format_hint(typed):
    assert _message(typed) == ("invalid", "Bitte geben Sie das Datum als TT.MM.JJJJ ein.")


def test_the_english_message_names_the_month_too():
    with pytest.raises(ValidationError) as raised, translation.override("en"):
        TypedDateField().clean("31.02.2023")
    with translation.override("en"):
        assert raised.value.messages == ["This day does not exist: February 2023 has 28 days."]
