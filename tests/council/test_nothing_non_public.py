"""Done when (issue 21): no non-public item, paper or file appears in OParl, the public
pages, the search or the iCalendar feed, in any of their forms.

The council world gets every kind of secret the public must never see: a non-public
item with its result and resolution in a held meeting, a non-public paper treated
under a public item, a deleted non-public paper, a public paper not yet released, a
meeting's non-public attachment and its non-public minutes. Then a small crawler
follows every link from /ratsinfo/ and from /oparl/v1/ (HTML, JSON, iCalendar, and the
files' bytes), the search is asked for every secret, and no answer may hold any of
them: not their words, numbers, uuids or ids, nor the bytes of their files."""

import hashlib
import html
import json
import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.utils import timezone

from rathaus.council import files
from rathaus.council.models import AgendaItem, Consultation, CouncilFile, Paper

from .conftest import SECRET_WORDS, _pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_town")]

PUBLIC_ROOTS = ("/ratsinfo/", "/oparl/v1/")
NOT_PUBLIC_PAGES = ("/ratsinfo/mandat/",)  # the reading room: councillors only
MAX_FETCHES = 600


@dataclass
class Secrets:
    papers: list  # non-public, unreleased, deleted non-public
    files: list  # every CouncilFile the public must not get
    strings: list[str]  # what no public answer may contain
    hashes: set[str]  # the secret files' SHA-256


@pytest.fixture
def secrets(council_world) -> Secrets:
    w = council_world
    now = timezone.now()
    # A held meeting's non-public item with its result and resolution.
    AgendaItem.objects.create(
        meeting=w.past, number="2", position=2, public=False,
        name=f"Personalangelegenheit {SECRET_WORDS[1]}", result=AgendaItem.Result.DECIDED,
        votes_for=11, votes_against=7, votes_abstaining=3,
        resolution_text=f"Der Rat beschließt den {SECRET_WORDS[0]}.")
    # A non-public paper treated under a public item as well.
    Consultation.objects.create(paper=w.secret_paper, organization=w.council,
                                meeting=w.upcoming, agenda_item=w.public_item,
                                role="Kenntnisnahme", position=3)
    deleted = Paper.objects.create(
        reference="V/2026/0009", name=f"Abfindung {SECRET_WORDS[1]}",
        paper_type=Paper.Type.INFORMATION, date=timezone.localdate() - timedelta(days=40),
        public=False, released_at=now - timedelta(days=35))
    files.file_pdf(owner=deleted, role=CouncilFile.Role.MAIN, name=f"Vorlage {SECRET_WORDS[1]}",
                   file_name="V-2026-0009.pdf",
                   pdf=_pdf(deleted.name, public=False, words=SECRET_WORDS[0]))
    Consultation.objects.create(paper=deleted, organization=w.council, meeting=w.past)
    Paper.objects.filter(pk=deleted.pk).update(deleted=True)
    files.file_pdf(owner=w.upcoming, role=CouncilFile.Role.ATTACHMENT,
                   name=f"Anlage {SECRET_WORDS[0]}", file_name="anlage-vertraulich.pdf",
                   pdf=_pdf("Anlage", public=False, words=SECRET_WORDS[1]))
    papers = [w.secret_paper, w.unreleased_paper, deleted]
    secret_files = list(CouncilFile.objects.filter(paper__in=papers)) + list(
        CouncilFile.objects.filter(meeting__isnull=False).exclude(
            role__in=[CouncilFile.Role.INVITATION, CouncilFile.Role.MINUTES]))
    assert {f.role for f in secret_files} >= {CouncilFile.Role.NONPUBLIC_MINUTES,
                                              CouncilFile.Role.ATTACHMENT}
    strings = [*SECRET_WORDS, w.unreleased_paper.name]
    for paper in papers:
        strings += [paper.reference, str(paper.uuid), f"/paper/{paper.pk}/"]
    for council_file in secret_files:
        strings += [str(council_file.uuid), f"/file/{council_file.pk}/",
                    council_file.file_name, str(council_file.document.uuid)]
    strings += [f"/agendaitem/{w.secret_item.pk}/"]
    for consultation in Consultation.objects.filter(paper__in=papers):
        strings.append(f"/consultation/{consultation.pk}/")
    return Secrets(papers=papers, files=secret_files, strings=strings,
                   hashes={f.sha256 for f in secret_files})


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _links(url: str, content_type: str, body: bytes) -> list[str]:
    text = body.decode("utf-8", errors="replace")
    if content_type.startswith("text/html"):
        found = [html.unescape(link) for link in re.findall(r'href="([^"]+)"', text)]
    elif content_type.startswith("application/json"):
        found = []

        def walk(value):
            if isinstance(value, str) and "://" in value:
                found.append(value)
            elif isinstance(value, dict):
                for item in value.values():
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)
        walk(json.loads(text))
    elif content_type.startswith("text/calendar"):
        # Folded lines joined again (RFC 5545 3.1), then every URL.
        found = re.findall(r"^URL:(\S+)", text.replace("\r\n ", ""), flags=re.MULTILINE)
    else:
        found = []
    local = []
    for link in found:
        parts = urlsplit(link)
        if parts.netloc not in ("", "testserver"):
            continue
        path = parts.path if parts.path.startswith("/") else urlsplit(url).path + parts.path
        local.append(path + (f"?{parts.query}" if parts.query else ""))
    return local


