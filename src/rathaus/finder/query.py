"""From what a citizen typed to the index words each typed word may stand for.

Every typed word stands for itself, for the catalogue's words for it (finder.synonyms)
and for longer index words it is part of ("Straße" in "Straßenreinigung"). A word the
index does not know, not even by its stem, may be a typo ("Hundeanmeldng") or a
compound of known words ("Hundesteuermarke"): then it also stands for similar index
words and for the index words it is made of. While typing, the last word may be the
start of an index word. The database is asked only through `Vocabulary`, which gives
the same words on both (finder.text_index).
"""

from dataclasses import dataclass, field
from enum import Enum

from django.db import connection

from rathaus.authorities.tenancy import current_authority

from . import text_index
from .models import IndexWord
from .normalisation import stem, words
from .synonyms import colloquial_words, synonyms_of
from .trigrams import is_typo_of, similarity

MAX_WORDS = 8  # typed words taken from a query; the rest is noise or an attack
MIN_PART = 4  # the shortest index word taken as a part of a compound ("hund")
MAX_COMPOUND = 40  # longer typed words are not taken apart (it costs their length squared)
MAX_CONTAINERS, MAX_TYPOS, MAX_STARTS = 8, 6, 30


class Kind(Enum):
    """How an index word relates to the typed one, from the closest."""

    EXACT = "exact"  # the word itself (or, in the ranking, its stem)
    SYNONYM = "synonym"
    START = "start"  # the typed word is its start (suggestions only)
    COMPOUND = "compound"  # part of the typed word, or the typed word part of it
    TYPO = "typo"


@dataclass(frozen=True)
class Expansion:
    word: str  # an index word
    kind: Kind
    strength: float  # 0–1: how much of the typed word it covers, how similar it is
    stem: str = field(init=False, compare=False)
    # " word " and " stem ": what the ranking looks for in an entry's space-separated
    # fields, made once instead of once per candidate.
    padded_word: str = field(init=False, compare=False, repr=False)
    padded_stem: str = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "stem", stem(self.word))
        object.__setattr__(self, "padded_word", f" {self.word} ")
        object.__setattr__(self, "padded_stem", f" {self.stem} ")


@dataclass(frozen=True)
class QueryWord:
    typed: str  # as an index word
    expansions: tuple[Expansion, ...]


def typed_words(query: str) -> list[str]:
    """The query's index words, each once, at most MAX_WORDS."""
    return list(dict.fromkeys(words(query)))[:MAX_WORDS]


class Vocabulary:
    """The active authority's index words, as far as a query needs them."""

    def __init__(self):
        self.authority_id = current_authority().pk
        self.index = text_index.for_connection()

    def known_stems(self, candidates: set[str]) -> set[str]:
        return set(IndexWord.objects.filter(stem__in={stem(word) for word in candidates})
                   .values_list("stem", flat=True))

    def existing(self, candidates: set[str]) -> set[str]:
        with connection.cursor() as cursor:
            return set(self.index.words_among(cursor, self.authority_id, sorted(candidates)))

    def _ask(self, finder, texts) -> list[str]:
        with connection.cursor() as cursor:
            return finder(cursor, self.authority_id, texts)

    def containing(self, parts: list[str]) -> dict[str, list[str]]:
        """For each part, the index words that contain it; one query for all."""
        found = self._ask(self.index.words_containing, parts) if parts else []
        return {part: [word for word in found if part in word] for part in parts}

    def starting_with(self, start: str) -> list[str]:
        return self._ask(self.index.words_starting_with, start)

    def similar_to(self, typed: list[str]) -> dict[str, list[str]]:
        """For each typed word, the index words it may be a typo of; one query for all.
        The database gives candidates; which pass is decided here, for both alike."""
        found = self._ask(self.index.words_similar_to, typed) if typed else []
        return {word: [other for other in found if is_typo_of(word, other)] for word in typed}


def expand(typed: list[str], *, last_is_start: bool = False,
           vocabulary: Vocabulary | None = None) -> list[QueryWord]:
    """Each typed word with what it may stand for."""
    if not typed:
        return []
    vocabulary = vocabulary or Vocabulary()
    known = vocabulary.known_stems(set(typed))
    unknown = [word for word in typed if stem(word) not in known]
    parts = _parts_in_vocabulary(unknown, vocabulary)
    containers = vocabulary.containing([word for word in typed if len(word) >= MIN_PART])
    typos = vocabulary.similar_to(unknown)
    expanded = []
    for position, word in enumerate(typed):
        found = [Expansion(word, Kind.EXACT, 1.0)]
        found += [Expansion(other, Kind.SYNONYM, 1.0) for other in synonyms_of(word)]
        found += _containers(word, containers.get(word, []))
        if word in unknown:
            found += [Expansion(part, Kind.COMPOUND, len(part) / len(word))
                      for part in parts.get(word, ())]
            found += _typos(word, typos[word])
        if last_is_start and position == len(typed) - 1:
            found += _starts(word, vocabulary)
        expanded.append(QueryWord(word, _strongest_per_word(found)))
    return expanded


def _containers(word: str, longer_words: list[str]) -> list[Expansion]:
    found = [Expansion(longer, Kind.COMPOUND, len(word) / len(longer))
             for longer in longer_words if longer != word and stem(longer) != stem(word)]
    return _best(found, MAX_CONTAINERS)


def _parts_in_vocabulary(unknown: list[str], vocabulary: Vocabulary) -> dict[str, list[str]]:
    """For each unknown word, the index words it contains, asked in one query."""
    pieces = {word: {word[i:j] for i in range(len(word))
                     for j in range(i + MIN_PART, len(word) + 1)} - {word}
              for word in unknown if len(word) <= MAX_COMPOUND}
    existing = vocabulary.existing(set().union(*pieces.values())) if pieces else set()
    return {word: sorted(found & existing) for word, found in pieces.items()}


def _typos(word: str, similar_words: list[str]) -> list[Expansion]:
    found = [Expansion(similar, Kind.TYPO, similarity(word, similar)) for similar in similar_words]
    # A typo of a colloquial word ("Knölchen") stands for the catalogue's words for it.
    for colloquial in colloquial_words():
        if colloquial != word and is_typo_of(word, colloquial):
            found += [Expansion(other, Kind.TYPO, similarity(word, colloquial))
                      for other in synonyms_of(colloquial)]
    return _best(found, MAX_TYPOS)


def _starts(word: str, vocabulary: Vocabulary) -> list[Expansion]:
    found = [Expansion(longer, Kind.START, 0.5 + 0.5 * len(word) / len(longer))
             for longer in vocabulary.starting_with(word) if longer != word]
    return _best(found, MAX_STARTS)


def _best(found: list[Expansion], limit: int) -> list[Expansion]:
    """The strongest `limit`, ties by word: the same on every database, whatever order
    it returned them in."""
    return sorted(found, key=lambda e: (-e.strength, e.word))[:limit]


def _strongest_per_word(found: list[Expansion]) -> tuple[Expansion, ...]:
    """One expansion per index word: the closest kind, then the strongest."""
    order = list(Kind)
    best: dict[str, Expansion] = {}
    for expansion in found:
        kept = best.get(expansion.word)
        if kept is None or (order.index(expansion.kind), -expansion.strength) < (
                order.index(kept.kind), -kept.strength):
            best[expansion.word] = expansion
    return tuple(best.values())
