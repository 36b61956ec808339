"""What a service costs, told to the citizen before applying: a registry of providers.

A definition names the tax or fee configuration of the authority that applies to it
(`tax_reference`); the domain that keeps those rates registers a provider under that
name in its AppConfig.ready. The service page asks for the tariff, the summary for an
estimate from the answers given, and neither (nor this block) knows whose rates they
are. A second provider under the same name stops the start, as in every
registry (`rathaus/registry.py`).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from rathaus.registry import Registry

from .definitions import ServiceDefinition


@dataclass(frozen=True)
class Cost:
    """One labelled amount in euros. `note` replaces the amount where it says more
    ("tax-free")."""

    label: str
    amount: Decimal
    note: str = ""


@dataclass(frozen=True)
class Tariff:
    """The rates as the authority sets them, for the service page: a small table."""

    caption: str  # what the table shows, e.g. "… per year"
    label_heading: str  # the first column: what a rate is for
    amount_heading: str  # the second column: "Per year", "Fee" …
    rows: tuple[Cost, ...]
    notes: tuple[str, ...] = ()  # how it is charged and when it is due
    source: str = ""  # where the rates are set, e.g. the bylaw's title


@dataclass(frozen=True)
class Estimate:
    """What this application will cost, given its answers, for the summary."""

    lines: tuple[Cost, ...]
    notes: tuple[str, ...] = ()


class CostsProvider(Protocol):
    def tariff(self, *, on: date) -> Tariff | None:
        """The rates in force on `on`; None when the authority has set none."""

    def estimate(self, *, answers: dict, on: date) -> Estimate | None:
        """The cost of an application with `answers` (derived values included) sent on
        `on`; None when the answers do not tell it yet."""


_providers: Registry[CostsProvider] = Registry("costs provider")


def register_costs_provider(name: str, provider: CostsProvider) -> CostsProvider:
    return _providers.register(name, provider)


def provider_names() -> Iterable[str]:
    return _providers.names()


def _provider(definition: ServiceDefinition | None) -> CostsProvider | None:
    if definition is None or not definition.tax_reference:
        return None
    return _providers.get(definition.tax_reference)


def tariff_for(definition: ServiceDefinition | None, *, on: date) -> Tariff | None:
    provider = _provider(definition)
    return provider.tariff(on=on) if provider else None


def estimate_for(definition: ServiceDefinition | None, *, answers: dict,
                 on: date) -> Estimate | None:
    provider = _provider(definition)
    return provider.estimate(answers=answers, on=on) if provider else None
