"""No page's query count grows with the data (issue 22).

Every GET URL of the project that the authorization matrix
(tests/security/authorization_matrix.py) says some visitor may open is asked by that
visitor twice: once on the matrix's world as built, once after the world has grown by
several more of everything the pages list (cases, drafts, messages, dogs, audit
entries, tasks, trees, graves, meetings, papers, time entries, …), for the same
authority, department and people, and some for another authority. The number of
queries must stay the same, or within a tolerance stated here with its reason.

A page whose count grows is an N+1 query: the failure names the URL, the visitor, both
counts and the queries that were added (normalized SQL, numbers and strings as ?).
"""

import importlib
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rathaus.authorities import selectors as host_cache
from tests.factories import TOWN_HOST, VISITORS, _staff
from tests.operations import growth
from tests.security import authorization_matrix as matrix

# Which visitor asks for a page: the first one in this order whom the matrix lets in.
# Citizen A and the Steueramt own most of the world's things, so they see the most.
ASKERS = ("owner", "decider", "team_lead", "administrator", "other_task", "no_task",
          "anonymous", "other_citizen", "foreign_here", "foreign")

# Answers of a page that is shown (or a redirect that is part of using it).
SHOWN = {"200", "302", "303"}

# Pages the matrix's visitors do not see (its table has 404 or 403 for all of them), asked
# here by someone who does: the records manager of the `people` fixture (the Registratur),
# and the world's tree by its number.
EXTRA_ASKERS = {
    "office:archive": ("records_manager", {}),
    "office:archive_deletions": ("records_manager", {}),
    "office:integrity_runs": ("records_manager", {}),
    "office:plan_entry_new": ("records_manager", {}),
    "office:plan_entry_edit": ("records_manager", {}),
    "trees:detail": ("anonymous", {"number": "B-1"}),
}

# Paginated pages, (module, page size constant, page parameter): after growing, with two
# rows a page, the first and the second page cost what the whole list on one page did.
PAGED = {
    "mailbox:inbox": ("rathaus.mailbox.selectors", "PAGE_SIZE", "seite"),
    "office:plan_entry": ("rathaus.records.browsing", "FILES_PER_PAGE", "seite"),
    "trees:list": ("rathaus.portal.tree_views", "PAGE_SIZE", "seite"),
    "cadastre:assets": ("rathaus.fieldapp.office_views", "PAGE_SIZE", "page"),
    "cadastre:due": ("rathaus.fieldapp.office_views", "PAGE_SIZE", "page"),
    "dcat:catalog": ("rathaus.opendata.dcat.views", "PAGE_SIZE", "page"),
}

# Pages whose count may grow by a constant, and why (not with the data: it is the same
# number of queries at any larger size).
TOLERANCE: dict[str, tuple[int, str]] = {}

# GET pages nobody of the matrix may open, or that are not pages to count, with why.
NOT_COUNTED: dict[str, str] = {}

# Pages whose queries still grow with their rows, and why they are not fixed yet. The
# test fails when one of them stops growing, so that the list stays true.
KNOWN_GROWTH: dict[str, str] = {}


def asker(key: str) -> str | None:
    """The visitor who asks for the page `key`, or None when no visitor is let in."""
    answers = matrix.expected(key, "GET")
    if not answers:
        return None
    shown = {who for who, answer in zip(VISITORS, answers, strict=True) if answer in SHOWN}
    return next((who for who in ASKERS if who in shown), None)


_NUMBER = re.compile(r"\b\d+(\.\d+)?\b")
_STRING = re.compile(r"'(?:[^']|'')*'")
_LIST = re.compile(r"\((\s*\?\s*,)+\s*\?\s*\)")


def normalized(sql: str) -> str:
    """The query with its values left out, so that the same query for another row
    reads the same."""
    sql = _STRING.sub("?", sql)
    sql = _NUMBER.sub("?", sql)
    sql = re.sub(r"%s", "?", sql)
    return _LIST.sub("(…)", sql)


