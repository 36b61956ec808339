"""The employee's absences page: the leave account, requests and their decisions by
the team lead, withdrawing, leave beyond what is left refused with a message, and
sickness recorded with the days only."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import constants
from django.urls import reverse
from django.utils import timezone

from rathaus.authorities.tenancy import authority_context
from rathaus.worktime import absences, balances
from rathaus.worktime.models import Absence, AbsenceKind, Decision
from tests.factories import office_client

pytestmark = pytest.mark.django_db

ABSENCES = "/verwaltung/arbeitszeit/abwesenheiten/"


def client_of(staff, user):
    return office_client(user, staff.devices[user.email])


def next_monday():
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday() + 7)  # the Monday after next


def figure(html: str, year: int, name: str) -> str:
    """A figure of the leave account of `year` as shown."""
    section = html.split(f'data-year="{year}"', 1)[1].split("</dl>", 1)[0]
    return re.search(rf'data-figure="{name}">(?:<strong>)?([^<]*)<', section)[1].strip()


def messages_of(response) -> list:
    return list(response.context["messages"])


def request_leave(client, first, last, kind=AbsenceKind.LEAVE):
    return client.post(reverse("worktime:absence_request"), {
        "kind": kind, "first_day": first.strftime("%d.%m.%Y"),
        "last_day": last.strftime("%d.%m.%Y")}, follow=True)


def test_the_urls_are_where_the_navigation_expects_them():
    assert reverse("worktime:absences") == ABSENCES
    assert reverse("worktime:absence_withdraw", kwargs={"absence_id": 7}).startswith(ABSENCES)


def test_the_employee_sees_the_leave_account_of_this_year(staff):
    response = client_of(staff, staff.emil).get(ABSENCES)
    assert response.status_code == 200
    html = response.content.decode()
    year = timezone.localdate().year
    assert figure(html, year, "entitlement") == "30"
    assert figure(html, year, "remaining") == "30"
    assert f'data-year="{year + 1}"' not in html  # no leave next year yet


def test_a_request_waits_for_the_lead_and_can_be_withdrawn(staff):
    client = client_of(staff, staff.emil)
    monday = next_monday()
    response = request_leave(client, monday, monday + timedelta(days=4))
    assert response.status_code == 200
    assert [m.level for m in messages_of(response)] == [constants.SUCCESS]
    with authority_context(staff.authority):
        absence = Absence.objects.get(employee__user=staff.emil)
    with authority_context(staff.authority):
        days = len(absences.absence_days(absence.employee, absence.first_day, absence.last_day))
    assert (absence.state, absence.days) == (Decision.REQUESTED, days)
    html = response.content.decode()
    assert f'data-absence="{absence.pk}" data-state="requested"' in html
    assert reverse("worktime:absence_withdraw", args=[absence.pk]) in html
    assert f'data-figure="requested">{days}<' in html

    response = client.post(reverse("worktime:absence_withdraw", args=[absence.pk]), follow=True)
    assert [m.level for m in messages_of(response)] == [constants.SUCCESS]
    absence.refresh_from_db()
    assert absence.state == Decision.CANCELLED
    assert reverse("worktime:absence_withdraw", args=[absence.pk]) not in (
        response.content.decode())


def test_leave_beyond_the_days_left_is_refused_with_a_message(staff):
    client = client_of(staff, staff.emil)
    first = timezone.localdate().replace(month=1, day=1)
    response = request_leave(client, first, first.replace(month=12, day=31))
    [message] = messages_of(response)
    assert message.level == constants.ERROR
    assert "30" in str(message)  # the days left
    with authority_context(staff.authority):
        assert not Absence.objects.filter(employee__user=staff.emil).exists()


def test_the_lead_approves_and_the_account_counts_the_days_as_planned(staff):
    client = client_of(staff, staff.emil)
    monday = next_monday()
    request_leave(client, monday, monday + timedelta(days=1))
    with authority_context(staff.authority):
        absence = Absence.objects.get(employee__user=staff.emil)
    lead = client_of(staff, staff.lead_a)
    response = lead.post(
        reverse("worktime:team_absence_decide", args=[staff.team_a.pk, absence.pk]),
        {f"absence-{absence.pk}-decision": "approve"}, follow=True)
    assert [m.level for m in messages_of(response)] == [constants.SUCCESS]
    absence.refresh_from_db()
    assert absence.state == Decision.APPROVED
    html = client.get(ABSENCES).content.decode()
    year = monday.year
    days = int(absence.days)
    assert figure(html, year, "planned") == str(days)
    assert figure(html, year, "remaining") == str(30 - days)
    # Approved leave not begun may still be withdrawn.
    assert reverse("worktime:absence_withdraw", args=[absence.pk]) in html


def test_declining_needs_a_reason_which_the_employee_then_reads(staff):
    client = client_of(staff, staff.emil)
    monday = next_monday()
    request_leave(client, monday, monday, kind=AbsenceKind.TRAINING)
    with authority_context(staff.authority):
        absence = Absence.objects.get(employee__user=staff.emil)
    lead = client_of(staff, staff.lead_a)
    url = reverse("worktime:team_absence_decide", args=[staff.team_a.pk, absence.pk])
    response = lead.post(url, {f"absence-{absence.pk}-decision": "decline"}, follow=True)
    assert [m.level for m in messages_of(response)] == [constants.ERROR]
    absence.refresh_from_db()
    assert absence.state == Decision.REQUESTED
    lead.post(url, {f"absence-{absence.pk}-decision": "decline",
                    f"absence-{absence.pk}-reason": "Die Schulung ist ausgebucht."})
    absence.refresh_from_db()
    assert absence.state == Decision.DECLINED
    html = client.get(ABSENCES).content.decode()
    assert "Die Schulung ist ausgebucht." in html
    assert reverse("worktime:absence_withdraw", args=[absence.pk]) not in html


def test_sickness_is_recorded_with_its_days_only(staff):
    client = client_of(staff, staff.emil)
    html = client.get(ABSENCES).content.decode()
    sickness = html.split('id="sickness-heading"', 1)[1].split("</section>", 1)[0]
    names = set(re.findall(r'name="([^"]+)"', sickness))
    assert names == {"csrfmiddlewaretoken", "sickness-first_day", "sickness-last_day"}
    assert "<textarea" not in sickness
    today = timezone.localdate()
    response = client.post(reverse("worktime:absence_request"), {
        "sickness-first_day": today.strftime("%d.%m.%Y"),
        "sickness-last_day": today.strftime("%d.%m.%Y")}, follow=True)
    assert response.status_code == 200
    with authority_context(staff.authority):
        absence = Absence.objects.get(employee__user=staff.emil)
    assert (absence.kind, absence.state) == (AbsenceKind.SICKNESS, Decision.APPROVED)


def test_a_form_with_mistakes_is_shown_again_with_its_messages(staff):
    response = client_of(staff, staff.emil).post(reverse("worktime:absence_request"), {
        "kind": "leave", "first_day": "31.02.2030", "last_day": ""})
    assert response.status_code == 400
    assert 'class="kern-alert kern-alert--danger error-summary"' in response.content.decode()
    with authority_context(staff.authority):
        assert not Absence.objects.exists()


def test_someone_who_records_no_time_finds_no_absences_page(staff, town):
    from tests.factories import make_staff

    with authority_context(town):
        from rathaus.authorities.models import Department

        department = Department.objects.get(slug="buergerbuero")
    user, device = make_staff(town, departments=[department], email="neu@leichlingen.example")
    client = office_client(user, device)
    assert client.get(ABSENCES).status_code == 404
    assert client.post(reverse("worktime:absence_request"), {}).status_code == 404


def test_past_leave_is_credited_and_moves_the_balance(staff):
    """Leave for past days without entries: each day counts as worked."""
    emil = staff.employee(staff.emil)
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday() + 7)
    with authority_context(staff.authority):
        balances.recompute_days(emil, monday, today - timedelta(days=1))
        before = balances.balance_until(emil, today - timedelta(days=1))
    client = client_of(staff, staff.emil)
    request_leave(client, monday, monday + timedelta(days=1))
    with authority_context(staff.authority):
        absence = Absence.objects.get(employee__user=staff.emil)
        absences.decide_absence(actor=staff.lead_a, absence=absence, approve=True)
        after = balances.balance_until(emil, today - timedelta(days=1))
    assert after - before == 468 * absence.days > 0
