"""Every log record of every logger, as the JSON lines production writes."""

import logging
from contextlib import contextmanager

from rathaus.operations.log_format import JsonFormatter
from rathaus.operations.request_ids import RequestIdFilter


class JsonLines(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.addFilter(RequestIdFilter())
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


@contextmanager
def every_log_line():
    """Lowers every logger to DEBUG (those the settings raise, such as django.request,
    too) and collects what they write, also from loggers that do not propagate."""
    handler = JsonLines()
    loggers = [logging.getLogger()] + [
        logger for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)]
    before = [(logger, logger.level, logger.disabled) for logger in loggers]
    detached = [logger for logger in loggers[1:] if not logger.propagate]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
    logging.getLogger().addHandler(handler)
    for logger in detached:
        logger.addHandler(handler)
    # Loggers made meanwhile are children of the root at NOTSET: DEBUG reaches them.
    previous_disable = logging.root.manager.disable
    logging.disable(logging.NOTSET)
    try:
        yield handler.lines
    finally:
        logging.disable(previous_disable)
        logging.getLogger().removeHandler(handler)
        for logger in detached:
            logger.removeHandler(handler)
        for logger, level, disabled in before:
            logger.setLevel(level)
            logger.disabled = disabled
