"""The demo town's working time: its Dienstvereinbarung (the Personalamt keeps it), three
time models, Rosenmontag as a local day off, four teams with their leads, the demo staff
enrolled, and about three months of plausible records.

The configuration, the absences and the closings go through the services (each with its
audit entry); the daily entries are written in bulk with their first revision, as the
clocking would have left them, and their figures computed once at the end: a few
seconds, not minutes. Every person is fictional; the records follow a fixed seed.

What the demo shows: most days 07:00–16:00 with a break of 30 to 45 minutes, mobile
work and field work on some days, a few days the checks warn about (no break after
more than six hours, more than ten hours, a council meeting until late with less than
eleven hours of rest after), approved leave, training, sickness and one request
waiting for Erika Mustermann (lead of the Steueramt), and last month confirmed by one
employee and closed by the lead of another (whose sheet the worker writes).
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from rathaus.accounts.models import User
from rathaus.authorities.models import Department

from . import absences, balances, configuration, rules
from .closing import close_month, confirm_month
from .models import (
    AbsenceKind,
    Agreement,
    Employee,
    Entry,
    EntryRevision,
    LeaveAccount,
    Place,
    Source,
)

SEED = 20
MONTHS = 3  # recorded: the three months before this one and this month until yesterday

WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday")
FULL_TIME = {"name": "Vollzeit 39 Std.", **{day: 468 for day in WEEK}}  # 7:48 a day
HALF_TIME = {"name": "Teilzeit 50 % (Mo–Fr)", **{day: 234 for day in WEEK}}  # 3:54
THREE_DAYS = {"name": "Teilzeit Mo–Mi 8:00", "monday": 480, "tuesday": 480, "wednesday": 480}

# Team: its leads (by e-mail).
TEAMS = {
    "Bürgerbüro": ["admin@leichlingen.example"],
    "Steueramt": ["erika.mustermann@leichlingen.example"],
    "Friedhof und Grün": ["admin@leichlingen.example"],
    # Two leads, each deciding the other's requests.
    "Personal": ["admin@leichlingen.example", "petra.personal@leichlingen.example"],
}

# E-mail: team, time model, personnel number, opening balance (minutes), place pattern.
EMPLOYEES = {
    "erika.mustermann@leichlingen.example": ("Bürgerbüro", "full", "10021", 390, "mobile_friday"),
    "otto.normalverbraucher@leichlingen.example": ("Bürgerbüro", "full", "10032", 0, "office"),
    "max.mustermann@leichlingen.example": ("Steueramt", "full", "10047", -120, "mobile_wednesday"),
    "lieschen.mueller@leichlingen.example": ("Friedhof und Grün", "half", "10058", 45, "outside"),
    "jonas.stein@leichlingen.example": ("Friedhof und Grün", "full", "10063", 0, "outside"),
    "admin@leichlingen.example": ("Personal", "full", "10010", 1200, "office"),
    "registratur@leichlingen.example": ("Personal", "three", "10074", 0, "office"),
    "petra.personal@leichlingen.example": ("Personal", "full", "10086", 210, "mobile_friday"),
}
HR = "petra.personal@leichlingen.example"
WITH_PENDING_REQUEST = "max.mustermann@leichlingen.example"  # Erika decides it
CLOSED_BY_LEAD = "max.mustermann@leichlingen.example"  # last month closed by Erika
CONFIRMED_ONLY = "otto.normalverbraucher@leichlingen.example"  # waits for Hans Beispiel


def rosenmontag(year: int) -> date:
    return rules.easter_sunday(year) - timedelta(days=48)


@transaction.atomic
def set_up_demo_worktime(*, today: date | None = None) -> bool:
    """The demo's working time in the active authority, unless it records working time
    already; returns whether it was set up now."""
    if Employee.objects.exists():
        return False
    today = today or timezone.localdate()
    people = {user.email: user for user in User.objects.filter(
        email__in=set(EMPLOYEES) | {lead for leads in TEAMS.values() for lead in leads})}
    hr = people[HR]
    # The installation names the HR department once (as an administrator would);
    # from then on the Personalamt keeps the configuration through the services.
    configuration.agreement()
    Agreement.objects.update(hr_department=Department.objects.get(slug="personal"))
    models = {key: configuration.save_time_model(actor=hr, values=values) for key, values in (
        ("full", FULL_TIME), ("half", HALF_TIME), ("three", THREE_DAYS))}
    configuration.add_local_holiday(actor=hr, day=rosenmontag(today.year),
                                    name="Rosenmontag (dienstfrei)")
    teams = {name: configuration.save_team(actor=hr, name=name,
                                           leads=[people[e] for e in leads if e in people])
             for name, leads in TEAMS.items()}
    start = _first_month(today)
    employees = {}
    for email, (team, model, number, opening, _places) in EMPLOYEES.items():
        if email not in people:  # an older demo whose account was deleted meanwhile
            continue
        employees[email] = configuration.enrol_employee(
            actor=hr, user=people[email], team=teams[team], time_model=models[model],
            personnel_number=number, starts_on=start, opening_balance_minutes=opening)
    _leave_accounts(employees, today)
    away = _absences(employees, people, start, today)
    _entries(employees, people, start, today, away)
    balances.compute_balances(
        Employee.objects.select_related("time_model").order_by("pk"), start,
        today - timedelta(days=1))
    _closings(employees, people, today)
    return True


def _first_month(today: date) -> date:
    month = today.replace(day=1)
    for _ in range(MONTHS):
        month = (month - timedelta(days=1)).replace(day=1)
    return month


def _last_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def _working_days(employee: Employee, first: date, last: date) -> list[date]:
    return absences.absence_days(employee, first, last)


def _leave_accounts(employees: dict, today: date) -> None:
    """This year's accounts; some carry days over from last year."""
    for email, employee in employees.items():
        account = absences.leave_account(employee, today.year)
        if email in (CLOSED_BY_LEAD, "erika.mustermann@leichlingen.example"):
            LeaveAccount.objects.filter(pk=account.pk).update(carried_over_days=Decimal("4.0"))


