"""The entries a query found, taken apart for the ranking, kept per process.

The database's text index answers with ids and checksums only; the entries' texts are
read once and kept taken apart (finder.ranking.Candidate), until an entry's checksum
says it changed. Common words find hundreds of entries, and reading and taking apart
their texts for every query was most of a query's time. What is kept is bounded by the
catalogues' size: about 5 kB an entry of the demo, so a town's 500 services take 2–3 MB;
a process that would keep more than MAX_KEPT starts again.
"""

from .models import ENTRY_ROW, SearchEntry
from .ranking import Candidate

MAX_KEPT = 5_000  # entries, of every authority the process serves: at most ~25 MB

_kept: dict[int, Candidate] = {}


def candidates(found: list[tuple[int, str]]) -> list[Candidate]:
    """The Candidate of each (id, checksum), read from the database where not kept."""
    missing = [entry_id for entry_id, checksum in found
               if (kept := _kept.get(entry_id)) is None or kept.checksum != checksum]
    if missing:
        if len(_kept) + len(missing) > MAX_KEPT:
            _kept.clear()
        for start in range(0, len(missing), 500):  # within every database's parameter limit
            # Any authority's manager: the ids come from the active authority's index.
            rows = SearchEntry.all_authorities.filter(
                id__in=missing[start:start + 500]).values_list(*ENTRY_ROW)
            _kept.update((row[0], Candidate(row)) for row in rows)
    return [_kept[entry_id] for entry_id, _ in found if entry_id in _kept]


def forget() -> None:
    """For tests that compare a fresh process with a warm one."""
    _kept.clear()
