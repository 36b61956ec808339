"""HR's overview of the month closings: states per team, no figure, no clock time, no
finding; each employee shown is in their access log; nobody else reaches it."""

import re

import pytest
from django.urls import reverse

from rathaus.audit.models import AccessLogEntry
from rathaus.authorities.tenancy import authority_context
from rathaus.worktime.models import ClosingState
from tests.factories import office_client

from .test_sheets import close_emils_month

pytestmark = pytest.mark.django_db


def _client(staff, user):
    return office_client(user, staff.devices[user.email])


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]


def test_hr_sees_the_states_of_a_team_and_no_figures(staff, django_capture_on_commit_callbacks):
    closing = close_emils_month(staff, django_capture_on_commit_callbacks)
    response = _client(staff, staff.hr).get(reverse("worktime:hr_closings"), {
        "month": f"{closing.month:%Y-%m}", "team": staff.team_a.pk})
    assert response.status_code == 200
    main = _main(response)
    assert "Emil Eins" in main and "Paula Teil" in main and "Olga" not in main
    rows = response.context["rows"]
    assert {row["employee"].personnel_number: row["state"] for row in rows} == {
        "1001": ClosingState.CLOSED, "1002": ClosingState.OPEN}
    assert not re.search(r"\d{1,2}:\d{2}", main)  # no clock time, no hours
    assert "07:00" not in main and "18,00" not in main and "§" not in main
    counts = dict(response.context["counts"])
    assert sum(counts.values()) == 6
    assert response.context["exported"] == 1 and response.context["not_exported"] == 5
    assert reverse("worktime:hr_payroll", args=[closing.month.year, closing.month.month]) in main


def test_each_employee_shown_is_in_their_access_log(staff):
    _client(staff, staff.hr).get(reverse("worktime:hr_closings"), {"team": staff.team_b.pk})
    with authority_context(staff.authority):
        logged = list(AccessLogEntry.objects.filter(staff=staff.hr)
                      .values_list("citizen_id", "what"))
    assert [citizen for citizen, _what in logged] == [staff.olga.pk]
    assert logged[0][1].startswith("Abschlussstand Arbeitszeit")


def test_the_first_team_is_shown_when_none_is_chosen(staff):
    response = _client(staff, staff.hr).get(reverse("worktime:hr_closings"))
    assert response.status_code == 200
    assert response.context["team"].name == "Amtsleitung"  # the first by name


def test_a_month_not_offered_falls_back_with_a_message(staff):
    response = _client(staff, staff.hr).get(reverse("worktime:hr_closings"),
                                            {"month": "1999-01"})
    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.parametrize("who", ["emil", "lead_a", "lead_b", "olga"])
def test_nobody_but_hr_reaches_the_closings(staff, who):
    response = _client(staff, getattr(staff, who)).get(reverse("worktime:hr_closings"))
    assert response.status_code == 404