def _months_around(w) -> set[str]:
    """The calendar's months worth walking: those of the world's meetings and one on
    either side (the calendar links on to the end of time)."""
    months = set()
    for meeting in (w.past, w.upcoming, w.planned):
        day = timezone.localtime(meeting.start).date()
        for shift in (-32, 0, 32):
            months.add(f"{(day + timedelta(days=shift)).replace(day=1):%Y-%m}")
    return months


def crawl(client, w) -> dict[str, tuple[int, str, bytes]]:
    """Every public URL reachable from the roots: {url: (status, content type, body)}."""
    months = _months_around(w)
    seen: dict[str, tuple[int, str, bytes]] = {}
    queue = list(PUBLIC_ROOTS)
    while queue:
        url = queue.pop(0)
        if url in seen or url.startswith(NOT_PUBLIC_PAGES) or not url.startswith(PUBLIC_ROOTS):
            continue
        month = re.search(r"[?&]monat=([^&]+)", url)
        if month and month.group(1) not in months:
            continue
        assert len(seen) < MAX_FETCHES, "the crawl does not end"
        response = client.get(url)
        body = _body(response)
        content_type = response.get("Content-Type", "")
        seen[url] = (response.status_code, content_type, body)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        queue += _links(url, content_type, body)
    return seen


def _without(body: bytes, typed: str) -> bytes:
    """The answer without what the visitor typed (the search shows the query again)."""
    for form in {typed, html.escape(typed), quote(typed, safe=""), urlencode({"q": typed})[2:]}:
        body = body.replace(form.encode(), b"")
    return body


def assert_holds_no_secret(url: str, body: bytes, secrets: Secrets, *, typed: str = "") -> None:
    checked = _without(body, typed) if typed else body
    text = checked.decode("utf-8", errors="replace")
    for secret in secrets.strings:
        for form in {secret, html.escape(secret), json.dumps(secret)[1:-1]}:
            assert form not in text, f"{url} shows {secret!r}"
    assert hashlib.sha256(body).hexdigest() not in secrets.hashes, f"{url} is a secret file"


def test_no_public_answer_holds_anything_non_public(client, council_world, secrets):
    answers = crawl(client, council_world)
    kinds = {content_type.split(";")[0] for _status, content_type, _body in answers.values()}
    assert kinds >= {"text/html", "application/json", "text/calendar", "application/pdf"}, (
        "the crawl missed a kind of answer")
    assert any(url.startswith("/oparl/v1/") for url in answers), "OParl was not crawled"
    assert "/ratsinfo/sitzungen.ics" in answers
    assert any(url.endswith("/sitzungen.ics") and "/gremien/" in url for url in answers)
    for url, (_status, _type, body) in answers.items():
        assert_holds_no_secret(url, body, secrets)
    # What the crawl must have seen, so that an empty crawl does not pass.
    w = council_world
    pages = b"".join(body for _s, _t, body in answers.values())
    assert w.public_paper.reference.encode() in pages
    assert str(w.upcoming.uuid).encode() in pages


def test_the_search_finds_nothing_non_public(client, council_world, secrets):
    w = council_world
    queries = [*SECRET_WORDS, *SECRET_WORDS[0].split(), w.secret_paper.reference,
               w.unreleased_paper.reference, w.unreleased_paper.name, "Abfindung",
               "Personalangelegenheit", "Anlage", "V/2026/0009"]
    for query in queries:
        for params in ({"q": query}, {"q": query, "page": "2"}):
            response = client.get("/ratsinfo/suche/", params)
            assert response.status_code == 200
            body = response.content
            assert b"council-hits__item" not in body, f"the search for {query!r} found something"
            assert_holds_no_secret(f"search {query!r}", body, secrets, typed=query)
    # The public paper is found by its words and number: the search works.
    for query in ("Turnhallendach", "Turnhalle", w.public_paper.reference):
        body = client.get("/ratsinfo/suche/", {"q": query}).content
        assert b"council-hits__item" in body and w.public_paper.name.encode() in body


def test_the_secret_papers_and_files_are_not_at_their_urls(client, council_world, secrets):
    for paper in secrets.papers:
        assert client.get(f"/ratsinfo/vorlagen/{paper.uuid}/").status_code == 404
        assert client.get(f"/oparl/v1/paper/{paper.pk}/").status_code == 404
    for council_file in secrets.files:
        assert client.get(f"/ratsinfo/dateien/{council_file.uuid}/").status_code == 404
        for path in ("", "access/", "download/"):
            assert client.get(f"/oparl/v1/file/{council_file.pk}/{path}").status_code == 404
    assert client.get(f"/oparl/v1/agendaItem/{council_world.secret_item.pk}/").status_code == 404
    # The public item next to it is there: the URL above is the right one.
    assert client.get(f"/oparl/v1/agendaItem/{council_world.public_item.pk}/").status_code == 200
