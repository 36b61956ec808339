"""What happens when a case is decided, per service: a registry, so a new service
adds its handler here instead of an `if` in the task."""

from collections.abc import Callable
from dataclasses import dataclass

from rathaus.registry import DuplicateEntry


@dataclass(frozen=True)
class DecisionHandler:
    # decide(case, **reserved): runs inside the task's transaction, with the case locked.
    decide: Callable
    # reserve(case) -> dict: runs before that transaction and draws the numbers that
    # decide needs (see authorities.sequences.reserve_value); it must be idempotent.
    reserve: Callable | None = None
    # preview(case) -> [(label, value)]: what the decision will say, for the clerks.
    preview: Callable | None = None


_handlers: dict[str, DecisionHandler] = {}


def decision_handler(
    service_id: str, *, reserve: Callable | None = None, preview: Callable | None = None
):
    def register(function: Callable) -> Callable:
        # Two handlers for one service would leave it to import order which one decides.
        if service_id in _handlers:
            raise DuplicateEntry(f"decision handler {service_id!r} is registered twice")
        _handlers[service_id] = DecisionHandler(decide=function, reserve=reserve,
                                                preview=preview)
        return function

    return register


def handler_for(service_id: str) -> DecisionHandler | None:
    return _handlers.get(service_id)
