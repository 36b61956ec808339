"""What the dog tax costs, as the service page and the summary tell it: the bylaw's
rates, and for an application the yearly rate and this year's amount, which is what
the tax notice then sets."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from rathaus.catalog.costs import estimate_for, tariff_for
from rathaus.catalog.registry import definition
from rathaus.dogs.dog_registration import assessment_from_answers

ON = date(2026, 6, 20)
SERVICE = "hundeanmeldung"


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


def answers(**changes) -> dict:
    return {"dogs_in_household": "1", "dog_category": "normal", "taken_in": "2026-03-14",
            **changes}


def amounts(costs) -> list[tuple[str, Decimal]]:
    return [(cost.label, cost.amount) for cost in costs]


def test_the_tariff_lists_every_rate_of_the_bylaw_in_force(notice_setup):
    tariff = tariff_for(definition(SERVICE), on=ON)
    assert tariff.caption == "Hundesteuer pro Jahr"
    assert amounts(tariff.rows[:5]) == [
        ("Erster Hund", Decimal("96.00")), ("Zweiter Hund", Decimal("120.00")),
        ("Jeder weitere Hund", Decimal("150.00")),
        ("Erster gefährlicher Hund (§ 3 oder § 10 LHundG NRW)", Decimal("600.00")),
        ("Jeder weitere gefährliche Hund", Decimal("750.00"))]
    assert [(cost.label, cost.note) for cost in tariff.rows[5:]] == [
        ("Assistenzhund (zum Beispiel Blindenführhund)", "steuerfrei"),
        ("Rettungshund mit bestandener Prüfung", "steuerfrei")]
    assert tariff.source == notice_setup.title
    assert any("vierteljährlich" in note.lower() or "15. Februar" in note
               for note in tariff.notes), tariff.notes


def test_without_a_bylaw_in_force_no_rates_are_promised(in_town):
    assert tariff_for(definition(SERVICE), on=ON) is None
    assert estimate_for(definition(SERVICE), answers=answers(), on=ON) is None


def test_the_estimate_is_the_yearly_rate_and_what_the_notice_will_set(notice_setup):
    estimate = estimate_for(definition(SERVICE), answers=answers(), on=ON)
    expected = assessment_from_answers(answers(), on=ON)
    assert expected.amount == Decimal("72.00")  # April to December of 96 €
    assert amounts(estimate.lines) == [
        ("Hundesteuer pro Jahr (Erster Hund)", Decimal("96.00")),
        ("Für 2026: 9 Monate ab 01.04.2026", expected.amount)]
    assert notice_setup.title in estimate.notes[0]


@pytest.mark.parametrize(("changes", "label", "rate"), [
    ({"dogs_in_household": "2"}, "Zweiter Hund", "120.00"),
    ({"dogs_in_household": "3"}, "Jeder weitere Hund", "150.00"),
    ({"dog_category": "section_3"}, "Erster gefährlicher Hund (§ 3 oder § 10 LHundG NRW)",
     "600.00"),
    ({"dog_category": "section_10", "dogs_in_household": "2"},
     "Jeder weitere gefährliche Hund", "750.00"),
])
def test_the_rate_follows_the_household_and_the_breed(notice_setup, changes, label, rate):
    first = estimate_for(definition(SERVICE), answers=answers(**changes), on=ON).lines[0]
    assert (first.label, first.amount) == (f"Hundesteuer pro Jahr ({label})", Decimal(rate))


def test_a_dog_taken_in_this_december_costs_nothing_this_year(notice_setup):
    december = date(2026, 12, 6)
    estimate = estimate_for(definition(SERVICE), answers=answers(taken_in="2026-12-01"),
                            on=december)
    assert amounts(estimate.lines)[1] == (
        "Für 2026: keine Steuer; sie beginnt am 01.01.2027", Decimal("0.00"))


def test_without_a_valid_date_the_yearly_rate_is_still_told(notice_setup):
    estimate = estimate_for(definition(SERVICE), answers=answers(taken_in=""), on=ON)
    assert amounts(estimate.lines) == [("Hundesteuer pro Jahr (Erster Hund)", Decimal("96.00"))]


def test_one_month_is_said_in_the_singular(notice_setup):
    # Taken in in November: liable from 1 December, one month of 2026.
    estimate = estimate_for(definition(SERVICE), answers=answers(taken_in="2026-11-20"),
                            on=date(2026, 11, 25))
    assert estimate.lines[1].label == "Für 2026: 1 Monat ab 01.12.2026"
