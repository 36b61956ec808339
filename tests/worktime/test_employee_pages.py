"""The employee's own pages: clocking, the month, entries afterwards with their
history, who looked; and who is sent elsewhere or finds nothing."""

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from rathaus.audit.services import record_access
from rathaus.authorities.models import Department
from rathaus.authorities.tenancy import authority_context
from rathaus.worktime import recording
from rathaus.worktime.closing import dispute_month
from rathaus.worktime.models import (
    ClosingState,
    Correction,
    Entry,
    EntryRevision,
    MonthClosing,
    Place,
    Team,
)
from tests.factories import office_client

from .conftest import at, last_month, make_person, record_day, working_days_of

pytestmark = pytest.mark.django_db

HOME = "/verwaltung/arbeitszeit/"


def client_of(staff, user):
    return office_client(user, staff.devices[user.email])


def client_id_on(page: str) -> str:
    return re.search(r'name="client_id" value="([0-9a-f-]{36})"', page).group(1)


def entries_of(staff, user):
    with authority_context(staff.authority):
        return list(Entry.objects.filter(employee__user=user, removed=False))


def month_url(month) -> str:
    return f"{HOME}monat/{month.year}-{month.month}/"


def test_clocking_in_and_out_on_the_clock_page(staff):
    client = client_of(staff, staff.emil)
    page = client.get(HOME)
    assert page.status_code == 200
    assert b'name="action" value="in"' in page.content
    answer = client.post(HOME + "stempeln/", {
        "client_id": client_id_on(page.content.decode()), "action": "in",
        "place": Place.MOBILE})
    assert answer.status_code == 302 and answer["Location"] == HOME
    [entry] = entries_of(staff, staff.emil)
    assert entry.place == Place.MOBILE and entry.ended_at is None

    page = client.get(HOME)
    assert b'name="action" value="out"' in page.content
    assert f'/eintrag/{entry.pk}/'.encode() in page.content
    client.post(HOME + "stempeln/", {"client_id": client_id_on(page.content.decode()),
                                     "action": "out"})
    [entry] = entries_of(staff, staff.emil)
    assert entry.ended_at is not None
    with authority_context(staff.authority):
        assert EntryRevision.objects.filter(entry=entry).count() == 2


def test_a_double_post_makes_one_entry(staff):
    client = client_of(staff, staff.emil)
    data = {"client_id": str(uuid.uuid4()), "action": "in", "place": Place.OFFICE}
    client.post(HOME + "stempeln/", data)
    second = client.post(HOME + "stempeln/", data, follow=True)
    assert second.status_code == 200
    assert len(entries_of(staff, staff.emil)) == 1
    assert [m.level_tag for m in second.context["messages"]][-1] == "info"


def test_a_refusal_is_a_message_not_an_error(staff):
    client = client_of(staff, staff.emil)
    answer = client.post(HOME + "stempeln/", {"client_id": str(uuid.uuid4()),
                                              "action": "out"}, follow=True)
    assert answer.status_code == 200
    assert [m.level_tag for m in answer.context["messages"]] == ["error"]
    assert entries_of(staff, staff.emil) == []
    bad = client.post(HOME + "stempeln/", {"client_id": "nonsense", "action": "in"})
    assert bad.status_code == 302 and entries_of(staff, staff.emil) == []


def test_the_clock_page_warns_while_clocked_in_beyond_six_hours(staff):
    emil = staff.employee(staff.emil)
    with authority_context(staff.authority):
        recording.clock_in(actor=staff.emil, employee=emil, client_id=uuid.uuid4(),
                           at=timezone.now() - timedelta(hours=6, minutes=20), offline=True)
    page = client_of(staff, staff.emil).get(HOME)
    assert page.status_code == 200
    assert "break" in [finding.code for finding in page.context["findings"]]
    assert page.context["worked"] >= 6 * 60
    assert b"worktime-findings" in page.content


def test_the_clock_page_shows_the_balance_and_leave(staff):
    page = client_of(staff, staff.emil).get(HOME)
    assert "balance_yesterday" in page.context and page.context["leave"].remaining > 0
    assert b'rel="manifest"' in page.content


def test_lead_and_hr_who_record_no_time_are_sent_to_their_pages(staff):
    with authority_context(staff.authority):
        personal = Department.objects.get(slug="personal")
        office = Department.objects.get(slug="buergerbuero")
    lead, lead_device = make_person(staff.authority, "lena.lead@leichlingen.example", "Lena",
                                    "Lead", [(office, "team_lead")])
    hr, hr_device = make_person(staff.authority, "hugo.hr@leichlingen.example", "Hugo", "HR",
                                [(personal, "clerk")])
    clerk, clerk_device = make_person(staff.authority, "karl.kein@leichlingen.example", "Karl",
                                      "Kein", [(office, "clerk")])
    with authority_context(staff.authority):
        Team.objects.get(pk=staff.team_a.pk).leads.add(lead)
    assert office_client(lead, lead_device).get(HOME)["Location"] == HOME + "team/"
    assert office_client(hr, hr_device).get(HOME)["Location"] == HOME + "personal/"
    clerk_client = office_client(clerk, clerk_device)
    assert clerk_client.get(HOME).status_code == 404
    assert clerk_client.get(HOME + "monat/").status_code == 302  # to this month: not found
    assert clerk_client.get(month_url(timezone.localdate())).status_code == 404
    assert clerk_client.get(HOME + "zugriffe/").status_code == 200


