"""Working time of 500 employees over three years (issue 20), on SQLite and PostgreSQL.

How it is measured, for each database (SQLite always; PostgreSQL on the server of
--database-url / BENCH_DATABASE_URL, else the local default, unless BENCH_DATABASE=sqlite;
BENCH_WORKTIME_SKIP_SQLITE=1 measures PostgreSQL alone):

1. A fresh instance (`rathaus setup`, the demo with its working time), then EMPLOYEES
   staff accounts (BENCH_WORKTIME_EMPLOYEES=N for another number) enrolled in teams of
   ten, most full-time, some part-time, recording since three years ago: on each working
   day two stretches with a break between (a start between 06:45 and 08:30, the model's
   minutes give or take half an hour), some of them mobile work; per year about 30 days
   of leave in blocks, a few days of sickness and training; every past month closed.
   Bulk inserts (the services would take hours, and entries years back cannot be
   clocked); then ANALYZE.
2. The day balances of the three years: `balances.compute_balances` in batches of
   BATCH employees over the whole range, timed on its own (informational).
3. The month view: `selectors.month_view(employee, month, clock_times=True)` of ROUNDS
   random employees and months in a Django process, and the employee's month page
   /verwaltung/arbeitszeit/monat/<year>-<month>/ of random months as LOGINS random
   employees through Django's test client (target p95 < 100 ms each), and the same
   over HTTP against gunicorn after a real login (password and TOTP; informational:
   it adds the server and the network).
4. The daily balance run for everybody: `balances.run_daily_balances(day)` of the last
   working day before today, as the worker does it once a day. Target < 30 s.
"""

import json
import os
import random
import statistics
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import _instance
from _instance import Browser, gunicorn, run_child

EMPLOYEES = 500
YEARS = 3
ROUNDS = 200
LOGINS = 5
BATCH = 50
SEED = 20
TARGET_MS = 100.0
TARGET_RUN_S = 30.0
PASSWORD = "Bench-Arbeitszeit-2026!"


def run(options) -> list[dict]:
    n = int(os.environ.get("BENCH_WORKTIME_EMPLOYEES", EMPLOYEES))
    rows = [{"metric": "setup", "value": f"{n:,} employees × {YEARS} years of entries "
                                         f"(two a working day), absences, closed months; "
                                         f"{ROUNDS} rounds"}]
    for database, url in _instance.databases(options, "BENCH_WORKTIME_SKIP_SQLITE"):
        rows += _measure(database, url, n)
    return rows


def _measure(database: str, server_url: str | None, n: int) -> list[dict]:
    with ExitStack() as stack:
        tmp, env = _instance.scratch_instance(stack, database, server_url,
                                              RATHAUS_MAP_TILE_URL="")
        prepared = run_child(__file__, ["prepare", str(n)], env, tmp, timeout=3600)
        print(f"   [{database}] {prepared['employees']:,} employees, {prepared['entries']:,} "
              f"entries, {prepared['absences']:,} absences in {prepared['seconds']:.0f} s",
              flush=True)
        balances = run_child(__file__, ["balances", str(BATCH)], env, tmp, timeout=7200)
        print(f"   [{database}] {balances['rows']:,} day balances in "
              f"{balances['seconds']:.1f} s", flush=True)
        selected = run_child(__file__, ["selectors", str(ROUNDS)], env, tmp, timeout=900)
        client = run_child(__file__, ["pages", str(ROUNDS)], env, tmp, timeout=900)
        daily = run_child(__file__, ["daily", "0"], env, tmp, timeout=900)
        print(f"   [{database}] daily run of {daily['day']}: {daily['rows']:,} employees in "
              f"{daily['seconds']:.2f} s", flush=True)
        base, _pid = stack.enter_context(gunicorn(env, tmp))
        rng = random.Random(SEED)  # noqa: S311  (a repeatable benchmark, no secret)
        browsers = []
        for person in prepared["logins"]:
            browser = Browser(base)
            _log_in(browser, person["email"], person["totp_key"])
            browsers.append((browser, person["months"]))
        for browser, months in browsers:  # warm-up: each worker loads code and translations
            _get(browser, _month_path(months[0]))
            _get(browser, _month_path(months[-1]))
        pages = []
        for _ in range(ROUNDS):
            browser, months = rng.choice(browsers)
            pages.append(_get(browser, _month_path(rng.choice(months))))

    p = _percentiles
    print(f"   [{database}] month view: selector {p(selected['times'])}, page (test client) "
          f"{p(client['times'])}, page over HTTP {p(pages)}", flush=True)
    target = f"< {TARGET_MS:g} ms"
    return [
        {"metric": f"[{database}] bulk insert of {prepared['entries']:,} entries and "
                   f"{prepared['absences']:,} absences",
         "value": round(prepared["seconds"], 1), "unit": "s"},
        {"metric": f"[{database}] day balances of {YEARS} years "
                   f"({balances['rows']:,} rows, balances.compute_balances by {BATCH})",
         "value": round(balances["seconds"], 1), "unit": "s"},
        {"metric": f"[{database}] month view: selectors.month_view (clock times) p95",
         "value": round(_p95(selected["times"]), 2), "unit": "ms", "target": target,
         "ok": _p95(selected["times"]) < TARGET_MS},
        {"metric": f"[{database}] month page, Django test client as the employee p95",
         "value": round(_p95(client["times"]), 2), "unit": "ms", "target": target,
         "ok": _p95(client["times"]) < TARGET_MS},
        {"metric": f"[{database}] month page over HTTP (gunicorn, logged-in employee) "
                   f"p50 / p95",
         "value": f"{statistics.median(pages):.1f} / {_p95(pages):.1f} ms"},
        {"metric": f"[{database}] daily balance run for all {daily['rows']:,} employees "
                   f"(balances.run_daily_balances)",
         "value": round(daily["seconds"], 2), "unit": "s", "target": f"< {TARGET_RUN_S:g} s",
         "ok": daily["seconds"] < TARGET_RUN_S},
    ]


