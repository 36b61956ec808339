"""The values of a bylaw a service depends on (the rates of a tax), as one authority
hands them to another with the service ("Einer für Alle"): a registry of providers.

Like the costs providers (catalog.costs), a domain registers one under the definition's
`tax_reference`; the export asks it for the values in force, and the import shows them
to the adopting authority's staff to change before they become its own bylaw version.
"""

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from rathaus.registry import Registry

from .definitions import ServiceDefinition


@dataclass(frozen=True)
class BylawValue:
    """One value staff set on import: an amount in euros, a text or a choice."""

    name: str
    label: str
    kind: str  # "amount", "text" or "choice"
    choices: tuple[tuple[str, str], ...] = ()


class BylawValuesProvider(Protocol):
    def values(self) -> tuple[BylawValue, ...]:
        """What a bylaw of this kind sets."""

    def in_force(self, *, on: date) -> dict | None:
        """The active authority's values on `on` (plain JSON: amounts as "96.00"), or
        None when it has no bylaw then."""

    def adopt(self, values: dict, *, valid_from: date) -> None:
        """Make `values` the active authority's bylaw from `valid_from` on; raises
        ValueError with a message for staff when a value cannot be used."""


_providers: Registry[BylawValuesProvider] = Registry("bylaw values provider")


def register_bylaw_values(name: str, provider: BylawValuesProvider) -> BylawValuesProvider:
    return _providers.register(name, provider)


def bylaw_values_for(definition: ServiceDefinition | None) -> BylawValuesProvider | None:
    if definition is None or not definition.tax_reference:
        return None
    return _providers.get(definition.tax_reference)
