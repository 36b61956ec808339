"""A few lines of a document's text around the words found, those words marked.

Made in Python from the text as stored, for the documents of the page shown only, so
both databases show the same snippet. Everything but the <mark> elements is escaped.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .search_terms import normalised, scan

# Characters of the snippet; a match is shown with some of the text before it.
WIDTH = 240
LEAD = 60
# Texts are read for snippets up to this length: a match further on is not shown, the
# snippet then starts at the beginning.
MAX_SCANNED = 50_000
MAX_PLACES = 500  # of a common word in a long text, the first are enough


def snippet(text: str, terms: set[str]) -> SafeString:
    """The part of `text` with the most of `terms` in a window of WIDTH characters
    (the beginning if none is there), each place of a term in <mark>."""
    text = normalised(text[:MAX_SCANNED])
    places = [(term.start, term.end) for term in scan(text) if term.term in terms][:MAX_PLACES]
    start = _best_start(places)
    start = max(0, start - LEAD) if places else 0
    start = _word_boundary(text, start)
    end = min(len(text), start + WIDTH)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    parts, at = [], start
    for place_start, place_end in sorted(set(places)):
        if place_start < at or place_end > end:
            continue
        parts.append(escape(_collapse(text[at:place_start])))
        parts.append(f"<mark>{escape(text[place_start:place_end])}</mark>")
        at = place_end
    parts.append(escape(_collapse(text[at:end])))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts).strip() + suffix)  # noqa: S308 (escaped above)


def _best_start(places: list[tuple[int, int]]) -> int:
    """The start of the first place whose window holds the most places."""
    best, best_count = 0, 0
    for i, (start, _end) in enumerate(places):
        count = sum(1 for other, _ in places[i:] if other < start + WIDTH - LEAD)
        if count > best_count:
            best, best_count = start, count
    return best


def _word_boundary(text: str, start: int) -> int:
    if start == 0:
        return 0
    space = text.find(" ", start)
    return space + 1 if 0 <= space < start + 20 else start


def _collapse(part: str) -> str:
    # Line breaks and runs of spaces of a letter's layout read as one space.
    inner = " ".join(part.split())
    if not inner:
        return " " if part else ""
    return (" " if part[0].isspace() else "") + inner + (" " if part[-1].isspace() else "")
