"""One JSON object per log line (RATHAUS_LOG_FORMAT=json), for a log collector.

Only what the record says: the message as the code formatted it, never the arguments
on their own, so a log line holds no more than the plain format would.
"""

import datetime
import json
import logging

# Fields some log calls add (task_requests.py), for collectors to filter on.
EXTRA_FIELDS = ("task", "task_id", "task_status", "duration_ms")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC)
            .isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for field in EXTRA_FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)