def _month_path(month: str) -> str:
    year, number = month.split("-")
    return f"/verwaltung/arbeitszeit/monat/{int(year)}-{int(number)}/"


def _get(browser: Browser, path: str) -> float:
    status, _location, elapsed = browser.request("GET", path)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return elapsed


def _p95(values) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def _percentiles(values) -> str:
    return f"p50 {statistics.median(values):.1f} p95 {_p95(values):.1f} ms"


def _log_in(browser: Browser, email: str, key_hex: str) -> None:
    from bench_cemeteries import _totp

    browser.request("GET", "/verwaltung/anmelden/")
    status, _location, _ms = browser.post("/verwaltung/anmelden/", {
        "username": email, "password": PASSWORD, "otp_token": _totp(key_hex)})
    if status != 302:
        raise RuntimeError(f"the employee's login answered {status}")


# --- inside the child process (Django set up against the instance) --------------------------

MODELS = (  # name, minutes Monday to Friday, share of the staff
    ("Bench Vollzeit 39 Std.", (468, 468, 468, 468, 468), 0.8),
    ("Bench Teilzeit 50 %", (234, 234, 234, 234, 234), 0.15),
    ("Bench Teilzeit Mo–Mi", (480, 480, 480, 0, 0), 0.05),
)


def prepare(n: int) -> dict:
    """`n` staff accounts enrolled with three years of records, ANALYZE, and LOGINS of
    them with a TOTP device."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from rathaus.accounts.models import StaffMembership, User
    from rathaus.authorities.models import Authority, Department
    from rathaus.authorities.tenancy import authority_context
    from rathaus.worktime.models import Employee, Team, TimeModel

    started = time.monotonic()
    rng = random.Random(SEED)  # noqa: S311  (a repeatable benchmark, no secret)
    town = Authority.objects.get(slug="leichlingen")
    today = timezone.localdate()
    first = today.replace(year=today.year - YEARS, day=1)
    with authority_context(town), transaction.atomic():
        hashed, now = make_password(PASSWORD), timezone.now()
        users = User.objects.bulk_create([
            User(email=f"bench-zeit-{i:04d}@leichlingen.example", password=hashed,
                 first_name="Bench", last_name=f"Zeit{i:04d}", kind=User.Kind.STAFF,
                 email_verified_at=now) for i in range(n)], batch_size=500)
        department = Department.objects.get(slug="buergerbuero")
        StaffMembership.objects.bulk_create([
            StaffMembership(user=user, department=department, role="clerk") for user in users],
            batch_size=500)
        models = [(TimeModel.objects.create(name=name, **dict(zip(
            ("monday", "tuesday", "wednesday", "thursday", "friday"), minutes, strict=True))),
            share) for name, minutes, share in MODELS]
        teams = Team.objects.bulk_create([Team(name=f"Bench-Team {t:03d}")
                                          for t in range((n + 9) // 10)])
        employees = Employee.objects.bulk_create([
            Employee(user=user, team=teams[i // 10], personnel_number=f"B{i:05d}",
                     time_model=rng.choices([m for m, _s in models],
                                            [s for _m, s in models])[0],
                     starts_on=first) for i, user in enumerate(users)], batch_size=500)
    entries = absences = 0
    with authority_context(town):
        for start in range(0, len(employees), 25):
            with transaction.atomic():
                made = _records(employees[start:start + 25], first, today, rng)
            entries += made[0]
            absences += made[1]
        logins = []
        for employee in rng.sample(employees, min(LOGINS, len(employees))):
            device = TOTPDevice.objects.create(user=employee.user, name="bench", confirmed=True)
            months = sorted({f"{d.year}-{d.month:02d}" for d in _days(first, today)})
            logins.append({"email": employee.user.email, "totp_key": device.key,
                           "months": months})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"employees": len(employees), "entries": entries, "absences": absences,
            "logins": logins, "seconds": time.monotonic() - started}


def _days(first, last):
    from datetime import timedelta

    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _records(employees, first, today, rng) -> tuple[int, int]:
    """The employees' entries, absences and closed months from `first` to yesterday."""
    from datetime import datetime, timedelta
    from decimal import Decimal

    from rathaus.worktime import rules
    from rathaus.worktime.configuration import holidays
    from rathaus.worktime.models import (
        Absence,
        AbsenceKind,
        ClosingState,
        Decision,
        Entry,
        MonthClosing,
        Place,
    )

    zone = rules.local_zone()
    yesterday = today - timedelta(days=1)
    days_off = holidays(first, yesterday)
    minute = timedelta(minutes=1)
    entries, absences, closings = [], [], []
    for employee in employees:
        daily = employee.time_model.daily_minutes
        working = rules.working_days(first, yesterday, daily, days_off)
        away = set()
        for year in range(first.year, today.year + 1):
            of_year = [d for d in working if d.year == year]
            for kind, blocks, length in ((AbsenceKind.LEAVE, 4, (5, 9)),
                                         (AbsenceKind.SICKNESS, 2, (1, 3)),
                                         (AbsenceKind.TRAINING, 1, (1, 2))):
                for _ in range(blocks):
                    if len(of_year) < 15:
                        break
                    begin = rng.randrange(len(of_year) - 10)
                    block = of_year[begin:begin + rng.randint(*length)]
                    if away.intersection(block):
                        continue
                    away.update(block)
                    absences.append(Absence(
                        employee=employee, kind=kind, first_day=block[0], last_day=block[-1],
                        days=Decimal(len(block)), state=Decision.APPROVED))
        mobile_day = rng.choice((None, 2, 4))
        for day in working:
            if day in away:
                continue
            midnight = datetime.combine(day, datetime.min.time(), zone)
            begin = midnight + (405 + rng.randrange(0, 106, 5)) * minute
            worked = (daily[day.weekday()] + rng.randrange(-30, 31, 5)) * minute
            place = Place.MOBILE if day.weekday() == mobile_day else Place.OFFICE
            if worked <= 360 * minute:
                entries.append(Entry(employee=employee, started_at=begin,
                                     ended_at=begin + worked, place=place))
                continue
            morning = (240 + rng.randrange(0, 61, 5)) * minute
            pause = (30 + rng.randrange(0, 16, 5)) * minute
            entries.append(Entry(employee=employee, started_at=begin,
                                 ended_at=begin + morning, place=place))
            entries.append(Entry(employee=employee, started_at=begin + morning + pause,
                                 ended_at=begin + worked + pause, place=place))
        month = first
        while rules.month_end(month) < today:
            closings.append(MonthClosing(employee=employee, month=month,
                                         state=ClosingState.CLOSED))
            month = rules.month_end(month) + timedelta(days=1)
    Entry.objects.bulk_create(entries, batch_size=2000)
    Absence.objects.bulk_create(absences, batch_size=2000)
    MonthClosing.objects.bulk_create(closings, batch_size=2000)
    return len(entries), len(absences)


