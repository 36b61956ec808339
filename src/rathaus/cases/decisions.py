"""What happens when a case is decided, per service: a registry, so a new service
adds its handler here instead of an `if` in the task."""

from collections.abc import Callable

_handlers: dict[str, Callable] = {}


def decision_handler(service_id: str):
    def register(function: Callable) -> Callable:
        _handlers[service_id] = function
        return function

    return register


def handler_for(service_id: str) -> Callable | None:
    return _handlers.get(service_id)