def _absences(employees: dict, people: dict, start: date, today: date) -> dict[str, set[date]]:
    """Leave approved by the team lead, training, sickness and a request still open;
    returns each employee's days away (no entries on them)."""
    away = {email: set() for email in employees}
    last = _last_month(today)
    before_last = _last_month(last)

    def days_of(email, first_day, count):
        days = _working_days(employees[email], first_day, first_day + timedelta(days=20))
        return days[:count]

    plans = [  # e-mail, kind, first working day on or after, working days, decided by
        ("max.mustermann@leichlingen.example", AbsenceKind.LEAVE, before_last + timedelta(days=7),
         5, "erika.mustermann@leichlingen.example"),
        ("otto.normalverbraucher@leichlingen.example", AbsenceKind.LEAVE, last + timedelta(days=3),
         3, "admin@leichlingen.example"),
        ("erika.mustermann@leichlingen.example", AbsenceKind.LEAVE, start + timedelta(days=10),
         4, "admin@leichlingen.example"),
        ("registratur@leichlingen.example", AbsenceKind.TRAINING, last + timedelta(days=8), 1,
         "petra.personal@leichlingen.example"),
        ("lieschen.mueller@leichlingen.example", AbsenceKind.FLEXITIME_DAY,
         start + timedelta(days=20), 1, "admin@leichlingen.example"),
        ("jonas.stein@leichlingen.example", AbsenceKind.SICKNESS, last + timedelta(days=14), 2,
         None),
    ]
    for email, kind, after, count, lead in plans:
        if email not in employees or (lead is not None and lead not in people):
            continue
        days = [day for day in days_of(email, after, count) if day < today]
        if not days:
            continue
        employee = employees[email]
        absence = absences.request_absence(actor=people[email], employee=employee, kind=kind,
                                           first_day=days[0], last_day=days[-1])
        if lead is not None:
            absences.decide_absence(actor=people[lead], absence=absence, approve=True)
        away[email].update(days)
    if WITH_PENDING_REQUEST not in employees:
        return away
    # A week of leave next month, waiting for the Steueramt's lead.
    following = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    requested = _working_days(employees[WITH_PENDING_REQUEST], following + timedelta(days=7),
                              following + timedelta(days=13))
    absences.request_absence(actor=people[WITH_PENDING_REQUEST],
                             employee=employees[WITH_PENDING_REQUEST], kind=AbsenceKind.LEAVE,
                             first_day=requested[0], last_day=requested[-1])
    return away