def balances(batch: int) -> dict:
    """The three years' day balances of every employee, `batch` at a time."""
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from rathaus.authorities.models import Authority
    from rathaus.authorities.tenancy import authority_context
    from rathaus.worktime.balances import compute_balances
    from rathaus.worktime.models import Employee

    town = Authority.objects.get(slug="leichlingen")
    with authority_context(town):
        employees = list(Employee.objects.filter(personnel_number__startswith="B")
                         .select_related("time_model").order_by("pk"))
        first = min(e.starts_on for e in employees)
        last = timezone.localdate() - timedelta(days=1)
        started = time.monotonic()
        rows = 0
        for start in range(0, len(employees), batch):
            with transaction.atomic():
                rows += compute_balances(employees[start:start + batch], first, last)
        seconds = time.monotonic() - started
    return {"rows": rows, "seconds": seconds}


def selectors(rounds: int) -> dict:
    """`rounds` month views of random employees and months, with their clock times."""
    from django.utils import timezone

    from rathaus.authorities.models import Authority
    from rathaus.authorities.tenancy import authority_context
    from rathaus.worktime import selectors as worktime_selectors
    from rathaus.worktime.models import Employee

    rng = random.Random(SEED)  # noqa: S311  (a repeatable benchmark, no secret)
    town = Authority.objects.get(slug="leichlingen")
    times = []
    with authority_context(town):
        pks = list(Employee.objects.filter(personnel_number__startswith="B")
                   .values_list("pk", flat=True))
        today = timezone.localdate()
        months = sorted({day.replace(day=1) for day in _days(
            today.replace(year=today.year - YEARS, day=1), today)})
        for _ in range(rounds + 1):
            started = time.perf_counter()
            # The page's own question first: the employee of the logged-in user.
            employee = Employee.objects.select_related("team", "time_model", "user").get(
                pk=rng.choice(pks))
            view = worktime_selectors.month_view(employee, rng.choice(months), clock_times=True)
            times.append((time.perf_counter() - started) * 1000)
            assert view.rows
    return {"times": times[1:]}


