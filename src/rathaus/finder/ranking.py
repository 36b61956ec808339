"""Which service comes first: one Python function over the candidates, so that SQLite
and PostgreSQL, which only find the candidates, give the same order.

For each typed word, each thing it may stand for (finder.query) scores by where the
service has it: title over keywords (an earlier keyword over a later one) over summary
over description; the word itself over another form of it (its stem), a synonym, a
compound part and last a typo. A service that has every typed word beats one that has
some (the share of words found counts squared, a weakly found word partly); one whose
title or one keyword phrase says just what was typed gets a bonus. Ties go to the
shorter title, then by title.
"""

import heapq
import sys
from dataclasses import dataclass
from functools import cached_property

from .query import Expansion, Kind, QueryWord

TITLE_WEIGHT, KEYWORDS_WEIGHT, SUMMARY_WEIGHT, DESCRIPTION_WEIGHT = 1.0, 0.8, 0.4, 0.25
KIND_WEIGHTS = {Kind.EXACT: 1.0, Kind.SYNONYM: 0.8, Kind.START: 0.7, Kind.COMPOUND: 0.55,
                Kind.TYPO: 0.5}
OTHER_FORM = 0.85  # the same stem in another form: "Anmeldung" for "anmelden"
KEYWORD_DECAY, KEYWORD_DECAY_LIMIT = 0.04, 10  # per place in the keyword list
SECOND_FIELD = 0.25  # a word found in a second field as well
SECOND_MEANING = 0.3  # a second thing the typed word stands for found as well
# A title that says every typed word, by the share of its words typed; more when it
# says nothing else. A keyword phrase that is just what was typed says more: the
# catalogue lists it because people search for it.
TITLE_BONUS, WHOLE_TITLE_BONUS, PHRASE_BONUS = 0.3, 0.2, 0.5
MAX_BONUS = max(TITLE_BONUS + WHOLE_TITLE_BONUS, PHRASE_BONUS)
# A typed word whose score reaches this (the word itself among the keywords) is found
# fully; below, by its share.
FULLY_FOUND = 0.8
# Results scoring below this share of the best one are noise, not answers.
RELATIVE_CUTOFF = 0.1


class Phrase:
    """The title or one keyword phrase, taken apart for the bonuses."""

    def __init__(self, words: list[str], stems: list[str], place: float = 1.0):
        self.words, self.stems, self.place = frozenset(words), frozenset(stems), place

    def form(self, expansion: Expansion) -> float:
        """1 if it has the word, OTHER_FORM if only another form of it, else 0."""
        if expansion.word in self.words:
            return 1.0
        return OTHER_FORM if expansion.stem in self.stems else 0.0


class Candidate:
    """A search entry as the database holds it (models.ENTRY_ROW). Its fields are
    looked into as they are, space-separated words and stems, without taking them apart:
    a query has hundreds of candidates and asks each for a few words only."""

    def __init__(self, row: tuple):
        (_, self.checksum, self.service_id, self.title_text, keywords, summary, description,
         title_stems, keyword_stems, summary_stems, description_stems) = row
        # Padded, so that " word " is found at the start and end too.
        self.words = tuple(f" {text} " for text in (self.title_text, keywords, summary,
                                                     description))
        self.stems = tuple(f" {text} " for text in (title_stems, keyword_stems, summary_stems,
                                                     description_stems))
        # Which stems the entry has at all: most expansions are in no field of most
        # candidates, and one set intersection says which are. Interned: entries are
        # kept (finder.candidates) and share most of their stems.
        self.stem_set = frozenset(map(sys.intern, " ".join(self.stems).split()))

    @property
    def title_length(self) -> int:
        return len(self.title_text.split())

    def _keyword(self, expansion: Expansion) -> float:
        """By the earliest keyword phrase with the word, or another form of it."""
        stems = self.stems[1]
        found = stems.find(expansion.padded_stem)
        if found < 0:  # neither the word nor another form of it
            return 0.0
        best = OTHER_FORM * _keyword_place(stems.count("|", 0, found))
        words = self.words[1]
        found = words.find(expansion.padded_word)
        if found >= 0:
            best = max(best, _keyword_place(words.count("|", 0, found)))
        return best

    def best_two_fields(self, expansion: Expansion) -> tuple[float, float]:
        """The expansion's weight in the field that has it best, and in the next."""
        word, stem = expansion.padded_word, expansion.padded_stem
        words, stems = self.words, self.stems
        # Written out: this runs for every expansion of every candidate.
        first = (TITLE_WEIGHT if word in words[0] else
                 TITLE_WEIGHT * OTHER_FORM if stem in stems[0] else 0.0)
        second = (SUMMARY_WEIGHT if word in words[2] else
                  SUMMARY_WEIGHT * OTHER_FORM if stem in stems[2] else 0.0)
        if second > first:
            first, second = second, first
        for weight in (KEYWORDS_WEIGHT * self._keyword(expansion),
                       DESCRIPTION_WEIGHT if word in words[3] else
                       DESCRIPTION_WEIGHT * OTHER_FORM if stem in stems[3] else 0.0):
            if weight > first:
                first, second = weight, first
            elif weight > second:
                second = weight
        return first, second

    @cached_property
    def title(self) -> Phrase:
        return Phrase(self.title_text.split(), self.stems[0].split())

    @cached_property
    def phrases(self) -> list[Phrase]:
        """The keyword phrases, each with its place."""
        return [Phrase(words.split(), stems.split(), _keyword_place(position))
                for position, (words, stems) in enumerate(zip(
                    self.words[1].split("|"), self.stems[1].split("|"), strict=True))
                if words.strip()]


