"""The database's own text indexes: the module for the connection's database.

Each module (sqlite_index, postgresql_index) offers the same functions: `install`,
`uninstall`, the writing ones (`store_entry`, `forget_entries`, `store_words`,
`forget_words`) and the finding ones (`entries_with_stems`, `words_among`,
`words_containing`, `words_starting_with`, `words_similar_to`). They only find
candidates; what comes first is decided in Python (finder.ranking), the same for both.
"""

from types import ModuleType

from django.core.exceptions import ImproperlyConfigured
from django.db import connection as default_connection

from . import postgresql_index, sqlite_index

BY_VENDOR: dict[str, ModuleType] = {"sqlite": sqlite_index, "postgresql": postgresql_index}


def for_connection(connection=default_connection) -> ModuleType:
    """Rathaus runs on SQLite or PostgreSQL (docs/decisions/0030); another database is a
    configuration error, not a missing feature."""
    try:
        return BY_VENDOR[connection.vendor]
    except KeyError:
        raise ImproperlyConfigured(
            f"Rathaus runs on SQLite or PostgreSQL, not on {connection.vendor}") from None
