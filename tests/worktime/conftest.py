"""A small town staff recording working time, made through the worktime services:
HR (the Personalamt, which keeps the configuration), two teams with a lead each, a
full-time and a part-time employee in the first team and one in the second.

Helpers of other test modules add their fixtures below; keep each one small."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from rathaus.accounts.models import StaffMembership, User
from rathaus.authorities.models import Department
from rathaus.authorities.tenancy import authority_context
from rathaus.worktime import configuration, recording, rules
from rathaus.worktime.models import Agreement, Employee
from tests.factories import PASSWORD

FULL_TIME = dict(name="Vollzeit 39 Std.", monday=468, tuesday=468, wednesday=468,
                 thursday=468, friday=468)
PART_TIME = dict(name="Teilzeit Mo–Mi 24 Std.", monday=480, tuesday=480, wednesday=480)
STARTS_ON = date(2024, 1, 1)


@dataclass
class Staff:
    """Everybody of the test town's working time; each person's TOTP device is in
    `devices` by e-mail."""

    authority: object
    hr: User
    lead_a: User
    emil: User  # full-time, team A
    paula: User  # part-time, team A
    lead_b: User
    olga: User  # team B
    devices: dict
    team_a: object
    team_b: object
    full_time: object
    part_time: object

    def employee(self, user) -> Employee:
        with authority_context(self.authority):
            return Employee.objects.select_related("team", "time_model", "user").get(user=user)


def make_person(authority, email, first, last, departments) -> tuple[User, TOTPDevice]:
    user = User.objects.create_user(email, PASSWORD, first_name=first, last_name=last,
                                    kind=User.Kind.STAFF)
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    with authority_context(authority):
        for department, role in departments:
            StaffMembership.objects.create(user=user, department=department, role=role)
    return user, device


def make_worktime_staff(authority) -> Staff:
    with authority_context(authority):
        personal = Department.objects.create(slug="personal", name="Personalamt")
        office = Department.objects.create(slug="buergerbuero", name="Bürgerbüro")
        order = Department.objects.create(slug="ordnungsamt", name="Ordnungsamt")
    people = {}
    for key, email, first, last, departments in (
            ("hr", "hanna.personal@leichlingen.example", "Hanna", "Personal",
             [(personal, "clerk")]),
            ("lead_a", "lea.leitung@leichlingen.example", "Lea", "Leitung",
             [(office, "team_lead")]),
            ("emil", "emil.eins@leichlingen.example", "Emil", "Eins", [(office, "clerk")]),
            ("paula", "paula.teil@leichlingen.example", "Paula", "Teil", [(office, "clerk")]),
            ("lead_b", "bernd.bezirk@leichlingen.example", "Bernd", "Bezirk",
             [(order, "team_lead")]),
            ("olga", "olga.ordnung@leichlingen.example", "Olga", "Ordnung",
             [(order, "clerk")])):
        people[key] = make_person(authority, email, first, last, departments)
    hr = people["hr"][0]
    with authority_context(authority):
        configuration.agreement()
        Agreement.objects.update(hr_department=personal)
        full = configuration.save_time_model(actor=hr, values=FULL_TIME)
        part = configuration.save_time_model(actor=hr, values=PART_TIME)
        team_a = configuration.save_team(actor=hr, name="Bürgerbüro", leads=[people["lead_a"][0]])
        team_b = configuration.save_team(actor=hr, name="Ordnungsamt", leads=[people["lead_b"][0]])
        management = configuration.save_team(actor=hr, name="Amtsleitung", leads=[])
        for number, (key, team, model) in enumerate((
                ("emil", team_a, full), ("paula", team_a, part), ("olga", team_b, full),
                ("lead_a", management, full), ("lead_b", management, full),
                ("hr", management, full)), start=1001):
            configuration.enrol_employee(actor=hr, user=people[key][0], team=team, time_model=model,
                                         personnel_number=str(number), starts_on=STARTS_ON)
    return Staff(authority=authority, hr=hr, lead_a=people["lead_a"][0],
                 emil=people["emil"][0], paula=people["paula"][0],
                 lead_b=people["lead_b"][0], olga=people["olga"][0],
                 devices={user.email: device for user, device in people.values()},
                 team_a=team_a, team_b=team_b, full_time=full, part_time=part)


@pytest.fixture
def staff(town) -> Staff:
    return make_worktime_staff(town)


def at(day: date, clock: str) -> datetime:
    """An aware moment of a local date, "HH:MM"."""
    hour, minute = map(int, clock.split(":"))
    return datetime.combine(day, time(hour, minute), rules.local_zone())


def last_month() -> date:
    return (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)


def working_days_of(month: date, model_minutes) -> list[date]:
    """The month's days on which the model asks for work (NRW holidays skipped)."""
    last = rules.month_end(month)
    return rules.working_days(month, last, model_minutes, rules.holidays_between(month, last))


def record_day(staff: Staff, user, day: date, *pairs: tuple[str, str], reason="Nachtrag"):
    """Enter a day's work afterwards as stretches ("07:30", "12:00"), ...."""
    employee = staff.employee(user)
    with authority_context(staff.authority):
        for start, end in pairs:
            recording.add_entry(actor=user, employee=employee, started_at=at(day, start),
                                ended_at=at(day, end), place="office", reason=reason)