def pages(rounds: int) -> dict:
    """`rounds` month pages of the employees with a TOTP device, each as themself, through
    Django's test client (the whole request: middleware, view, template; no network)."""
    from django.test import Client
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    rng = random.Random(SEED)  # noqa: S311  (a repeatable benchmark, no secret)
    clients = []
    for device in TOTPDevice.objects.filter(name="bench").select_related("user"):
        client = Client(HTTP_HOST="leichlingen.localhost")
        client.force_login(device.user)
        session = client.session
        session["otp_device_id"] = device.persistent_id  # as django_otp.login() leaves it
        session.save()
        clients.append(client)
    today = timezone.localdate()
    months = sorted({day.replace(day=1) for day in _days(
        today.replace(year=today.year - YEARS, day=1), today)})
    times = []
    for round_number in range(rounds + len(clients)):
        client = clients[round_number % len(clients)] if round_number < len(clients) else (
            rng.choice(clients))
        month = rng.choice(months)
        started = time.perf_counter()
        response = client.get(_month_path(f"{month.year}-{month.month}"))
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"the month page answered {response.status_code}")
        if round_number >= len(clients):  # the first of each is its warm-up
            times.append(elapsed)
    return {"times": times}


def daily(_unused: int) -> dict:
    """The worker's daily run for every employee, of the last working day (Monday to
    Friday: a Sunday's run reads no entries)."""
    from datetime import timedelta

    from django.utils import timezone

    from rathaus.authorities.models import Authority
    from rathaus.authorities.tenancy import authority_context
    from rathaus.worktime.balances import run_daily_balances

    day = timezone.localdate() - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    town = Authority.objects.get(slug="leichlingen")
    with authority_context(town):
        started = time.monotonic()
        rows = run_daily_balances(day)
        seconds = time.monotonic() - started
    return {"rows": rows, "seconds": seconds, "day": day.isoformat()}


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        import django

        django.setup()
        steps = {"prepare": prepare, "balances": balances, "selectors": selectors,
                 "pages": pages, "daily": daily}
        print(json.dumps(steps[sys.argv[2]](int(sys.argv[3])), default=str))
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from run import main

        sys.exit(main(["--only", Path(__file__).stem, *sys.argv[1:]]))
