"""Nothing published about the dead, tested on the demo's cemeteries (cemeteries.demo):
the demo is what it promises (graves of every type, free ones, rights ending and ended,
consents given and refused); the grave search shows every demo burial that may be
shown and no other, and a search for somebody hidden answers exactly what a search for
a name nobody has answers; the open data names nobody and counts no fewer than 3."""

import csv
import io
import re
from datetime import timedelta
from urllib.parse import quote

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rathaus.authorities.tenancy import authority_context
from rathaus.cemeteries.demo import HIDDEN, VISIBLE, set_up_demo_cemeteries
from rathaus.cemeteries.models import Burial, Grave, GraveKind, RightOfUse
from rathaus.cemeteries.public import find_graves
from tests.factories import TOWN_HOST

URL = "/grabsuche/"


def _may_be_shown(burial: Burial, today) -> bool:
    """The rule of the grave search, written out once more for the test."""
    right = burial.right
    return (burial.state == Burial.State.CONFIRMED and right is not None
            and right.consent_grave_search
            and (burial.rest_ends_on < today or right.consent_during_rest))


def _page(client: Client, **query) -> tuple[int, str]:
    response = client.get(URL, query)
    return response.status_code, response.content.decode()


# --- The demo ----------------------------------------------------------------------------

def test_the_demo_has_every_case_the_office_and_the_search_need(demo_cemeteries, town):
    today = timezone.localdate()
    with authority_context(town):
        assert 1100 <= Grave.objects.count() <= 1300
        for kind in GraveKind.values:
            for number in ("FH-01", "FH-02"):
                assert Grave.objects.filter(grave_type__kind=kind, cemetery__number=number,
                                            state=Grave.State.FREE).exists(), (kind, number)
        assert Grave.objects.filter(state=Grave.State.RESERVED).exists()
        assert RightOfUse.objects.filter(
            state=RightOfUse.State.ACTIVE, ends_on__gte=today,
            ends_on__lte=today + timedelta(days=365)).count() >= 10
        ended = RightOfUse.objects.filter(state=RightOfUse.State.ENDED)
        assert ended.filter(grave__state=Grave.State.OCCUPIED).exists()  # to be cleared
        assert RightOfUse.objects.filter(extensions__isnull=False).exists()
        rights = RightOfUse.objects.count()
        agreed = RightOfUse.objects.filter(consent_grave_search=True).count()
        during = RightOfUse.objects.filter(consent_during_rest=True).count()
        assert 0 < during < agreed < rights / 2  # some agreed, some for the rest too, most not
        assert not RightOfUse.objects.filter(consent_during_rest=True,
                                             consent_grave_search=False).exists()
        oldest = Burial.objects.order_by("buried_at").first().buried_at.date()
        assert oldest < today - timedelta(days=39 * 365)
        # every burial is covered by its right of use, as the bylaw wants
        for burial in Burial.objects.select_related("right"):
            assert burial.right is None or burial.right.ends_on >= burial.rest_ends_on
        # loaded once
        assert set_up_demo_cemeteries(clerk=demo_cemeteries["clerk"]) == 0
        assert Grave.objects.count() == demo_cemeteries["graves"]


def test_the_placed_dead_are_what_the_tests_expect(demo_cemeteries, town):
    today = timezone.localdate()
    generated = set()
    with authority_context(town):
        for burial in Burial.objects.select_related("right"):
            name = (burial.first_name, burial.last_name)
            if name in VISIBLE:
                assert _may_be_shown(burial, today), name
            elif name in HIDDEN:
                assert not _may_be_shown(burial, today), name
            else:
                generated.add(burial.last_name)
        placed = {last for _first, last in VISIBLE + HIDDEN}
        assert not generated & placed
        # the reasons for hiding are all there
        hidden = [b for b in Burial.objects.select_related("right")
                  if (b.first_name, b.last_name) in HIDDEN]
        assert any(b.right is None for b in hidden)  # an anonymous field
        assert any(b.right and not b.right.consent_grave_search for b in hidden)
        assert any(b.right and b.right.consent_grave_search
                   and not b.right.consent_during_rest and b.rest_ends_on >= today
                   for b in hidden)  # agreed, but the rest period runs


# --- The grave search ----------------------------------------------------------------------

