"""The Grabsuche: what the public may learn of a grave when it searches by name.

A burial is shown only when it is confirmed and the holder of the grave's right of use
at the time of the burial (`Burial.right`) agreed that it may be found
(`consent_grave_search`), and its rest period is over or the holder agreed for the rest
period too (`consent_during_rest`). A burial without a right (an anonymous field) has
nobody to agree and is never shown. Everything else is filtered out by the database
query itself, so a search for somebody hidden does the same work, and answers the same
page, as a search for a name nobody has: nothing reveals that a person lies there.

Against enumeration the search needs the full last name (compared exactly, whatever
its case, with ä/ae, ö/oe, ü/ue and ß/ss treated as the same, accents ignored) and
at least one of the full first name or the year of death; no wildcards, no prefixes.
It shows at most `MAX_RESULTS`, and its view is rate limited ("lookup")."""

import itertools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from rathaus.accounts.permissions import unguarded

from .models import Burial

MAX_RESULTS = 20
# Umlaut variants spelt out (the one form German names are compared in).
_SPELT_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_UMLAUT_OF = {"ae": "ä", "oe": "ö", "ue": "ü", "ss": "ß"}
# More spellings than this (a name full of ae/oe/ue/ss) are not all asked for.
_MAX_SPELLINGS = 64


@dataclass(frozen=True)
class FoundGrave:
    first_name: str
    last_name: str
    year_of_death: int
    cemetery: str
    field: str
    grave: str
    lon: float  # the field's place, for a map link
    lat: float


@unguarded("text only: the one form names are compared in")
def normalised(name: str) -> str:
    """`name` in the one form names are compared in: lower case, umlauts and ß spelt
    out, other accents dropped, spaces collapsed."""
    text = unicodedata.normalize("NFC", name).strip().lower().translate(_SPELT_OUT)
    text = "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text)


def _spellings(name: str) -> list[str]:
    """The ways `name` (normalised) may be written with umlauts and ß, each in lower
    case and with a capital first letter (SQLite compares only ASCII letters without
    regard to case); the database is asked for these, the match is then checked on
    the normalised name."""
    parts = re.split(r"(ae|oe|ue|ss)", name)
    choices = [(part, _UMLAUT_OF[part]) if part in _UMLAUT_OF else (part,) for part in parts]
    spellings = ["".join(chosen) for chosen in
                 itertools.islice(itertools.product(*choices), _MAX_SPELLINGS)]
    return sorted({s for spelling in spellings for s in (spelling, spelling[:1].upper()
                                                         + spelling[1:])})


def _first_name_matches(first_name: str, wanted: str) -> bool:
    """The whole first name, or one of several ("Anna Maria", "Hans-Peter")."""
    given = normalised(first_name)
    return wanted == given or wanted in re.split(r"[ -]", given)


@unguarded("the public grave search; shows only burials whose holder agreed")
def find_graves(*, last_name: str, first_name: str = "", year_of_death: int | None = None,
                today: date | None = None) -> list[FoundGrave]:
    """The burials of the active authority that may be shown for this name (module
    docstring), by name and year of death; [] when there are none, or when the
    question is too vague (no last name, or neither first name nor year)."""
    wanted_last, wanted_first = normalised(last_name), normalised(first_name)
    if not wanted_last or not (wanted_first or year_of_death):
        return []
    today = today or timezone.localdate()
    spelt = Q()
    for spelling in _spellings(wanted_last):
        spelt |= Q(last_name__iexact=spelling)
    burials = (Burial.objects.filter(spelt, state=Burial.State.CONFIRMED,
                                     right__consent_grave_search=True)
               .filter(Q(rest_ends_on__lt=today) | Q(right__consent_during_rest=True))
               .select_related("grave__field", "grave__cemetery", "grave__asset")
               .order_by("last_name", "first_name", "died_on", "pk"))
    if year_of_death:
        burials = burials.filter(died_on__year=year_of_death)
    found = []
    for burial in burials[:MAX_RESULTS * 5]:
        if normalised(burial.last_name) != wanted_last:
            continue
        if wanted_first and not _first_name_matches(burial.first_name, wanted_first):
            continue
        grave = burial.grave
        found.append(FoundGrave(
            first_name=burial.first_name, last_name=burial.last_name,
            year_of_death=burial.died_on.year, cemetery=grave.cemetery.name,
            field=grave.field.name or grave.field.number, grave=grave.asset.number,
            lon=grave.field.lon, lat=grave.field.lat))
    return found[:MAX_RESULTS]