def test_the_pages_need_a_staff_login(client, staff):
    for url in (HOME, HOME + "monat/", HOME + "eintrag/neu/", HOME + "zugriffe/"):
        answer = client.get(url)
        assert answer.status_code == 302 and "/verwaltung/anmelden/" in answer["Location"]


def test_the_month_shows_days_entries_figures_and_findings(staff):
    month = last_month()
    day = working_days_of(month, staff.full_time.daily_minutes)[2]
    record_day(staff, staff.emil, day, ("07:30", "12:00"), ("12:30", "16:00"))
    record_day(staff, staff.emil, working_days_of(month, staff.full_time.daily_minutes)[3],
               ("07:00", "14:30"))  # 7:30 without a break: a finding
    client = client_of(staff, staff.emil)
    assert client.get(HOME + "monat/")["Location"] == month_url(timezone.localdate())
    page = client.get(month_url(month))
    assert page.status_code == 200
    text = page.content.decode()
    assert "07:30–12:00" in text and "12:30–16:00" in text
    assert page.context["view"].findings, "the missing break is listed"
    assert "worktime-findings" in text
    assert f'data-day="{day.isoformat()}"' in text
    assert "/eintrag/" in text
    assert page.context["may_confirm"]
    assert page.context["previous"] is not None or month.month == 1


def test_a_month_in_the_future_or_before_recording_is_not_found(staff):
    client = client_of(staff, staff.emil)
    later = timezone.localdate() + timedelta(days=40)
    assert client.get(month_url(later)).status_code == 404
    assert client.get(f"{HOME}monat/2023-12/").status_code == 404
    assert client.get(f"{HOME}monat/2024-13/").status_code == 404


def test_confirming_a_past_month_and_seeing_the_dispute_reason(staff):
    month = last_month()
    client = client_of(staff, staff.emil)
    answer = client.post(month_url(month))
    assert answer.status_code == 302
    with authority_context(staff.authority):
        closing = MonthClosing.objects.get(employee__user=staff.emil, month=month)
        assert closing.state == ClosingState.CONFIRMED
        dispute_month(actor=staff.lead_a, closing=closing,
                      reason="Der 3. fehlt noch.")
    page = client.get(month_url(month))
    assert "Der 3. fehlt noch." in page.content.decode()
    assert page.context["may_confirm"]


def test_the_current_month_cannot_be_confirmed(staff):
    client = client_of(staff, staff.emil)
    today = timezone.localdate()
    assert not client.get(month_url(today)).context["may_confirm"]
    client.post(month_url(today))
    with authority_context(staff.authority):
        assert not MonthClosing.objects.filter(
            employee__user=staff.emil, state=ClosingState.CONFIRMED).exists()


def test_entering_changing_and_removing_an_entry_keeps_its_history(staff):
    client = client_of(staff, staff.emil)
    day = timezone.localdate() - timedelta(days=1)
    answer = client.post(HOME + "eintrag/neu/", {
        "day": day.strftime("%d.%m.%Y"), "start": "08:00", "end": "12:00",
        "place": Place.OUTSIDE, "reason": "Terminal defekt"})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    [entry] = entries_of(staff, staff.emil)
    assert entry.place == Place.OUTSIDE
    assert client.get(HOME + f"eintrag/{entry.pk}/").status_code == 200
    answer = client.post(HOME + f"eintrag/{entry.pk}/", {
        "day": day.strftime("%d.%m.%Y"), "start": "08:15", "end": "12:00",
        "place": Place.OFFICE, "reason": "Beginn war später"})
    assert answer.status_code == 302
    entry.refresh_from_db()
    assert entry.version == 2 and entry.started_at == at(day, "08:15")
    missing_reason = client.post(HOME + f"eintrag/{entry.pk}/entfernen/", {"remove-reason": ""})
    assert missing_reason.status_code == 400
    answer = client.post(HOME + f"eintrag/{entry.pk}/entfernen/",
                         {"remove-reason": "Doppelt erfasst"})
    assert answer.status_code == 302
    page = client.get(HOME + f"eintrag/{entry.pk}/")
    text = page.content.decode()
    assert [r.version for r in page.context["revisions"]] == [3, 2, 1]
    assert "Beginn war später" in text and "Doppelt erfasst" in text and "Emil Eins" in text