@dataclass(frozen=True)
class Ranked:
    service_id: int
    score: float
    title: str


def rank(query: list[QueryWord], candidates: list[Candidate], *,
         limit: int | None = None) -> list[Ranked]:
    """The candidates that match, best first; the first `limit` of them if given."""
    if not query:
        return []
    meanings = [_Meanings(word) for word in query]
    named = _named_stems(query)  # every stem a typed word stands for
    scored = []
    for candidate in candidates:
        base, bonus_bound = _base_score(meanings, candidate)
        if base > 0:
            scored.append((base, bonus_bound, candidate))
    # The bonuses cost the most; a candidate whose base score plus its largest possible
    # bonus cannot reach the `limit` best so far is left without, as it cannot get in.
    scored.sort(key=lambda item: -item[0])
    ranked, top = [], []
    for base, bonus_bound, candidate in scored:
        if limit and len(top) == limit and base + bonus_bound < top[0]:
            if base + MAX_BONUS < top[0]:
                break  # sorted by base: no later one can get in either
            continue
        score = base + (max(_title_bonus(meanings, named, candidate),
                            _phrase_bonus(meanings, named, candidate)) if bonus_bound else 0.0)
        ranked.append((score, candidate))
        if limit:
            (heapq.heappush if len(top) < limit else heapq.heappushpop)(top, score)
    ranked.sort(key=lambda item: (-item[0], item[1].title_length, item[1].title_text,
                                  item[1].service_id))
    best = ranked[0][0] if ranked else 0.0
    return [Ranked(candidate.service_id, score, candidate.title_text)
            for score, candidate in ranked[:limit] if score >= RELATIVE_CUTOFF * best]


class _Meanings:
    """A typed word's expansions, each with its weight (KIND_WEIGHTS × strength), also by
    stem: a candidate is asked only for the stems it has."""

    def __init__(self, word: QueryWord):
        self.all = [(expansion, _meaning(expansion)) for expansion in word.expansions]
        self.by_stem: dict[str, list[tuple[Expansion, float]]] = {}
        for expansion, meaning in self.all:
            self.by_stem.setdefault(expansion.stem, []).append((expansion, meaning))
        self.stems = frozenset(self.by_stem)


def _keyword_place(position: int) -> float:
    return 1.0 - KEYWORD_DECAY * min(position, KEYWORD_DECAY_LIMIT)


def _meaning(expansion: Expansion) -> float:
    return KIND_WEIGHTS[expansion.kind] * expansion.strength


def _base_score(meanings: list[_Meanings], candidate: Candidate) -> tuple[float, float]:
    """The score before the bonuses, and the largest bonus the candidate could get (0
    when a typed word is not found at all)."""
    found = [_word_score(word_meanings, candidate) for word_meanings in meanings]
    word_scores = [score for score, _ in found]
    # A word found only weakly (a typo in the summary, a word of the description) counts
    # as partly found: filler words of a sentence must not outweigh the one that matters.
    coverage = sum(min(1.0, score / FULLY_FOUND) for score in word_scores) / len(meanings)
    base = sum(word_scores) / len(meanings) * coverage ** 2
    # A bonus is at most MAX_BONUS times the weakest word's closeness, which is at most
    # the meaning of its closest expansion found here.
    return base, MAX_BONUS * min(closest for _, closest in found)


def _word_score(meanings: _Meanings, candidate: Candidate) -> tuple[float, float]:
    """The typed word's best expansion in the candidate with a share of the second, and
    the largest weight of those found. Only the maximum and the second are taken, so the
    order in which the stems come does not change the result."""
    best = second = closest = 0.0
    for stem in meanings.stems & candidate.stem_set:
        for expansion, meaning in meanings.by_stem[stem]:
            first_field, second_field = candidate.best_two_fields(expansion)
            if first_field:
                closest = max(closest, meaning)
                score = meaning * (first_field + SECOND_FIELD * second_field)
                if score > best:
                    best, second = score, best
                elif score > second:
                    second = score
    return best + SECOND_MEANING * second, closest


def _closeness(meanings: _Meanings, phrase: Phrase) -> float:
    """How well the phrase has the typed word: its closest expansion there."""
    return max((meaning * phrase.form(expansion) for expansion, meaning in meanings.all),
               default=0.0)


def _title_bonus(meanings: list[_Meanings], named: set[str],
                 candidate: Candidate) -> float:
    """The title says every typed word: by the share of its words that were typed."""
    title = candidate.title
    weakest = min(_closeness(word_meanings, title) for word_meanings in meanings)
    if not weakest or not title.words:
        return 0.0
    share = len(title.stems & named) / len(title.stems)
    return weakest * (TITLE_BONUS * share + (WHOLE_TITLE_BONUS if share == 1 else 0.0))


def _phrase_bonus(meanings: list[_Meanings], named: set[str],
                  candidate: Candidate) -> float:
    """A keyword phrase that is just what was typed ("Perso abgelaufen")."""
    best = 0.0
    for phrase in candidate.phrases:
        if phrase.stems <= named:
            weakest = min(_closeness(word_meanings, phrase) for word_meanings in meanings)
            best = max(best, PHRASE_BONUS * weakest * phrase.place)
    return best


def _named_stems(query: list[QueryWord]) -> set[str]:
    return {e.stem for word in query for e in word.expansions}
