"""The terms the eAkte's search indexes and asks for, found in a text with their places.

Three kinds, the same for a document's text, its metadata and what staff type:
- a date, written 14.03.2026 or 2026-03-14: the term `d20260314`, so both spellings
  find each other;
- a reference such as an Aktenzeichen (32.41.01-2026-000123): the term `az` plus its
  letters and digits (`az3241012026000123`), so it is found as a whole, however its
  separators are typed; the index also holds its parts as words;
- a word: rathaus.german_text's folding and German stem ("Hunde" → "hund", "Straße" →
  "strass"), stop words out.
Terms are ASCII letters and digits only, which both databases' indexes keep as they are.
"""

import datetime
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from rathaus.german_text import MAX_LENGTH, MIN_LENGTH, STOPWORDS, WORD, fold, stem

_DAY_FIRST = r"(?P<d_day>\d{1,2})\.(?P<d_month>\d{1,2})\.(?P<d_year>\d{4})"
_YEAR_FIRST = r"(?P<i_year>\d{4})-(?P<i_month>\d{1,2})-(?P<i_day>\d{1,2})"
# Letters and digits joined by dots, hyphens or slashes (a reference if a digit is among them).
_REFERENCE = r"[^\W_]+(?:[./-][^\W_]+)+"
_CHUNK = re.compile(
    rf"(?<![\w.])(?:{_DAY_FIRST}|{_YEAR_FIRST})(?![\w]|\.\w)"
    rf"|(?P<reference>{_REFERENCE})"
    r"|(?P<word>[^\W_]+)"
)
MAX_QUERY_TERMS = 8  # typed terms taken from a query; the rest is noise or an attack
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class Term:
    """A term and where its text stands in the scanned (NFC) text."""

    start: int
    end: int
    term: str


def date_term(day: datetime.date) -> str:
    return f"d{day:%Y%m%d}"


def reference_term(reference: str) -> str:
    return "az" + "".join(WORD.findall(fold(reference)))


def _date(match: re.Match) -> datetime.date | None:
    prefix = "d_" if match.group("d_year") else "i_"
    try:
        return datetime.date(int(match.group(prefix + "year")),
                             int(match.group(prefix + "month")), int(match.group(prefix + "day")))
    except ValueError:
        return None


@lru_cache(maxsize=200_000)  # a town's letters use the same words again and again
def _word_terms(chunk: str) -> tuple[str, ...]:
    return tuple(stem(word) for word in WORD.findall(fold(chunk))
            if MIN_LENGTH <= len(word) <= MAX_LENGTH and word not in STOPWORDS)


def scan(text: str, *, with_parts: bool = True) -> Iterator[Term]:
    """The terms of `text`, with their places in it (call with `normalised` text).
    `with_parts`: a reference's or date's words as well (for the index); a query asks
    for the reference or date as a whole."""
    for match in _CHUNK.finditer(text):
        start, end, chunk = match.start(), match.end(), match.group()
        whole = None
        if match.group("reference") is not None:
            if any(char.isdigit() for char in chunk):  # else words joined by hyphens
                whole = reference_term(chunk)
        elif match.group("word") is None:
            day = _date(match)
            whole = date_term(day) if day else None
        if whole:
            yield Term(start, end, whole)
        if whole is None or with_parts:
            for term in _word_terms(chunk):
                yield Term(start, end, term)


def normalised(text: str) -> str:
    # NFC: a decomposed ü would otherwise end a word at its accent.
    return unicodedata.normalize("NFC", text)


def index_terms(text: str) -> list[str]:
    """Every term of `text`, each once, in the order of their first place."""
    return list(dict.fromkeys(term.term for term in scan(normalised(text))))


def query_terms(query: str) -> list[str]:
    """The terms staff asked for, each once, at most MAX_QUERY_TERMS of the first
    MAX_QUERY_LENGTH characters. A date or reference counts as one term."""
    typed = normalised(query[:MAX_QUERY_LENGTH])
    return list(dict.fromkeys(term.term for term in scan(typed, with_parts=False)))[
        :MAX_QUERY_TERMS]