def _entries(employees: dict, people: dict, start: date, today: date,
             away: dict[str, set[date]]) -> None:
    """Every working day's stretches from `start` until yesterday, in bulk, each with
    its first revision (as clocking in and out leaves it)."""
    rng = random.Random(SEED)  # noqa: S311  (repeatable demo data, no secret)
    zone = rules.local_zone()
    entries, authors = [], []
    for email, employee in employees.items():
        pattern = EMPLOYEES[email][4]
        days = [d for d in _working_days(employee, start, today - timedelta(days=1))
                if d not in away[email]]
        # The days the checks find something on: a few, different for each person.
        unusual = dict(zip(rng.sample(days, min(3, len(days))),
                           ("no_break", "long", "late"), strict=False))
        for day in days:
            target = employee.time_model.daily_minutes[day.weekday()]
            place = _place(pattern, day, rng)
            for begin, end in _day_stretches(target, unusual.get(day), rng):
                entries.append(Entry(
                    employee=employee, place=place, source=Source.WEB,
                    started_at=datetime.combine(day, time(0), zone) + begin,
                    ended_at=datetime.combine(day, time(0), zone) + end))
                authors.append(people[email])
    made = Entry.objects.bulk_create(entries, batch_size=1000)
    EntryRevision.objects.bulk_create(
        [EntryRevision(entry=entry, version=1, started_at=entry.started_at,
                       ended_at=entry.ended_at, place=entry.place, changed_by=author)
         for entry, author in zip(made, authors, strict=True)], batch_size=1000)


def _place(pattern: str, day: date, rng: random.Random) -> str:
    if pattern == "mobile_friday" and day.weekday() == 4 and rng.random() < 0.7:
        return Place.MOBILE
    if pattern == "mobile_wednesday" and day.weekday() == 2 and rng.random() < 0.5:
        return Place.MOBILE
    if pattern == "outside" and rng.random() < 0.4:
        return Place.OUTSIDE
    return Place.OFFICE


def _day_stretches(target: int, unusual: str | None, rng: random.Random
                   ) -> list[tuple[timedelta, timedelta]]:
    """A day's stretches as offsets from midnight: a start around a quarter past seven,
    the model's minutes give or take half an hour, and a break of 30 to 45 minutes
    (none on a short day)."""
    minutes = timedelta(minutes=1)
    begin = (7 * 60 + 15 + rng.choice((-30, -15, -10, 0, 0, 5, 15, 30, 45))) * minutes
    worked = (target + rng.choice((-30, -15, -5, 0, 0, 10, 15, 20, 30))) * minutes
    if unusual == "no_break":  # more than six hours with no break (§4)
        return [(begin, begin + max(worked, 400 * minutes))]
    if unusual == "long":  # more than ten hours (§3)
        worked = 640 * minutes
    if unusual == "late":  # a council meeting until late: short rest after (§5)
        begin, worked = 12 * 60 * minutes, max(worked, 520 * minutes)
    if worked <= 6 * 60 * minutes:
        return [(begin, begin + worked)]
    morning = (4 * 60 + rng.choice((15, 30, 45, 60))) * minutes
    pause = rng.choice((30, 30, 35, 40, 45)) * minutes
    if worked > 9 * 60 * minutes:
        pause = 45 * minutes
    return [(begin, begin + morning), (begin + morning + pause, begin + worked + pause)]


def _closings(employees: dict, people: dict, today: date) -> None:
    """Last month: confirmed by one employee (waiting for their lead), confirmed and
    closed for another (the worker writes its sheet)."""
    month = _last_month(today)
    if not {CLOSED_BY_LEAD, CONFIRMED_ONLY} <= set(employees):
        return
    closed = confirm_month(actor=people[CLOSED_BY_LEAD],
                           employee=employees[CLOSED_BY_LEAD], month=month)
    lead = employees[CLOSED_BY_LEAD].team.leads.first()
    if lead is not None:
        close_month(actor=lead, closing=closed)
    confirm_month(actor=people[CONFIRMED_ONLY], employee=employees[CONFIRMED_ONLY],
                  month=month)