def queries_of(world, who: str, key: str, path: str, *, page: dict | None = None
               ) -> tuple[int, list[str]]:
    """The queries of one request of the page, after one request to warm the caches
    (the session, content types, the authority of the host)."""
    query = {**matrix.get_query(key, world), **(page or {})}
    world.ask(who, "GET", path, query=query)
    with CaptureQueriesContext(connection) as captured:
        response = world.ask(who, "GET", path, query=query)
        _consume(response)
    # The savepoint of World.ask is no query of the page.
    sql = [q["sql"] for q in captured.captured_queries
           if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT",
                                              "ROLLBACK TO SAVEPOINT"))]
    return response.status_code, sql


def _consume(response) -> None:
    """A streamed answer (CSV, ZIP, JSON lines) queries while it is read."""
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)


def added_queries(small: list[str], large: list[str]) -> list[str]:
    extra = Counter(map(normalized, large)) - Counter(map(normalized, small))
    return [f"{count}× {sql}" for sql, count in extra.most_common()]


def paging_costs(world, pages: dict, grown: dict, monkeypatch) -> list[str]:
    """Where the first or second page of two rows costs other than the whole list."""
    wrong = []
    for key, (module, constant, parameter) in PAGED.items():
        who, path = pages[key]
        with monkeypatch.context() as patched:
            patched.setattr(importlib.import_module(module), constant, 2)
            first = queries_of(world, who, key, path)
            second = queries_of(world, who, key, path, page={parameter: "2"})
        whole = grown[key]
        if not len(first[1]) == len(second[1]) == len(whole[1]) or second[0] != 200:
            wrong.append(
                f"{key} {path} as {who}, two rows a page: {len(whole[1])} queries for the "
                f"whole list, {len(first[1])} for page 1, {len(second[1])} for page 2 "
                f"({second[0]})\n    "
                + "\n    ".join(added_queries(whole[1], second[1])[:15]))
    return wrong


@pytest.mark.django_db
def test_no_page_queries_more_as_the_data_grows(world, people, district, settings,
                                                monkeypatch):
    # The host names are cached for 30 seconds: on a busy machine that can run out
    # between the warm-up and the counted request, which then looks the host up again.
    monkeypatch.setattr(host_cache, "_HOST_CACHE_SECONDS", 10**9)
    world.clients["records_manager"] = _staff(people.records_manager, TOWN_HOST)
    for key, (_who, overrides) in EXTRA_ASKERS.items():
        world.overrides[key] = {**world.overrides.get(key, {}), **overrides}
    pages = {}
    for key, path in world.paths().items():
        who = EXTRA_ASKERS[key][0] if key in EXTRA_ASKERS else asker(key)
        if who and key not in NOT_COUNTED:
            pages[key] = (who, path)
    small = {key: queries_of(world, who, key, path) for key, (who, path) in pages.items()}
    not_shown = {key: status for key, (status, _sql) in small.items()
                 if key in EXTRA_ASKERS and status != 200}
    assert not not_shown, f"The extra askers do not see these pages: {not_shown}"
    growth.grow(world, people, district, settings)
    grown, fixed, report, large = [], [], [], {}
    for key, (who, path) in pages.items():
        status, sql = large[key] = queries_of(world, who, key, path)
        before_status, before = small[key]
        allowed, _why = TOLERANCE.get(key, (0, ""))
        report.append(f"{len(before):5} {len(sql):5}  {key} as {who}")
        grows = len(sql) > len(before) + allowed or status != before_status
        if key in KNOWN_GROWTH:
            if not grows:
                fixed.append(key)
        elif grows:
            grown.append(
                f"{key} {path} as {who}: {len(before)} queries ({before_status}) → "
                f"{len(sql)} ({status}) after growing\n    "
                + "\n    ".join(added_queries(before, sql)[:15]))
    print(f"{len(pages)} pages counted (queries as built, after growing):")
    print("\n".join(report))
    assert not grown, (f"{len(grown)} of {len(pages)} pages query more as the data "
                       "grows:\n" + "\n".join(grown))
    assert not fixed, f"These pages no longer grow: remove them from KNOWN_GROWTH: {fixed}"
    paged = paging_costs(world, pages, large, monkeypatch)
    assert not paged, "Paging costs more than the whole list:\n" + "\n".join(paged)
