"""The paper search of the public council information (/ratsinfo/suche/): full text
over the public papers' files through the eAkte's index, on both databases."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from rathaus.council import public_selectors
from rathaus.council.models import Paper

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_town")]


def test_the_text_of_a_public_papers_file_finds_the_paper(council_world):
    w = council_world
    found = public_selectors.search_papers(query="fördermittel TURNHALLENDACH")
    assert [hit.paper for hit in found.hits] == [w.public_paper]
    assert "<mark>" in found.hits[0].snippet


def test_the_number_and_the_title_find_the_paper(council_world):
    w = council_world
    for query in ("V/2026/0001", "v-2026-0001", "Sanierung Turnhalle Hammer"):
        found = public_selectors.search_papers(query=query)
        assert [hit.paper for hit in found.hits] == [w.public_paper], query


def test_every_word_must_be_there(council_world):
    assert public_selectors.search_papers(query="Turnhalle Schwimmbad").hits == []


def test_a_non_public_or_unreleased_papers_words_find_nothing(council_world):
    w = council_world
    for query in ("Geheimweg", "Vertraulich-7391", w.secret_paper.reference,
                  "Radweg Unterberg", w.unreleased_paper.reference):
        assert public_selectors.search_papers(query=query).hits == [], query


def test_a_paper_made_public_later_is_found_then(council_world):
    w = council_world
    assert public_selectors.search_papers(query="Geheimweg").hits == []
    Paper.objects.filter(pk=w.secret_paper.pk).update(public=True)
    assert [h.paper for h in public_selectors.search_papers(query="Geheimweg").hits] == [
        w.secret_paper]


def test_the_page_without_a_query_explains_the_search(client, council_world):
    page = client.get(reverse("council_public:search")).content.decode()
    assert "council-hits" not in page
    assert 'role="search"' in page and 'class="empty-state"' in page


def test_the_page_lists_the_papers_found_and_says_when_none(client, council_world):
    w = council_world
    page = client.get(reverse("council_public:search"), {"q": "Turnhalle"}).content.decode()
    assert reverse("council_public:paper", args=[w.public_paper.uuid]) in page
    none = client.get(reverse("council_public:search"), {"q": "Schwimmbad"}).content.decode()
    assert gettext("No published paper holds all these words.") in none


def test_odd_input_gets_an_answer_not_an_error(client, council_world):
    for params in ({"q": "x" * 500}, {"q": "Turnhalle", "page": "abc"},
                   {"q": "Turnhalle", "page": "999999"}, {"q": "\"*' OR 1=1 --"},
                   {"q": "die der das"}, {"q": "   "}):
        assert client.get(reverse("council_public:search"), params).status_code == 200
