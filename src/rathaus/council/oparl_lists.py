"""OParl's lists: the filters `created_since`, `created_until`, `modified_since` and
`modified_until`, and paging.

Pages are cut by key (`after` the last id of the page before, in id order), not by
offset, so that the thousandth page of the papers costs what the first costs, and a
client walking the list while objects are added misses none and sees none twice."""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

DEFAULT_LIMIT = 100
# A meeting brings its agenda (some ten items each) and files: a page of 25 meetings
# costs what a page of 100 papers does. A client may still ask for more (`limit`).
DEFAULT_LIMITS = {"meeting": 25}
MAX_LIMIT = 500
FILTERS = {"created_since": "created_at__gte", "created_until": "created_at__lte",
           "modified_since": "modified_at__gte", "modified_until": "modified_at__lte"}


class BadListRequest(ValueError):
    """A list parameter that cannot be read; the message is shown to the client."""


@dataclass(frozen=True)
class Page:
    rows: list
    limit: int
    next_url: str | None
    first_url: str


def parse_moment(name: str, value: str) -> datetime:
    """An ISO 8601 date or date and time; without an offset it is local time. A "+"
    of an offset that came unencoded in the query string arrives as a space."""
    text = value.strip().replace(" ", "+")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadListRequest(_(
            "%(name)s must be a date and time in ISO 8601, for example "
            "2026-01-31T12:00:00+01:00.") % {"name": name}) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _positive(name: str, value: str | None, default: int | None) -> int | None:
    if value is None or value == "":
        return default
    if not value.isdigit():
        raise BadListRequest(_("%(name)s must be a whole number.") % {"name": name})
    return int(value)


def page(rows: QuerySet, *, query, url: str, default_limit: int = DEFAULT_LIMIT) -> Page:
    """One page of `rows` as the query asks: filtered, after the id given, `limit`
    long (capped), with the URL of the next page if there is one."""
    conditions = {FILTERS[name]: parse_moment(name, query[name])
                  for name in FILTERS if query.get(name)}
    limit = min(max(_positive("limit", query.get("limit"), default_limit), 1), MAX_LIMIT)
    after = _positive("after", query.get("after"), None)
    # No totalElements (optional in OParl): counting would cost a pass over the list.
    filtered = rows.filter(**conditions)
    cut = filtered.filter(pk__gt=after) if after is not None else filtered
    found = list(cut.order_by("pk")[:limit + 1])
    kept = {name: query[name] for name in FILTERS if query.get(name)}
    if query.get("limit"):
        kept["limit"] = limit
    more = len(found) > limit
    found = found[:limit]
    next_url = f"{url}?{urlencode({**kept, 'after': found[-1].pk})}" if more else None
    first_url = f"{url}?{urlencode(kept)}" if kept else url
    return Page(rows=found, limit=limit, next_url=next_url, first_url=first_url)
