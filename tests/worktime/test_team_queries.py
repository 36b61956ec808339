"""The team lead's overview and calendar cost the same number of queries however many
members the team has: the looks are logged together (one chain-head lock, one insert
of each kind), and the figures are computed for all members at once with the same
results as one member at a time."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rathaus.audit.models import AccessLogEntry, AuditChain, AuditEntry
from rathaus.audit.services import record_access, record_accesses
from rathaus.audit.verification import verify_all
from rathaus.authorities.tenancy import authority_context
from rathaus.worktime import absences, balances, configuration, selectors
from rathaus.worktime.models import (
    Absence,
    AbsenceKind,
    Correction,
    Decision,
    Employee,
    Entry,
    LeaveAccount,
    MonthClosing,
)

from .conftest import last_month, make_person, record_day, working_days_of
from .test_absence_pages import client_of

pytestmark = pytest.mark.django_db


def _grow(staff, count: int, start: int = 0) -> list[Employee]:
    """`count` more members of team A, each with a month of work (one day too long, one
    without a break), leave taken last year and this, a pending request, a correction
    waiting and a confirmed last month."""
    office = staff.team_a
    added = []
    for number in range(start, start + count):
        user, device = make_person(staff.authority, f"mitglied{number}@leichlingen.example",
                                   "Mitglied", f"Nummer {number}", [])
        staff.devices[user.email] = device
        with authority_context(staff.authority):
            employee = configuration.enrol_employee(
                actor=staff.hr, user=user, team=office, time_model=staff.full_time,
                personnel_number=f"2{number:03}", starts_on=date(2024, 1, 1))
        added.append(employee)
        month = last_month()
        days = working_days_of(month, staff.full_time.daily_minutes)
        record_day(staff, user, days[0], ("06:00", "17:30"))  # more than 10 hours
        record_day(staff, user, days[1], ("08:00", "15:00"))  # no break
        with authority_context(staff.authority):
            year = timezone.localdate().year
            Absence.objects.create(employee=employee, kind=AbsenceKind.LEAVE,
                                   first_day=date(year - 1, 12, 22),
                                   last_day=date(year, 1, 9), days=10, state=Decision.APPROVED)
            soon = timezone.localdate() + timedelta(days=60 + number)
            Absence.objects.create(employee=employee, kind=AbsenceKind.LEAVE, first_day=soon,
                                   last_day=soon, days=1)
            entry = Entry.objects.filter(employee=employee).first()
            Correction.objects.create(employee=employee, entry=entry,
                                      started_at=entry.started_at,
                                      ended_at=entry.ended_at + timedelta(minutes=30),
                                      reason="Nachtrag")
            MonthClosing.objects.create(employee=employee, month=month, state="confirmed")
    return added


def _queries(client, url) -> int:
    client.get(url)  # warm: the session, the leave accounts opened on first view
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("page", ["team", "calendar"])
def test_a_team_page_queries_the_same_whatever_the_number_of_members(staff, page):
    today = timezone.localdate()
    url = (reverse("worktime:team", args=[staff.team_a.pk]) if page == "team" else
           reverse("worktime:team_calendar", args=[staff.team_a.pk, today.year, today.month]))
    lead = client_of(staff, staff.lead_a)
    _grow(staff, 1)
    small = _queries(lead, url)
    _grow(staff, 3, start=1)
    # Three more members, each with their work, leave, requests and closing.
    assert _queries(lead, url) == small


def test_the_figures_of_all_members_are_those_of_each_member_alone(staff):
    members = [staff.employee(staff.emil), staff.employee(staff.paula), *_grow(staff, 3)]
    today = timezone.localdate()
    month = today.replace(day=1)
    day = working_days_of(last_month(), staff.full_time.daily_minutes)[3]
    record_day(staff, staff.emil, day, ("05:00", "16:30"))
    with authority_context(staff.authority):
        LeaveAccount.objects.create(employee=members[1], year=today.year - 1,
                                    entitlement_days=Decimal("18.0"),
                                    carried_over_days=Decimal("4.5"),
                                    carry_over_expires=date(today.year - 1, 3, 31))
        # One by one, as the overview did: the accounts each opens on the way.
        with transaction.atomic():
            one_by_one = {member.pk: absences.leave_status(member, today.year, on=today)
                          for member in members}
            opened = _accounts()
            transaction.set_rollback(True)
        assert not LeaveAccount.objects.filter(year=today.year).exists()
        together = absences.leave_statuses(members, today.year, on=today)
        assert together == one_by_one
        assert _accounts() == opened
        # Read again once opened: the same.
        assert absences.leave_statuses(members, today.year, on=today) == one_by_one

        yesterday = today - timedelta(days=1)
        assert balances.balances_until(members, yesterday) == {
            member.pk: balances.balance_until(member, yesterday) for member in members}
        for shown in (month, last_month()):
            found = selectors.month_findings(members, shown)
            assert found == {member.pk: selectors.month_view(member, shown,
                                                             clock_times=False).findings
                             for member in members}
        assert any(found[member.pk] for member in members)


def _accounts() -> set[tuple]:
    return {(account.employee_id, account.year, account.entitlement_days,
             account.carried_over_days, account.carry_over_expires)
            for account in LeaveAccount.objects.all()}


def test_looks_logged_together_chain_as_one_at_a_time(staff):
    members = [staff.employee(staff.emil), staff.employee(staff.paula),
               staff.employee(staff.olga)]
    with authority_context(staff.authority):
        record_access(staff=staff.lead_a, citizen=staff.olga, what="Einzeln", target=members[2])
        head = AuditChain.objects.get()
        logged = record_accesses(staff=staff.lead_a, accesses=[
            (member.user, f"Blick {number}", member) for number, member in enumerate(members)])
        assert record_accesses(staff=staff.lead_a, accesses=[]) == []
        record_access(staff=staff.lead_a, citizen=staff.emil, what="Danach")
        entries = list(AuditEntry.objects.filter(seq__gt=head.last_seq).order_by("seq"))
        assert [entry.seq for entry in entries] == list(range(head.last_seq + 1,
                                                              head.last_seq + 5))
        assert entries[0].prev_hash == head.last_hash
        for before, after in zip(entries, entries[1:], strict=False):
            assert after.prev_hash == before.hash
        assert AuditChain.objects.get().last_hash == entries[-1].hash
        for number, (row, member) in enumerate(zip(logged, members, strict=True)):
            stored = AccessLogEntry.objects.get(pk=row.pk)
            assert (stored.staff_id, stored.citizen_id, stored.what) == (
                staff.lead_a.pk, member.user_id, f"Blick {number}")
            assert (stored.object_type, stored.object_id) == ("worktime.employee", str(member.pk))
            assert stored.audit_entry == entries[number]
            assert entries[number].action == "personal_data.viewed"
            assert entries[number].data == {"citizen": member.user_id, "what": f"Blick {number}"}
    count, findings = verify_all()
    assert count and not findings
