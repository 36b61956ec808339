"""pg_trgm's similarity, computed in Python, for the ranking on both databases.

pg_trgm pads a word with two spaces in front and one behind and takes the set of its
three-letter pieces; the similarity of two words is the share of pieces they have in
common (shared / all distinct). Index words are lower-case ASCII letters and digits,
for which this is exactly what PostgreSQL computes.
"""

from fractions import Fraction
from functools import lru_cache

# The least similarity at which a word counts as a typo of another. Above pg_trgm's
# default threshold (0.3) on purpose: PostgreSQL's `%` then finds every word that
# passes here, whatever its float rounding does at the border. A fraction, so that the
# border is decided exactly, in integers, the same way on both databases.
TYPO_SIMILARITY = Fraction(7, 20)


@lru_cache(maxsize=100_000)
def trigrams(word: str) -> frozenset[str]:
    padded = f"  {word} "
    return frozenset(padded[i:i + 3] for i in range(len(padded) - 2))


def similarity(first: str, second: str) -> float:
    a, b = trigrams(first), trigrams(second)
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared) if shared else 0.0


def is_typo_of(typed: str, word: str, threshold: Fraction = TYPO_SIMILARITY) -> bool:
    a, b = trigrams(typed), trigrams(word)
    shared = len(a & b)
    return shared * threshold.denominator >= threshold.numerator * (len(a) + len(b) - shared)


def _ceil(fraction: Fraction) -> int:
    return -(-fraction.numerator // fraction.denominator)


def trigram_count_range(word: str, threshold: Fraction = TYPO_SIMILARITY) -> tuple[int, int]:
    """How many distinct pieces a word may have at all to reach `threshold` with `word`:
    the similarity is at most the smaller count over the larger."""
    count = len(trigrams(word))
    return _ceil(threshold * count), int(count / threshold)


def pieces_one_of_which_is_shared(word: str, threshold: Fraction = TYPO_SIMILARITY) -> list[str]:
    """Pieces of `word` of which every word reaching `threshold` has at least one.

    With n pieces, a similar word shares c of them, and c / (n + m - c) >= t with its
    own m >= c pieces gives c >= t * n. So it misses at most n - ⌈t n⌉ pieces, and any
    n - ⌈t n⌉ + 1 of them include one it has. The padded pieces at the start and end
    ("  h", "en ") are the ones most words have, so they are left out first: fewer
    candidates to check."""
    pieces = sorted(trigrams(word), key=lambda piece: (" " in piece, piece))
    needed = len(pieces) - _ceil(threshold * len(pieces)) + 1
    return pieces[:needed]
