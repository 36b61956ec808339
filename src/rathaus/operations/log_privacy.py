"""Keeping personal data out of the logs, also at RATHAUS_LOG_LEVEL=DEBUG.

Some libraries' debug lines print what they work on whole: django.template logs the
entire context of a page when a variable is missing (the citizen's name, a decrypted
mailbox message). Those loggers get `QuietBelowInfo`, a filter on the logger itself,
so that no level setting lets their debug lines through
(tests/operations/test_no_personal_data_in_logs.py).
"""

import logging


class QuietBelowInfo(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.INFO
