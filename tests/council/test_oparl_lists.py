"""OParl's lists: paging by key with `next` links, the created/modified filters (a bad
value is a 400 with a German message), a page costing the same queries whatever its
length, and the JSON through the short middleware stack of the machine interfaces."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rathaus.api_handler import is_api_request
from rathaus.authorities.tenancy import authority_context
from rathaus.council.models import (
    AgendaItem,
    Consultation,
    Council,
    CouncilFile,
    Meeting,
    Membership,
    Organization,
    Paper,
    Person,
)
from tests.factories import through_the_wsgi_application

pytestmark = pytest.mark.django_db

HOST = "leichlingen.localhost"


def get(client, path, **query):
    return client.get(path.removeprefix(f"http://{HOST}"), query, HTTP_HOST=HOST)


def _list(council_world, kind):
    with authority_context(council_world.authority):
        return f"/oparl/v1/body/{Council.objects.get().pk}/{kind}/"


def _more(w, n: int) -> None:
    """`n` more public papers, each with a file row, a consultation at a public agenda
    item of a new published meeting, and a person with a membership."""
    now = timezone.now()
    with authority_context(w.authority):
        document = CouncilFile.objects.filter(paper=w.public_paper).get()
        start = Paper.objects.count()
        for i in range(n):
            meeting = Meeting.objects.create(
                name=f"Sitzung {i}", organization=w.committee, start=now + timedelta(days=i),
                agenda_published_at=now, state=Meeting.State.INVITED)
            paper = Paper.objects.create(
                reference=f"V/2026/{start + i + 100:04d}", name=f"Vorlage {i}",
                paper_type=Paper.Type.PROPOSAL, date=now.date(), released_at=now)
            # The same eAkte document: only the rows count here.
            CouncilFile.objects.create(
                role=CouncilFile.Role.MAIN, name="Vorlage", file_name=f"v{i}.pdf",
                size=document.size, sha256=document.sha256, document=document.document,
                paper=paper)
            item = AgendaItem.objects.create(meeting=meeting, number="1", position=1,
                                             name=paper.name)
            Consultation.objects.create(paper=paper, organization=w.committee,
                                        meeting=meeting, agenda_item=item)
            person = Person.objects.create(given_name="Max", family_name=f"Muster {i}")
            Membership.objects.create(person=person, organization=w.committee,
                                      on_behalf_of=Organization.objects.filter(
                                          kind=Organization.Kind.PARTY_GROUP).first())


def _walk(client, url) -> list[dict]:
    found = []
    while url:
        page = get(client, url).json()
        found += page["data"]
        url = page["links"].get("next")
    return found


def test_pages_follow_each_other_by_next_links_without_gaps(client, council_world):
    _more(council_world, 12)
    url = _list(council_world, "paper")
    first = get(client, url, limit="5").json()
    assert len(first["data"]) == 5
    assert "limit=5" in first["links"]["next"]
    walked = _walk(client, first["links"]["next"])
    ids = [p["id"] for p in first["data"] + walked]
    assert len(ids) == 13 == len(set(ids))
    assert "next" not in get(client, url).json()["links"]  # 13 fit in the default page


def test_limit_is_capped_and_must_be_a_number(client, council_world):
    url = _list(council_world, "paper")
    assert get(client, url, limit="100000").json()["pagination"]["elementsPerPage"] == 500
    bad = get(client, url, limit="viele")
    assert bad.status_code == 400
    assert "ganze Zahl" in bad.json()["message"]


def test_the_date_filters_select_by_created_and_modified(client, council_world):
    w = council_world
    url = _list(w, "paper")
    later = timezone.now() + timedelta(hours=1)
    with authority_context(w.authority):
        Paper.objects.filter(pk=w.public_paper.pk).update(modified_at=later + timedelta(hours=1))
    stamp = timezone.localtime(later).isoformat(timespec="seconds")
    assert len(get(client, url, modified_since=stamp).json()["data"]) == 1
    assert get(client, url, modified_until=stamp).json()["data"] == []
    assert get(client, url, created_since=stamp).json()["data"] == []
    assert len(get(client, url, created_until=stamp).json()["data"]) == 1
    # An offset's "+" sent unencoded arrives as a space, and a plain date is a day.
    raw = get(client, f"{url}?modified_since={stamp}").json()
    assert len(raw["data"]) == 1
    assert len(get(client, url, created_since="2020-01-01").json()["data"]) == 1
    # The next link keeps the filter.
    _more(w, 3)
    page = get(client, url, created_since="2020-01-01", limit="2").json()
    assert "created_since=2020-01-01" in page["links"]["next"]


@pytest.mark.parametrize("value", ["gestern", "2026-13-45", "31.01.2026"])
def test_a_malformed_date_is_a_400_in_german(client, council_world, value):
    response = get(client, _list(council_world, "meeting"), modified_since=value)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "modified_since" in response.json()["message"]
    assert "ISO 8601" in response.json()["message"]


KINDS = ("paper", "meeting", "agendaItem", "file", "consultation", "person", "organization",
         "membership", "location", "legislativeTerm")


@pytest.mark.parametrize("kind", KINDS)
def test_a_page_costs_the_same_queries_whatever_its_length(client, council_world, kind):
    url = _list(council_world, kind)
    get(client, url)  # warm-up: sessions, content types, translations
    with CaptureQueriesContext(connection) as small:
        assert get(client, url).status_code == 200
    _more(council_world, 8)
    with CaptureQueriesContext(connection) as large:
        response = get(client, url)
    assert response.status_code == 200
    assert len(response.json()["data"]) >= 8 or kind in ("location", "legislativeTerm",
                                                         "organization")
    assert len(large) == len(small), [q["sql"][:120] for q in large]


def test_an_object_costs_the_same_queries_whatever_it_embeds(client, council_world):
    w = council_world
    get(client, f"/oparl/v1/meeting/{w.upcoming.pk}/")
    with CaptureQueriesContext(connection) as small:
        get(client, f"/oparl/v1/meeting/{w.upcoming.pk}/")
    with authority_context(w.authority):
        for n in range(5):
            AgendaItem.objects.create(meeting=w.upcoming, number=f"{n + 3}", position=n + 3,
                                      name=f"Punkt {n}")
    with CaptureQueriesContext(connection) as large:
        meeting = get(client, f"/oparl/v1/meeting/{w.upcoming.pk}/").json()
    assert len(meeting["agendaItem"]) == 6
    assert len(large) == len(small)


def test_oparl_takes_the_short_stack_with_the_hosts_authority(council_world):
    assert is_api_request({"PATH_INFO": "/oparl/v1/body/", "QUERY_STRING": "",
                           "HTTP_ACCEPT": "application/json"})
    factory = RequestFactory(HTTP_HOST=HOST)
    status, headers, body = through_the_wsgi_application(factory.get("/oparl/v1/body/"))
    assert status == 200
    assert json.loads(body)["data"][0]["name"] == "Stadt Leichlingen"
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in headers
    status, _headers, body = through_the_wsgi_application(
        factory.get(_list(council_world, "paper"), {"created_since": "morgen"}))
    assert status == 400
    assert "ISO 8601" in json.loads(body)["message"]
    # German without the language middleware of the full stack.
    status, _headers, body = through_the_wsgi_application(
        factory.get(_list(council_world, "paper"), {"limit": "viele"}))
    assert status == 400
    assert "ganze Zahl" in json.loads(body)["message"]
