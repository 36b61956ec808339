"""Leichte Sprache: a page for the portal as a whole and one per service, German even in
the English interface, linked from the header of every kind of page."""

import dataclasses
import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from rathaus.authorities.tenancy import authority_context
from rathaus.catalog import registry
from rathaus.catalog.services import offer_service
from tests.factories import (
    DISPENSERS,
    DOG_SERVICE,
    citizen_logged_in,
    easy_language_problems,
    make_staff,
    office_client,
    publish_csv,
)

EASY_PAGE = "/leichte-sprache/"
DOG_EASY_PAGE = f"/leistungen/{DOG_SERVICE}/leichte-sprache/"


class _EasyText(HTMLParser):
    """The lines of the Leichte Sprache part of a page (inside lang="de"): each
    paragraph line, list item, heading and term, as a reader meets them."""

    BREAKS = {"p", "li", "h1", "h2", "h3", "dt", "dd", "address", "br", "div", "section"}

    def __init__(self):
        super().__init__()
        self.depth, self.lines, self.current = 0, [], []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += tag != "br"
            self._break(tag)
        elif dict(attrs).get("lang") == "de" and "easy-language" in dict(attrs).get("class", ""):
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self._break(tag)
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.current.append(data)

    def _break(self, tag):
        if tag in self.BREAKS:
            line = " ".join("".join(self.current).split())
            if line:
                self.lines.append(line)
            self.current = []


def easy_lines(html: str) -> list[str]:
    parser = _EasyText()
    parser.feed(html)
    return parser.lines


def _header(html: str) -> str:
    return html.split("<header", 1)[1].split("</header>", 1)[0]


def _without_leichte_sprache(town):
    """A second service whose definition brings no Leichte Sprache text."""
    plain = dataclasses.replace(registry.definition(DOG_SERVICE), id="zweithund",
                                title={"de": "Zweithund melden"}, easy_language=None)
    registry._definitions["zweithund"] = plain
    with authority_context(town):
        offer_service(definition=plain)


@pytest.fixture
def plain_service(dog_town):
    _without_leichte_sprache(dog_town)
    yield
    registry._definitions.pop("zweithund", None)


def test_the_portal_page_explains_the_portal_in_leichte_sprache(dog_town, plain_service):
    response = Client().get(EASY_PAGE)
    assert response.status_code == 200
    html = response.text
    lines = easy_lines(html)
    text = " ".join(lines)
    # What the portal is, how to log in and to apply, where to get help.
    for heading in ("Was ist das Internet-Rathaus?", "Ein Konto für das Internet-Rathaus",
                    "So stellen Sie einen Antrag", "Hier bekommen Sie Hilfe"):
        assert heading in lines
    assert "Ein Antrag ist eine Bitte an ein Amt." in text
    assert "Der Brief heißt: Bescheid." in text
    assert 'href="/konto/anmelden/"' in html and 'href="/konto/registrieren/"' in html
    # The authority's contact: address, e-mail, and the phone when there is one.
    assert dog_town.street in text and dog_town.email in text
    assert f'href="mailto:{dog_town.email}"' in html
    assert easy_language_problems(lines) == []
    # Every service is listed: with its own page, or without one, saying so.
    assert f'href="{DOG_EASY_PAGE}"' in html
    assert "Hier steht, wie Sie Ihren Hund bei der Stadt anmelden." in text
    assert 'href="/leistungen/zweithund/"' in html
    assert "Zu diesem Antrag gibt es noch keinen Text in Leichter Sprache." in text


def test_the_phone_number_is_a_link_to_call(dog_town):
    dog_town.phone = "02175 992-0"
    dog_town.save()
    html = Client().get(EASY_PAGE).text
    assert 'href="tel:02175992-0"' in html


def test_the_service_page_in_leichte_sprache(dog_town):
    response = Client().get(DOG_EASY_PAGE)
    assert response.status_code == 200
    lines = easy_lines(response.text)
    assert "Hund anmelden" in lines
    assert "Sie haben einen Hund?" in lines
    # Sentences stand one a line; hard words are explained in the Wörter-Buch.
    assert "Das Geld heißt: Hunde-Steuer." in lines
    assert "Bescheid" in lines
    assert "In dem Brief steht eine Entscheidung von dem Amt." in lines
    assert "Für diesen Antrag ist zuständig: Steueramt." in lines
    assert f'href="/leistungen/{DOG_SERVICE}/"' in response.text
    assert easy_language_problems(lines) == []


def test_the_service_page_links_to_its_leichte_sprache(dog_town):
    html = Client().get(f"/leistungen/{DOG_SERVICE}/").text
    assert f'href="{DOG_EASY_PAGE}"' in html.split("<main", 1)[1]


def test_a_service_without_leichte_sprache_has_no_such_page(dog_town, plain_service):
    assert Client().get("/leistungen/zweithund/leichte-sprache/").status_code == 404
    assert 'leichte-sprache' not in Client().get("/leistungen/zweithund/").text.split(
        "<main", 1)[1]
    assert Client().get("/leistungen/gibt-es-nicht/leichte-sprache/").status_code == 404


@pytest.mark.parametrize("path", [EASY_PAGE, DOG_EASY_PAGE])
def test_in_the_english_interface_the_page_stays_german_and_says_so(dog_town, path):
    client = Client()
    client.get("/sprache/en/", {"next": "/"})
    html = client.get(path).text
    assert '<html lang="en">' in html
    assert "This page is in Leichte Sprache, easy-to-read German." in html
    assert easy_lines(html), "the Leichte Sprache text is not marked lang=de"
    html_de = Client().get(path).text
    assert "easy-to-read German" not in html_de
    assert easy_lines(html) == easy_lines(html_de)


def _assert_header_link(html: str, where: str):
    header = _header(html)
    link = re.search(r'<a [^>]*href="/leichte-sprache/"[^>]*>(.*?)</a>', header, re.S)
    assert link, f"{where}: no Leichte Sprache link in the header"
    assert "kern-icon--easy-language" in link.group(1) and "Leichte Sprache" in link.group(1)


def test_every_kind_of_page_links_to_leichte_sprache_in_its_header(dog_town, citizen):
    anonymous = Client()
    publish_csv(dog_town, DISPENSERS)
    for path in ("/", f"/leistungen/{DOG_SERVICE}/", EASY_PAGE, DOG_EASY_PAGE,
                 "/impressum/", "/konto/anmelden/", "/konto/registrieren/",
                 "/verwaltung/anmelden/", "/daten/", "/daten/spender/",
                 "/ogc/?f=html", "/gibt-es-nicht/"):
        response = anonymous.get(path, HTTP_ACCEPT="text/html")
        assert response.status_code in (200, 404), path
        _assert_header_link(response.text, path)

    client = citizen_logged_in(citizen)
    for path in ("/konto/", "/konto/daten/", "/konto/postfach/"):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_header_link(response.text, path)

    with authority_context(dog_town):
        from rathaus.authorities.models import Department

        steueramt = Department.objects.get(slug="steueramt")
    staff, device = make_staff(dog_town, departments=[steueramt], role="team_lead")
    office = office_client(staff, device)
    for path in ("/verwaltung/", "/verwaltung/hintergrund/", "/verwaltung/offene-daten/"):
        response = office.get(path)
        assert response.status_code == 200, path
        _assert_header_link(response.text, path)
