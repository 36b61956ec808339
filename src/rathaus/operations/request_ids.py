"""The request id: one token per request, in every log line written while it is served
and in the log lines of the tasks it enqueued (task_requests.py).

nginx sets `X-Request-ID` from its `$request_id`, so its access log and ours share the
id; without a proxy, or with a header that is not a plain token, a new one is made.
"""

import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
_SANE = re.compile(r"[A-Za-z0-9._-]{1,64}")

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "rathaus_request_id", default=None)


def current_request_id() -> str | None:
    return _current.get()


def set_request_id(request_id: str | None) -> contextvars.Token:
    return _current.set(request_id)


def reset_request_id(token: contextvars.Token) -> None:
    _current.reset(token)


def incoming_or_new(header_value: str | None) -> str:
    """The proxy's id when it is a plain token (it ends up in log lines, so nothing
    else is taken from outside), else a new one."""
    if header_value and _SANE.fullmatch(header_value):
        return header_value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Early in MIDDLEWARE, so that every later log line of the request carries the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = incoming_or_new(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = request_id
        # Kept until the request is finished (forget_request_id), not only until this
        # returns: Django logs an error answer ("Service Unavailable: …") after the
        # middleware, and that line should carry the id too.
        _current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def forget_request_id(**kwargs) -> None:
    """On request_started and request_finished: no id outlives its request."""
    _current.set(None)


class RequestIdFilter(logging.Filter):
    """Gives every record the current request id (None outside requests and tasks)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _current.get()
        return True
