"""The costs registry: a definition names its tax or fee configuration, a domain
provides it; the catalog knows no domain."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from rathaus.catalog import costs
from rathaus.catalog.registry import definition
from rathaus.registry import DuplicateEntry, Registry


class FlatFee:
    def tariff(self, *, on):
        return costs.Tariff(caption="Gebühr", label_heading="Was", amount_heading="Betrag",
                            rows=(costs.Cost("Ausweis", Decimal("37.00")),))

    def estimate(self, *, answers, on):
        return costs.Estimate(lines=(costs.Cost("Ihr Ausweis", Decimal("37.00")),))


@pytest.fixture
def providers(monkeypatch):
    fresh = Registry("costs provider")
    monkeypatch.setattr(costs, "_providers", fresh)
    return fresh


def test_the_provider_named_by_the_definition_answers(providers):
    costs.register_costs_provider("ausweisgebuehr", FlatFee())
    service = replace(definition("hundeanmeldung"), tax_reference="ausweisgebuehr")
    on = date(2026, 6, 1)
    assert costs.tariff_for(service, on=on).rows[0].amount == Decimal("37.00")
    assert costs.estimate_for(service, answers={}, on=on).lines[0].label == "Ihr Ausweis"


def test_no_reference_or_no_provider_means_no_costs_shown(providers):
    on = date(2026, 6, 1)
    without = replace(definition("hundeanmeldung"), tax_reference="")
    assert costs.tariff_for(without, on=on) is None
    assert costs.estimate_for(definition("hundeanmeldung"), answers={}, on=on) is None
    assert costs.tariff_for(None, on=on) is None


def test_a_second_provider_under_one_name_stops_the_start(providers):
    costs.register_costs_provider("ausweisgebuehr", FlatFee())
    with pytest.raises(DuplicateEntry):
        costs.register_costs_provider("ausweisgebuehr", FlatFee())


def test_the_dog_register_provides_the_dog_tax_named_by_the_hundeanmeldung():
    assert definition("hundeanmeldung").tax_reference == "hundesteuer"
    assert "hundesteuer" in costs.provider_names()
