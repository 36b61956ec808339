"""One way from German text to index words, for the index and for the query alike.

Both databases then see the same words: casefolded, ß as ss, ä/ö/ü as ae/oe/ue (what
people type without a German keyboard), other accents dropped, anything but letters
and digits a separator, stop words out. A word's stem is Snowball's German stem, the
algorithm of PostgreSQL's `german` configuration (tests/finder check both agree on
every word of the index).
"""

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

from .stopwords import POSTGRESQL_GERMAN, REQUEST_WORDS

# Letters NFKD does not take apart into a base letter and an accent.
_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "æ": "ae", "ø": "oe",
                          "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})
_WORD = re.compile(r"[a-z0-9]+")
# A single letter names nothing; longer than this is no word a person types.
MIN_LENGTH, MAX_LENGTH = 2, 60


def fold(text: str) -> str:
    """The text in lower-case ASCII letters and digits; the rest as it comes."""
    # NFC first: a decomposed ü (u + accent, as some keyboards send it) must become ue
    # like a composed one, not u.
    text = unicodedata.normalize("NFC", text).casefold().translate(_LETTERS)
    return "".join(char for char in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(char))


STOPWORDS = frozenset(fold(word) for word in (*POSTGRESQL_GERMAN, *REQUEST_WORDS))


def words(text: str) -> list[str]:
    """The index words of `text`, in their order."""
    return [word for word in _WORD.findall(fold(text))
            if MIN_LENGTH <= len(word) <= MAX_LENGTH and word not in STOPWORDS]


_german = snowballstemmer.stemmer("german")
_stemming = threading.Lock()  # a stemmer keeps the word it works on in itself


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The German stem of an index word. Words with digits (a LeiKa key, "BF17") stay as
    they are: PostgreSQL's parser sends them to its `simple` dictionary, not the stemmer."""
    if any(char.isdigit() for char in word):
        return word
    with _stemming:
        return _german.stemWord(word)
