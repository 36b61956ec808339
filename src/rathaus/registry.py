"""A registry of named entries (field types, service definitions, decision handlers).

Every extension point of Rathaus is a registry; a second entry under a name already
taken is a mistake (two field types called "date", two files defining the same
service), so it stops the start instead of one silently replacing the other.

Base layer: this module imports nothing from rathaus.
"""

from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class DuplicateEntry(ValueError):
    """A name registered twice."""


class Registry(Generic[T]):
    def __init__(self, kind: str):
        self.kind = kind  # for messages: "field type", "service definition" …
        self._entries: dict[str, T] = {}

    def register(self, name: str, entry: T) -> T:
        if name in self._entries:
            raise DuplicateEntry(f"{self.kind} {name!r} is registered twice")
        self._entries[name] = entry
        return entry

    def get(self, name: str) -> T | None:
        return self._entries.get(name)

    def __getitem__(self, name: str) -> T:
        try:
            return self._entries[name]
        except KeyError:
            raise LookupError(f"no {self.kind} {name!r}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def names(self) -> list[str]:
        return list(self._entries)

    def all(self) -> dict[str, T]:
        return dict(self._entries)