def test_every_demo_burial_is_found_exactly_when_it_may_be_shown(demo_cemeteries, town):
    today = timezone.localdate()
    with authority_context(town):
        burials = list(Burial.objects.select_related("right", "grave__asset"))
        assert len(burials) > 900
        shown = hidden = 0
        for burial in burials:
            found = find_graves(last_name=burial.last_name, first_name=burial.first_name,
                                year_of_death=burial.died_on.year)
            graves = {f.grave for f in found}
            if _may_be_shown(burial, today):
                shown += 1
                assert burial.grave.asset.number in graves, burial.pk
            else:
                hidden += 1
                # another burial of the same name and year may be shown, never this one's
                assert all(f.grave != burial.grave.asset.number or any(
                    _may_be_shown(other, today) for other in burials
                    if other.grave_id == burial.grave_id and other.pk != burial.pk
                    and (other.first_name, other.last_name, other.died_on.year)
                    == (burial.first_name, burial.last_name, burial.died_on.year))
                    for f in found), burial.pk
        assert shown > 20 and hidden > shown


def test_the_page_shows_the_visible_and_never_the_hidden(demo_cemeteries):
    client = Client(HTTP_HOST=TOWN_HOST)
    for first, last in VISIBLE:
        status, page = _page(client, nachname=last, vorname=first)
        assert status == 200 and f"{first} {last}" in page
    for first, last in HIDDEN:
        status, page = _page(client, nachname=last, vorname=first)
        assert status == 200 and f"{first} {last}" not in page
        assert "FH-0" not in page  # no grave number, no field, no cemetery of theirs


def _without(page: str, *words: str) -> str:
    """The page with what the visitor typed taken out (the form shows it again, the
    language switch keeps it in its link, encoded once or twice)."""
    for word in words:
        for form in (quote(quote(word)), quote(word), word):
            page = page.replace(form, "…")
    return re.sub(r'value="[^"]*"', 'value="…"', page)


def test_a_hidden_grave_answers_exactly_like_a_name_nobody_has(demo_cemeteries):
    client = Client(HTTP_HOST=TOWN_HOST)
    client.get(URL)  # what the first request of a client loads once
    for first, last in HIDDEN:
        nobody = last[:-1] + ("x" if last[-1] != "x" else "y")
        with CaptureQueriesContext(connection) as hidden_queries:
            hidden = client.get(URL, {"nachname": last, "vorname": first})
        with CaptureQueriesContext(connection) as nobody_queries:
            absent = client.get(URL, {"nachname": nobody, "vorname": first})
        assert hidden.status_code == absent.status_code == 200
        assert _without(hidden.content.decode(), last) == _without(absent.content.decode(),
                                                                  nobody)
        assert sorted(hidden.headers) == sorted(absent.headers)
        # the same work: the same queries, differing only in the name asked for
        assert len(hidden_queries) == len(nobody_queries)


def test_a_hidden_grave_answers_like_nobody_also_with_the_year(demo_cemeteries, town):
    client = Client(HTTP_HOST=TOWN_HOST)
    with authority_context(town):
        burial = Burial.objects.get(first_name="Helene", last_name="Rautenbach")
    year = burial.died_on.year
    hidden = client.get(URL, {"nachname": "Rautenbach", "sterbejahr": year})
    absent = client.get(URL, {"nachname": "Rautenbacx", "sterbejahr": year})
    assert _without(hidden.content.decode(), "Rautenbach") == _without(
        absent.content.decode(), "Rautenbacx")


def test_a_shared_last_name_shows_only_the_one_who_may_be_shown(demo_cemeteries):
    # Wilhelm Kortenbach may be found, Maria Kortenbach (no consent) never.
    client = Client(HTTP_HOST=TOWN_HOST)
    _status, page = _page(client, nachname="Kortenbach", vorname="Maria")
    assert "Maria Kortenbach" not in page and "Wilhelm" not in page
    _status, page = _page(client, nachname="Kortenbach", vorname="Wilhelm")
    assert "Wilhelm Kortenbach" in page and "Maria" not in page


# --- Open data -----------------------------------------------------------------------------

def test_the_open_data_names_nobody_and_counts_no_fewer_than_three(demo_cemeteries, town):
    from rathaus.cemeteries.open_data import burial_rows, free_grave_rows

    with authority_context(town):
        burials = burial_rows()
        free = free_grave_rows()
        names = set()
        for burial in Burial.objects.all():
            names |= {burial.first_name, burial.last_name}
        for right in RightOfUse.objects.all():
            names |= set(right.holder_name.split()) | set(right.successor_name.split())
        numbers = set(Grave.objects.values_list("asset__number", flat=True))
    assert burials and free
    text = _as_csv(burials) + _as_csv(free)
    words = set(re.findall(r"[\wÄÖÜäöüß]+", text))
    assert not words & names, words & names
    assert not any(number in text for number in numbers)
    assert all(row["bestattungen"] is None or row["bestattungen"] >= 3 for row in burials)
    assert any(row["bestattungen"] is None for row in burials)  # some were suppressed
    assert set(burials[0]) == {"jahr", "friedhof", "bestattungsart", "grabart",
                               "bestattungen"}


def _as_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
