"""The service definitions of this installation, loaded once at start-up, and those an
authority adopted from another (catalog.exchange), which replace them for it alone."""

from pathlib import Path

from rathaus.authorities.tenancy import active_authority_or_none

from .definitions import ServiceDefinition, definition_from_data, load_all

_definitions: dict[str, ServiceDefinition] = {}
# (authority, its catalog revision) → its adopted definitions. A process keeps them
# until the authority's revision moves on; an adoption moves it.
_adopted: dict[tuple[int, int], dict[str, ServiceDefinition]] = {}


def load() -> None:
    # load_all refuses two files with the same service id.
    _definitions.clear()
    _definitions.update(load_all())
    _adopted.clear()


def definition(service_id: str) -> ServiceDefinition | None:
    """The definition the active authority uses for `service_id`: its adopted one, or
    the installation's."""
    authority = active_authority_or_none()
    if authority is not None and authority.catalog_revision:
        adopted = _adopted_by(authority).get(service_id)
        if adopted is not None:
            return adopted
    return _definitions.get(service_id)


def installed_definition(service_id: str) -> ServiceDefinition | None:
    """The installation's own definition (its file), whoever is active."""
    return _definitions.get(service_id)


def all_definitions() -> dict[str, ServiceDefinition]:
    return dict(_definitions)


def _adopted_by(authority) -> dict[str, ServiceDefinition]:
    key = (authority.pk, authority.catalog_revision)
    found = _adopted.get(key)
    if found is None:
        from .models import AdoptedDefinition

        rows = AdoptedDefinition.all_authorities.filter(authority_id=authority.pk)
        found = {row.service_id: definition_from_data(
                     row.data, source=Path(f"adopted/{authority.slug}/{row.service_id}"))
                 for row in rows}
        for stale in [k for k in _adopted if k[0] == authority.pk]:
            del _adopted[stale]
        _adopted[key] = found
    return found
