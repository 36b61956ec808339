"""The home page leads to the town's trees, playgrounds and damage reports once the
authority keeps those cadastres, and says nothing of them before."""

from django.test import Client

from tests.factories import TOWN_HOST


def test_the_home_page_links_the_cadastres_the_town_keeps(cadastres):
    page = Client(HTTP_HOST=TOWN_HOST).get("/").content.decode()
    assert 'href="/baeume/"' in page
    assert 'href="/spielplaetze/"' in page
    assert 'href="/schaden-melden/"' in page


def test_without_cadastres_the_home_page_has_no_such_links(town):
    page = Client(HTTP_HOST=TOWN_HOST).get("/").content.decode()
    assert "/schaden-melden/" not in page
