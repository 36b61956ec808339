"""What happens when a case is decided, per service: a registry, so a new service
adds its handler here instead of an `if` in the task."""

from collections.abc import Callable
from dataclasses import dataclass

from rathaus.registry import DuplicateEntry


class DecisionRefused(Exception):
    """The decision cannot be carried out as things stand (what it needs was taken by
    another application meanwhile): `message` tells the clerk why, in German. Raised by
    a handler's `check` when a clerk approves, so the approval is refused and the case
    stays open; raised by its `decide`, the task puts the case back in review with the
    message as an internal note (cases.actions.reopen_refused)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class DecisionHandler:
    # decide(case, **reserved): runs inside the task's transaction, with the case locked.
    decide: Callable
    # reserve(case) -> dict: runs before that transaction and draws the numbers that
    # decide needs (see authorities.sequences.reserve_value); it must be idempotent.
    reserve: Callable | None = None
    # preview(case) -> [(label, value)]: what the decision will say, for the clerks.
    preview: Callable | None = None
    # check(case): asked when a clerk approves (proposes or confirms an approval), inside
    # that transaction; raises DecisionRefused when the approval cannot be carried out.
    check: Callable | None = None
    # prepare(case) -> (label, url) | None: a page of the service's own where a clerk
    # prepares the decision (a burial's booking of grave and date); the office's case
    # page links to it in its deciding section. None: nothing to prepare (any more).
    prepare: Callable | None = None


_handlers: dict[str, DecisionHandler] = {}


def decision_handler(
    service_id: str, *, reserve: Callable | None = None, preview: Callable | None = None,
    check: Callable | None = None, prepare: Callable | None = None,
):
    def register(function: Callable) -> Callable:
        # Two handlers for one service would leave it to import order which one decides.
        if service_id in _handlers:
            raise DuplicateEntry(f"decision handler {service_id!r} is registered twice")
        _handlers[service_id] = DecisionHandler(decide=function, reserve=reserve,
                                                preview=preview, check=check,
                                                prepare=prepare)
        return function

    return register


def decided_services() -> list[str]:
    """The services with a decision handler."""
    return list(_handlers)


def handler_for(service_id: str) -> DecisionHandler | None:
    return _handlers.get(service_id)


def check_approval(case) -> None:
    """DecisionRefused if the service's handler says the case cannot be approved now."""
    handler = _handlers.get(case.service_id)
    if handler is not None and handler.check is not None:
        handler.check(case)
