"""Every URL of the project, asked by every kind of visitor, gives the answer the
table in authorization_matrix.py states; a URL without a row fails the suite.

The ids in the URLs name real objects of citizen A and of the town (tests/security/
conftest.py), so "the other citizen", "a department without a task" and "staff of
another authority" ask for something that exists. Each cell runs in a savepoint that
is rolled back, with the visitors' cookies put back afterwards: a logout, a discarded
draft or a published dataset in one cell changes nothing for the next."""

import copy
import re
from functools import partial
from urllib.parse import urlsplit

import pytest
from django.contrib import messages
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security import authorization_matrix as matrix
from tests.security.conftest import TOWN_HOST, VISITORS, post_with_token

MATRIX_FILE = "tests/security/authorization_matrix.py"


def url_entries(resolver=None, namespace="", prefix=""):
    """(row key, path filler) of every URL pattern, nested includes too. The row key is
    the URL's name with its namespace; an unnamed URL is keyed by its route."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_entries(entry, inner, route)
        elif isinstance(entry, URLPattern):
            key = f"{namespace}{entry.name}" if entry.name else route
            yield key, partial(_path, key=key, route=route, named=bool(entry.name),
                               parameters=list(entry.pattern.converters))


def _path(world, *, key: str, route: str, named: bool, parameters: list[str]) -> str:
    kwargs = world.kwargs(key, parameters)
    if named:
        return reverse(key, kwargs=kwargs)
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route)


def outcome(response) -> str:
    """The answer as the table writes it (legend in authorization_matrix.py)."""
    status = response.status_code
    if status in (301, 302, 303):
        target = urlsplit(response["Location"]).path
        if target == reverse("accounts:login"):
            return matrix.LOGIN
        if target == reverse("office:login"):
            return matrix.OFFICE_LOGIN
    if any(m.level == messages.ERROR for m in messages.get_messages(response.wsgi_request)):
        return matrix.REFUSED
    return str(status)


def _ask(world, who: str, method: str, key: str, path: str) -> str:
    client = world.clients[who]
    snapshot = world.snapshot()
    with transaction.atomic():
        if method == "GET":
            response = client.get(path, matrix.get_query(key, world))
        else:
            response = post_with_token(client, path, matrix.post_data(key, world))
        transaction.set_rollback(True)
    world.restore(snapshot)
    return outcome(response)


def _row_text(key: str, method: str, answers: list[str]) -> str:
    return matrix.format_row(key, method, answers) if answers else f"{key} {method} (no row)"


def test_every_url_has_a_row():
    assert len(matrix.COLUMNS) == len(VISITORS), "one column of the table per visitor"
    keys = {key for key, _path_in in url_entries()}
    missing = sorted(keys - set(matrix.ROWS))
    assert not missing, (
        f"These URLs have no row in {MATRIX_FILE}: {missing}. Add a GET and a POST row "
        "for each, stating what every kind of visitor gets (run this folder's tests: "
        "test_each_visitor_gets_the_answer_in_the_table prints what they get now).")
    stale = sorted(set(matrix.ROWS) - keys)
    assert not stale, f"Rows in {MATRIX_FILE} for URLs that no longer exist: {stale}"


@pytest.mark.django_db
def test_each_visitor_gets_the_answer_in_the_table(world):
    wrong = []
    for key, path_in in url_entries():
        path = path_in(world)
        for method in ("GET", "POST"):
            answers = [_ask(world, who, method, key, path) for who in VISITORS]
            expected = matrix.expected(key, method)
            if expected is None or answers != expected:
                wrong.append(f"{path}\n  table: {_row_text(key, method, expected or [])}"
                             f"\n  got:   {_row_text(key, method, answers)}")
    assert not wrong, (f"{len(wrong)} rows of {MATRIX_FILE} differ from the answers:\n"
                       + "\n".join(wrong))


@pytest.mark.django_db
def test_posts_without_a_csrf_token_are_refused(world):
    """Every POST view except the declared exemptions refuses a request without the
    token, for a visitor with a session and without one."""
    exempt = {key for key, path_in in url_entries()
              if getattr(get_resolver().resolve(path_in(world)).func, "csrf_exempt", False)}
    assert exempt == matrix.CSRF_EXEMPT, (
        f"Views without CSRF checks changed: {sorted(exempt)}; declare each in "
        f"CSRF_EXEMPT in {MATRIX_FILE} with the reason it is safe.")
    accepted = []
    for key, path_in in url_entries():
        if key in matrix.CSRF_EXEMPT:
            continue
        path = path_in(world)
        for who in ("anonymous", "owner", "decider"):
            client = Client(enforce_csrf_checks=True, HTTP_HOST=TOWN_HOST)
            client.cookies = copy.deepcopy(world.clients[who].cookies)
            with transaction.atomic():
                response = client.post(path, matrix.post_data(key, world))
                transaction.set_rollback(True)
            if response.status_code != 403:
                accepted.append(f"{who} POST {path} -> {response.status_code}")
    assert not accepted, "POSTs without a CSRF token were not refused:\n" + "\n".join(
        accepted)
