"""What the domains hold about a citizen, for the copy of their data: a registry of
providers.

This block knows no domain (no dog here). A domain registers a provider under its
name, in its AppConfig.ready, that gets the citizen and the Aktenzeichen of their
applications at the active authority and returns its part of the copy, or None when it
holds nothing about them. The part becomes one JSON file of the ZIP and a paragraph of
its README, so its title and description are written in German like the README.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from rathaus.registry import Registry


@dataclass(frozen=True)
class PersonalDataPart:
    filename: str  # "hunde.json": lies in the ZIP's folder "register/"
    title: str  # German: "Hunderegister und Hundesteuer"
    description: str  # German: what the file holds, one or two sentences
    data: object  # plain JSON (dates, decimals and UUIDs are written as text)


class PersonalDataProvider(Protocol):
    def __call__(self, *, citizen, case_references: Sequence[str]) -> PersonalDataPart | None:
        """The active authority's data of this domain about `citizen`."""


_providers: Registry[PersonalDataProvider] = Registry("personal data provider")


def personal_data_provider(name: str):
    """Registers the decorated function as the provider `name`."""
    def decorator(provider: PersonalDataProvider) -> PersonalDataProvider:
        return _providers.register(name, provider)
    return decorator


def parts_for(*, citizen, case_references: Sequence[str]) -> list[PersonalDataPart]:
    """Every provider's part about `citizen`, in the order of the providers' names."""
    parts = []
    for name in sorted(_providers.names()):
        part = _providers[name](citizen=citizen, case_references=case_references)
        if part is not None:
            parts.append(part)
    return parts