def test_a_night_shift_ends_on_the_next_day(staff):
    client = client_of(staff, staff.emil)
    day = timezone.localdate() - timedelta(days=3)
    answer = client.post(HOME + "eintrag/neu/", {
        "day": day.strftime("%d.%m.%Y"), "start": "22:00", "end": "06:00",
        "place": Place.OFFICE, "reason": "Nachtdienst"})
    assert answer.status_code == 302
    [entry] = entries_of(staff, staff.emil)
    assert entry.ended_at == at(day + timedelta(days=1), "06:00")


def test_an_entry_without_reason_or_with_bad_times_is_sent_back(staff):
    client = client_of(staff, staff.emil)
    day = timezone.localdate() - timedelta(days=1)
    no_reason = client.post(HOME + "eintrag/neu/", {
        "day": day.strftime("%d.%m.%Y"), "start": "08:00", "end": "12:00",
        "place": Place.OFFICE, "reason": ""})
    assert no_reason.status_code == 400 and "reason" in no_reason.context["form"].errors
    future = client.post(HOME + "eintrag/neu/", {
        "day": (timezone.localdate() + timedelta(days=2)).strftime("%d.%m.%Y"),
        "start": "08:00", "end": "12:00", "place": Place.OFFICE, "reason": "Plan"})
    assert future.status_code == 400 and future.context["form"].non_field_errors()
    assert entries_of(staff, staff.emil) == []


def test_a_change_in_a_closed_month_becomes_a_correction(staff):
    month = last_month()
    day = working_days_of(month, staff.full_time.daily_minutes)[1]
    record_day(staff, staff.emil, day, ("08:00", "16:00"))
    client = client_of(staff, staff.emil)
    client.post(month_url(month))  # confirmed: the month is closed for changes
    [entry] = entries_of(staff, staff.emil)
    answer = client.post(HOME + f"eintrag/{entry.pk}/", {
        "day": day.strftime("%d.%m.%Y"), "start": "07:30", "end": "16:00",
        "place": Place.OFFICE, "reason": "Früher begonnen"}, follow=True)
    assert answer.status_code == 200
    assert [m.level_tag for m in answer.context["messages"]][-1] == "info"
    entry.refresh_from_db()
    assert entry.started_at == at(day, "08:00")  # unchanged until the lead approves
    with authority_context(staff.authority):
        correction = Correction.objects.get(entry=entry)
    assert correction.reason == "Früher begonnen"
    page = client.get(HOME + f"eintrag/{entry.pk}/")
    assert list(page.context["corrections"]) == [correction]
    new = client.post(HOME + "eintrag/neu/", {
        "day": (day + timedelta(days=1)).strftime("%d.%m.%Y"), "start": "08:00",
        "end": "12:00", "place": Place.OFFICE, "reason": "Vergessen"})
    assert new.status_code == 302
    with authority_context(staff.authority):
        assert Correction.objects.filter(entry=None, employee__user=staff.emil).count() == 1


def test_another_employees_entry_is_not_found(staff):
    record_day(staff, staff.olga, timezone.localdate() - timedelta(days=1), ("08:00", "12:00"))
    [olgas] = entries_of(staff, staff.olga)
    for user in (staff.emil, staff.lead_b, staff.hr):
        client = client_of(staff, user)
        assert client.get(HOME + f"eintrag/{olgas.pk}/").status_code == 404
        assert client.post(HOME + f"eintrag/{olgas.pk}/entfernen/",
                           {"remove-reason": "weg"}).status_code == 404
    olgas.refresh_from_db()
    assert not olgas.removed and olgas.version == 1


def test_who_looked_lists_each_access(staff):
    with authority_context(staff.authority):
        record_access(staff=staff.lead_a, citizen=staff.emil, what="Arbeitszeit März 2026")
    page = client_of(staff, staff.emil).get(HOME + "zugriffe/")
    text = page.content.decode()
    assert "Lea Leitung" in text and "Arbeitszeit März 2026" in text
    other = client_of(staff, staff.paula).get(HOME + "zugriffe/").content.decode()
    assert "Arbeitszeit März 2026" not in other


def test_manifest_worker_and_icons(client, staff):
    manifest = client.get(HOME + "manifest.webmanifest").json()
    assert manifest["name"] == "Rathaus Arbeitszeit" and manifest["start_url"] == HOME
    assert manifest["display"] == "standalone"
    worker = client.get(HOME + "sw.js")
    assert worker["Service-Worker-Allowed"] == HOME
    assert b"self.WORKTIME_CONFIG" in worker.content and b"importScripts" in worker.content
    icon = client.get(HOME + "icon-192.png")
    assert icon["Content-Type"] == "image/png" and icon.content[:4] == b"\x89PNG"
