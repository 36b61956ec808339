"""HR keeps the configuration: the agreement, working-time models, local days off,
teams and the employees' enrolment. Bad input is refused with a message; nobody else
reaches the pages."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from rathaus.audit.models import AuditEntry
from rathaus.authorities.models import Department
from rathaus.authorities.tenancy import authority_context
from rathaus.worktime.models import Agreement, Employee, LocalHoliday, Team, TimeModel
from tests.factories import office_client

from .conftest import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr(staff):
    return office_client(staff.hr, staff.devices[staff.hr.email])


def _agreement_data(staff, **changes) -> dict:
    with authority_context(staff.authority):
        personal = Department.objects.get(slug="personal")
    return {"flex_start": "06:30", "flex_end": "19:00", "core_start": "09:00",
            "core_end": "12:00", "max_plus_hours": "30", "max_minus_hours": "10",
            "break_rule": "recorded", "reference_months": "6", "leave_days_full_time": "30,5",
            "carry_over": "30.04.", "retention_years": "3",
            "hr_department": str(personal.pk)} | changes


def _errors(response) -> list[str]:
    form = response.context["form"]
    return [str(error) for errors in form.errors.values() for error in errors]


def test_hr_saves_the_agreement(staff, hr):
    response = hr.post(reverse("worktime:settings"), _agreement_data(staff))
    assert response.status_code == 302
    with authority_context(staff.authority):
        agreement = Agreement.objects.get()
        assert AuditEntry.objects.filter(action="worktime.agreement_changed").exists()
    assert (agreement.max_plus_minutes, agreement.max_minus_minutes) == (1800, 600)
    assert (agreement.carry_over_day, agreement.carry_over_month) == (30, 4)
    assert str(agreement.leave_days_full_time) == "30.5"
    assert agreement.flex_start.hour == 6 and agreement.flex_start.minute == 30
    assert agreement.break_rule == "recorded" and agreement.retention_years == 3
    page = hr.get(reverse("worktime:settings"))
    assert page.status_code == 200 and 'value="30.04."' in page.content.decode()


@pytest.mark.parametrize("changes", [
    {"flex_start": "20:00"},  # the frame ends before it starts
    {"core_start": "05:00"},  # core hours outside the frame
    {"core_end": ""},  # one end of the core hours only
    {"carry_over": "31.02."},  # no such day
    {"reference_months": "13"},
    {"max_plus_hours": "-1"},
    {"flex_end": "25:00"},
])
def test_a_wrong_agreement_is_refused_with_a_message(staff, hr, changes):
    response = hr.post(reverse("worktime:settings"), _agreement_data(staff, **changes))
    assert response.status_code == 200 and _errors(response)
    with authority_context(staff.authority):
        assert Agreement.objects.get().max_plus_minutes == 40 * 60  # unchanged


def test_hr_cannot_lock_themselves_out_by_another_hr_department(staff, hr):
    with authority_context(staff.authority):
        other = Department.objects.get(slug="ordnungsamt")
    response = hr.post(reverse("worktime:settings"),
                       _agreement_data(staff, hr_department=str(other.pk)))
    assert response.status_code == 200 and _errors(response)


def test_hr_adds_and_edits_a_working_time_model(staff, hr):
    response = hr.post(reverse("worktime:settings_model_add"), {
        "name": "Teilzeit 4 Tage", "monday": "7:30", "tuesday": "7:30", "wednesday": "7:30",
        "thursday": "7:30", "friday": "", "saturday": "", "sunday": ""})
    assert response.status_code == 302
    with authority_context(staff.authority):
        model = TimeModel.objects.get(name="Teilzeit 4 Tage")
    assert model.daily_minutes == (450, 450, 450, 450, 0, 0, 0)
    listing = hr.get(reverse("worktime:settings_models")).content.decode()
    assert "30:00" in listing  # the weekly hours
    edit = hr.get(reverse("worktime:settings_model", args=[model.pk])).content.decode()
    assert 'value="7:30"' in edit
    hr.post(reverse("worktime:settings_model", args=[model.pk]), {
        "name": "Teilzeit 4 Tage", "monday": "8", "tuesday": "7:30", "wednesday": "7:30",
        "thursday": "7:30"})
    with authority_context(staff.authority):
        model.refresh_from_db()
    assert model.monday == 480


@pytest.mark.parametrize("data", [
    {"name": "Zu lang", "monday": "10:30"},  # more than §3 allows on a day
    {"name": "Falsch", "monday": "7:75"},
    {"name": "Leer"},
    {"name": "Vollzeit 39 Std.", "monday": "8:00"},  # the name is taken
])
def test_a_wrong_model_is_refused(staff, hr, data):
    response = hr.post(reverse("worktime:settings_model_add"), data)
    assert response.status_code == 200 and _errors(response)
    with authority_context(staff.authority):
        assert TimeModel.objects.count() == 2


def test_hr_adds_and_removes_a_local_day_off(staff, hr):
    response = hr.post(reverse("worktime:settings_holidays"),
                       {"day": "16.02.2026", "name": "Rosenmontag"})
    assert response.status_code == 302 and response.url.endswith("?jahr=2026")
    with authority_context(staff.authority):
        holiday = LocalHoliday.objects.get()
    again = hr.post(reverse("worktime:settings_holidays"),
                    {"day": "16.02.2026", "name": "doppelt"})
    assert again.status_code == 200 and _errors(again)  # the service's refusal
    page = hr.get(reverse("worktime:settings_holidays"), {"jahr": "2026"})
    with translation.override("en"):
        public = dict(page.context["public"])
    assert date(2026, 4, 6) in public and date(2026, 6, 4) in public  # Easter Monday, Corpus C.
    assert "Rosenmontag" in page.content.decode()
    response = hr.post(reverse("worktime:settings_holiday_remove", args=[holiday.pk]))
    assert response.status_code == 302
    with authority_context(staff.authority):
        assert not LocalHoliday.objects.exists()


def test_hr_adds_a_team_with_a_lead_by_e_mail(staff, hr):
    response = hr.post(reverse("worktime:settings_team_add"), {
        "name": "Bauamt", "leads": "LEA.leitung@leichlingen.example\n"})
    assert response.status_code == 302
    with authority_context(staff.authority):
        team = Team.objects.get(name="Bauamt")
        assert list(team.leads.all()) == [staff.lead_a]
    refused = hr.post(reverse("worktime:settings_team", args=[team.pk]), {
        "name": "Bauamt", "leads": "niemand@example.org"})
    assert refused.status_code == 200 and _errors(refused)
    taken = hr.post(reverse("worktime:settings_team_add"), {"name": "Ordnungsamt"})
    assert taken.status_code == 200 and _errors(taken)


def _newcomer(staff):
    with authority_context(staff.authority):
        office = Department.objects.get(slug="buergerbuero")
    user, _device = make_person(staff.authority, "neu.hier@leichlingen.example", "Nina", "Neu",
                                [(office, "clerk")])
    return user


def test_hr_enrols_a_staff_member_and_changes_the_team(staff, hr):
    user = _newcomer(staff)
    data = {"email": user.email, "personnel_number": "2001", "team": staff.team_a.pk,
            "time_model": staff.part_time.pk, "starts_on": "01.01.2026",
            "opening_balance": "-2:30"}
    assert hr.post(reverse("worktime:settings_employee_add"), data).status_code == 302
    with authority_context(staff.authority):
        employee = Employee.objects.get(user=user)
    assert (employee.personnel_number, employee.opening_balance_minutes) == ("2001", -150)
    assert employee.starts_on == date(2026, 1, 1)
    listing = hr.get(reverse("worktime:settings_employees")).content.decode()
    assert "Nina Neu" in listing and "2001" in listing
    response = hr.post(reverse("worktime:settings_employee", args=[employee.pk]),
                       {"team": staff.team_b.pk, "time_model": staff.full_time.pk})
    assert response.status_code == 302
    with authority_context(staff.authority):
        employee.refresh_from_db()
    assert (employee.team_id, employee.time_model_id) == (staff.team_b.pk, staff.full_time.pk)


@pytest.mark.parametrize("changes", [
    {"email": "emil.eins@leichlingen.example"},  # records time already
    {"email": "unbekannt@example.org"},  # no staff account here
    {"personnel_number": "1001"},  # taken (the service refuses)
    {"starts_on": "31.02.2026"},
    {"opening_balance": "zwei Stunden"},
])
def test_a_wrong_enrolment_is_refused(staff, hr, changes):
    user = _newcomer(staff)
    data = {"email": user.email, "personnel_number": "2001", "team": staff.team_a.pk,
            "time_model": staff.part_time.pk, "starts_on": "01.01.2026"} | changes
    response = hr.post(reverse("worktime:settings_employee_add"), data)
    assert response.status_code == 200 and _errors(response)
    with authority_context(staff.authority):
        assert not Employee.objects.filter(user=user).exists()


PAGES = [("settings", []), ("settings_models", []), ("settings_model_add", []),
         ("settings_holidays", []), ("settings_teams", []), ("settings_team_add", []),
         ("settings_employees", []), ("settings_employee_add", [])]


@pytest.mark.parametrize("who", ["emil", "lead_a", "olga"])
def test_nobody_but_hr_reaches_the_settings(staff, who):
    user = getattr(staff, who)
    client = office_client(user, staff.devices[user.email])
    for name, args in PAGES:
        assert client.get(reverse(f"worktime:{name}", args=args)).status_code == 404, name
    assert client.post(reverse("worktime:settings"), _agreement_data(staff)).status_code == 404
    with authority_context(staff.authority):
        model, team = TimeModel.objects.first(), Team.objects.first()
        employee = Employee.objects.first()
        holiday = LocalHoliday.objects.create(day=date(2026, 2, 16), name="Rosenmontag")
    for name, pk in (("settings_model", model.pk), ("settings_team", team.pk),
                     ("settings_employee", employee.pk),
                     ("settings_holiday_remove", holiday.pk)):
        assert client.post(reverse(f"worktime:{name}", args=[pk]), {}).status_code == 404, name
    with authority_context(staff.authority):
        assert LocalHoliday.objects.exists()


def test_every_settings_page_opens_for_hr(staff, hr):
    for name, args in PAGES:
        assert hr.get(reverse(f"worktime:{name}", args=args)).status_code == 200, name
