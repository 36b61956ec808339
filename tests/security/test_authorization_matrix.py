"""Every URL of the project, asked by every kind of visitor, gives the answer the
table in authorization_matrix.py states; a URL without a row fails the suite.

The ids in the URLs name real objects of citizen A and of the town (the `world`
fixture, built in tests/factories.py), so "the other citizen", "a department without a
task" and "staff of another authority" ask for something that exists. Each cell runs in
a savepoint that is rolled back, with the visitors' cookies put back afterwards: a
logout, a discarded draft or a published dataset in one cell changes nothing for the
next."""

import copy
from urllib.parse import urlsplit

import pytest
from django.contrib import messages
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, reverse

from tests.factories import TOWN_HOST, VISITORS, project_urls
from tests.security import authorization_matrix as matrix

MATRIX_FILE = "tests/security/authorization_matrix.py"


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
    if method == "GET":
        return outcome(world.ask(who, "GET", path, query=matrix.get_query(key, world)))
    return outcome(world.ask(who, "POST", path, data=matrix.post_data(key, world)))


def _row_text(key: str, method: str, answers: list[str]) -> str:
    return matrix.format_row(key, method, answers) if answers else f"{key} {method} (no row)"


def test_every_url_has_a_row():
    assert len(matrix.COLUMNS) == len(VISITORS), "one column of the table per visitor"
    keys = {key for key, _route, _named, _parameters in project_urls()}
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
    for key, path in world.paths().items():
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
    paths = world.paths()
    exempt = {key for key, path in paths.items()
              if getattr(get_resolver().resolve(path).func, "csrf_exempt", False)}
    assert exempt == matrix.CSRF_EXEMPT, (
        f"Views without CSRF checks changed: {sorted(exempt)}; declare each in "
        f"CSRF_EXEMPT in {MATRIX_FILE} with the reason it is safe.")
    accepted = []
    for key, path in paths.items():
        if key in matrix.CSRF_EXEMPT:
            continue
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
