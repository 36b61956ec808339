"""The service definitions of this installation, loaded once at start-up."""

from .definitions import ServiceDefinition, load_all

_definitions: dict[str, ServiceDefinition] = {}


def load() -> None:
    # load_all refuses two files with the same service id.
    _definitions.clear()
    _definitions.update(load_all())


def definition(service_id: str) -> ServiceDefinition | None:
    return _definitions.get(service_id)


def all_definitions() -> dict[str, ServiceDefinition]:
    return dict(_definitions)
