"""One way from German text to index words, for the finder's index and its query alike.

The folding and the stems are rathaus.german_text's, which the eAkte's search shares;
the finder drops, besides PostgreSQL's stop words, the words of a request ("bitte").
"""

from rathaus.german_text import fold, stem
from rathaus.german_text import words as _words

from .stopwords import POSTGRESQL_GERMAN, REQUEST_WORDS

STOPWORDS = frozenset(fold(word) for word in (*POSTGRESQL_GERMAN, *REQUEST_WORDS))


def words(text: str) -> list[str]:
    """The index words of `text`, in their order."""
    return _words(text, stopwords=STOPWORDS)


__all__ = ["STOPWORDS", "fold", "stem", "words"]
