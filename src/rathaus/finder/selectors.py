"""The service finder (Leistungsfinder): the active authority's published services for
what a citizen typed, best first. Public catalogue data only, so nobody's permission is
asked, as in catalog.selectors."""

from django.db import connection

from rathaus.authorities.tenancy import current_authority
from rathaus.catalog.models import Service

from . import text_index
from .candidates import candidates
from .query import expand, typed_words
from .ranking import Ranked, rank

MAX_QUERY_LENGTH = 200  # the search field's maxlength; longer input is cut, not refused


def find_services(query: str, *, limit: int = 20) -> list[Service]:
    """The services that match `query`, best first; [] when nothing does (also for a
    query of stop words or signs only)."""
    return _services(ranked_services(query, limit=limit))


def suggestions(query: str, *, limit: int = 6) -> list[Service]:
    """Services for a query still being typed: the last word may be the start of a word
    ("Hundean"), unless a space after it says it is complete."""
    return _services(ranked_services(query, limit=limit,
                                     last_word_unfinished=not query[-1:].isspace()))


def ranked_services(query: str, *, limit: int | None = None,
                    last_word_unfinished: bool = False) -> list[Ranked]:
    """The matching services with their scores, best first: the first `limit`, or every
    one (the tests compare the whole order)."""
    typed = typed_words(query[:MAX_QUERY_LENGTH])
    expanded = expand(typed, last_is_start=last_word_unfinished)
    stems = sorted({e.stem for word in expanded for e in word.expansions})
    if not stems:
        return []
    with connection.cursor() as cursor:
        found = text_index.for_connection().entries_with_stems(
            cursor, current_authority().pk, stems)
    return rank(expanded, candidates(found), limit=limit)


def _services(ranked: list[Ranked]) -> list[Service]:
    ids = [result.service_id for result in ranked]
    found = Service.objects.filter(id__in=ids, is_published=True).in_bulk()
    return [found[service_id] for service_id in ids if service_id in found]
