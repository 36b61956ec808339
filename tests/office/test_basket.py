"""The work basket: the soonest due first, overdue tasks said in words, filters by
service, state and "mine" in the address (a GET form), and the counts in the office's
navigation, each the length of the list it links to."""

import datetime
import re

import pytest
from django.utils import timezone

from rathaus.authorities.tenancy import authority_context
from rathaus.cases import assignment
from rathaus.cases.models import Case, Task
from tests.factories import (
    departments_of,
    make_case,
    make_department,
    make_staff,
    office_client,
)


def _task(authority, department, title, **fields):
    with authority_context(authority):
        return Task.objects.create(department=department, title=title, **fields)


def titles(response) -> list[str]:
    return [row.task.title for row in response.context["rows"]]


def references(response) -> list[str]:
    return [row.task.reference for row in response.context["rows"]]


def test_the_soonest_due_come_first_and_overdue_ones_say_so(town):
    tax = make_department(town, slug="steueramt", name="Steueramt")
    today = timezone.localdate()
    _task(town, tax, "Später", due_date=today + datetime.timedelta(days=10))
    _task(town, tax, "Ohne Frist")
    _task(town, tax, "Längst fällig", due_date=today - datetime.timedelta(days=2))
    _task(town, tax, "Heute", due_date=today)
    _task(town, tax, "Gestern erledigt", due_date=today - datetime.timedelta(days=5),
          status=Task.Status.DONE, completed_at=timezone.now())
    client = office_client(*make_staff(town, departments=[tax]))

    page = client.get("/verwaltung/")
    assert titles(page) == ["Längst fällig", "Heute", "Später", "Ohne Frist"]
    assert "Überfällig seit 2 Tagen" in page.text
    assert "Heute fällig" in page.text
    assert "4 Aufgaben, die früheste Frist zuerst. <strong>Davon ist 1 überfällig." in page.text
    # A finished task is never overdue.
    done = client.get("/verwaltung/?status=done")
    assert titles(done) == ["Gestern erledigt"]
    assert "Überfällig" not in done.text and "erledigt am" in done.text


@pytest.fixture
def cases(dog_town, citizen):
    """Four dog registrations of the dog town: one new, one waiting for the citizen,
    one awaiting confirmation and one of another service; the Steueramt has a task on
    each."""
    with authority_context(dog_town):
        made = [make_case(citizen, large=False) for _ in range(4)]
        Case.objects.filter(pk=made[1].pk).update(status=Case.Status.WAITING)
        Case.objects.filter(pk=made[2].pk).update(status=Case.Status.AWAITING_CONFIRMATION)
        Case.objects.filter(pk=made[3].pk).update(service_id="umzug")
        return [case.reference for case in made]


@pytest.fixture
def clerk(dog_town):
    user, device = make_staff(dog_town, departments=[departments_of(dog_town)["steueramt"]],
                              email="max@x.example")
    return user, office_client(user, device)


def test_filters_by_service_state_and_mine(dog_town, cases, clerk):
    user, client = clerk
    new, waiting, to_confirm, moving = cases
    with authority_context(dog_town):
        task = Task.objects.get(reference=waiting)
        assignment.take_task(task=task, staff=user)

    assert sorted(references(client.get("/verwaltung/"))) == sorted(cases)
    assert references(client.get("/verwaltung/?status=submitted")) == [new, moving]
    assert references(client.get("/verwaltung/?status=waiting")) == [waiting]
    assert references(client.get("/verwaltung/?status=awaiting_confirmation")) == [to_confirm]
    assert references(client.get("/verwaltung/?service=umzug")) == [moving]
    assert references(client.get("/verwaltung/?service=hundeanmeldung&status=submitted")
                      ) == [new]
    assert references(client.get("/verwaltung/?mine=on")) == [waiting]
    # The filter offers the services the department has tasks for, in their own names.
    page = client.get("/verwaltung/?service=umzug").text
    assert '<option value="hundeanmeldung">Hund anmelden</option>' in page
    assert '<option value="umzug" selected>umzug</option>' in page
    # Staff words for the states, in the filter and in the rows.
    assert "Wartet auf Angaben der Bürgerin oder des Bürgers" in page
    empty = client.get("/verwaltung/?status=waiting&service=umzug")
    assert "Keine Aufgabe passt zu diesem Filter." in empty.text


def test_a_filter_value_that_does_not_exist_counts_as_none(dog_town, cases, clerk):
    _user, client = clerk
    response = client.get("/verwaltung/?status=<script>&service=nichts&mine=")
    assert response.status_code == 200
    assert sorted(references(response)) == sorted(cases)


def counts(page) -> dict[str, int]:
    header = page.split("<header", 1)[1].split("</header>", 1)[0]
    found = re.findall(r'>([^<>]+?) <span class="office-nav__count">\((\d+)\)</span>', header)
    return {label: int(number) for label, number in found}


def test_the_navigation_counts_what_waits_each_as_long_as_its_list(dog_town, cases, clerk):
    user, client = clerk
    with authority_context(dog_town):
        assignment.take_task(task=Task.objects.get(reference=cases[0]), staff=user)
    page = client.get("/verwaltung/").text
    assert counts(page) == {"Eingang": 2, "Mir zugewiesen": 1, "Zur Bestätigung": 1}
    links = dict((label, href.replace("&amp;", "&")) for href, label in re.findall(
        r'href="(/verwaltung/\?[^"]+)"[^>]*>([^<>]+?) <span class="office-nav__count">', page))
    for label, number in counts(page).items():
        assert len(client.get(links[label]).context["rows"]) == number, label
    # The link to the list one is looking at says so.
    assert 'aria-current="page">Eingang' in client.get(links["Eingang"]).text


def test_the_counts_are_of_the_department_one_works_in(dog_town, cases):
    order = departments_of(dog_town)["ordnungsamt"]
    client = office_client(*make_staff(dog_town, departments=[order], email="o@x.example"))
    page = client.get("/verwaltung/").text
    assert counts(page) == {"Eingang": 0, "Mir zugewiesen": 0, "Zur Bestätigung": 0}
