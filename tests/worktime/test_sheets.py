"""The monthly sheet: PDF/A with the month's figures, written once per state of the
month, again after an approved correction, and read by the employee only."""

import subprocess

import pytest
from django.urls import reverse

from rathaus.authorities.tenancy import authority_context
from rathaus.records.blobs import read_blob
from rathaus.worktime import recording, sheets
from rathaus.worktime.closing import close_month, confirm_month
from rathaus.worktime.models import MonthClosing
from tests.factories import office_client

from .conftest import at, last_month, record_day, working_days_of

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def close_emils_month(staff, capture) -> MonthClosing:
    """Emil works two days of last month (one of them 9:30 hours without a break),
    confirms, and Lea closes; the sheet's task runs on commit."""
    month = last_month()
    first, second = working_days_of(month, staff.full_time.daily_minutes)[:2]
    record_day(staff, staff.emil, first, ("07:00", "12:00"), ("12:30", "16:00"))
    record_day(staff, staff.emil, second, ("07:00", "16:30"))
    emil = staff.employee(staff.emil)
    with authority_context(staff.authority), capture(execute=True):
        closing = confirm_month(actor=staff.emil, employee=emil, month=month)
        close_month(actor=staff.lead_a, closing=closing)
    with authority_context(staff.authority):
        return MonthClosing.objects.get(pk=closing.pk)


def _pdf(staff, closing) -> bytes:
    with authority_context(staff.authority):
        return read_blob(closing.sheet_blob, sha256=closing.sheet_sha256)


def test_closing_a_month_writes_a_pdfa_sheet_with_the_months_figures(
        staff, django_capture_on_commit_callbacks):
    closing = close_emils_month(staff, django_capture_on_commit_callbacks)
    assert closing.sheet_version == 1 and closing.sheet_blob
    pdf = _pdf(staff, closing)
    assert pdf.startswith(b"%PDF")
    assert b"pdfaid:part" in pdf  # PDF/A metadata
    text = _text(pdf)
    assert "Monatsblatt Arbeitszeit" in text and sheets.month_name(closing.month) in text
    assert "Emil Eins" in text and "1001" in text and "Bürgerbüro" in text
    assert "07:00–12:00 Dienststelle" in text
    totals = closing.totals
    assert totals["worked_minutes"] == 510 + 570
    assert "18:00 Std." in text  # worked: 8:30 and 9:30
    target = f"{totals['target_minutes'] // 60}:{totals['target_minutes'] % 60:02d} Std."
    assert target in text
    assert "Saldo zum Monatsende" in text
    assert "Berichtigt" not in text
    assert "§ 4 ArbZG" in text  # the missing break of the second day is among the findings
    assert "Resturlaub" in text and "Abgeschlossen von der Teamleitung" in text


def test_the_sheet_is_not_written_twice_for_the_same_month(
        staff, django_capture_on_commit_callbacks):
    closing = close_emils_month(staff, django_capture_on_commit_callbacks)
    with authority_context(staff.authority):
        assert sheets.store_sheet(closing) is False
        closing.refresh_from_db()
    assert closing.sheet_version == 1


def test_an_approved_correction_writes_the_sheet_again_as_corrected(
        staff, django_capture_on_commit_callbacks):
    closing = close_emils_month(staff, django_capture_on_commit_callbacks)
    first_sha = closing.sheet_sha256
    day = working_days_of(closing.month, staff.full_time.daily_minutes)[2]
    emil = staff.employee(staff.emil)
    with authority_context(staff.authority), django_capture_on_commit_callbacks(execute=True):
        correction = recording.add_entry(actor=staff.emil, employee=emil,
                                         started_at=at(day, "08:00"), ended_at=at(day, "12:00"),
                                         place="mobile", reason="vergessen")
        recording.decide_correction(actor=staff.lead_a, correction=correction, approve=True)
    with authority_context(staff.authority):
        closing.refresh_from_db()
    assert closing.sheet_version == 2 and closing.sheet_sha256 != first_sha
    assert closing.totals["worked_minutes"] == 510 + 570 + 240
    text = _text(_pdf(staff, closing))
    assert "Berichtigt (Fassung 2)" in text
    assert "08:00–12:00 mobil" in text


def test_a_declined_correction_leaves_the_sheet(staff, django_capture_on_commit_callbacks):
    closing = close_emils_month(staff, django_capture_on_commit_callbacks)
    day = working_days_of(closing.month, staff.full_time.daily_minutes)[2]
    emil = staff.employee(staff.emil)
    with authority_context(staff.authority), django_capture_on_commit_callbacks(execute=True):
        correction = recording.add_entry(actor=staff.emil, employee=emil,
                                         started_at=at(day, "08:00"), ended_at=at(day, "12:00"),
                                         place="office", reason="vergessen")
        recording.decide_correction(actor=staff.lead_a, correction=correction, approve=False)
    with authority_context(staff.authority):
        closing.refresh_from_db()
    assert closing.sheet_version == 1


def _client(staff, user):
    return office_client(user, staff.devices[user.email])


def test_the_employee_downloads_their_sheet(staff, django_capture_on_commit_callbacks):
    closing = close_emils_month(staff, django_capture_on_commit_callbacks)
    url = reverse("worktime:sheet", args=[closing.pk])
    response = _client(staff, staff.emil).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == _pdf(staff, closing)


@pytest.mark.parametrize("who", ["paula", "lead_a", "hr", "olga"])
def test_nobody_else_gets_the_sheet(staff, django_capture_on_commit_callbacks, who):
    closing = close_emils_month(staff, django_capture_on_commit_callbacks)
    url = reverse("worktime:sheet", args=[closing.pk])
    response = _client(staff, getattr(staff, who)).get(url)
    assert response.status_code == 404


def test_a_month_without_a_sheet_is_not_found(staff):
    emil = staff.employee(staff.emil)
    with authority_context(staff.authority):
        closing = MonthClosing.objects.create(employee=emil, month=last_month())
    url = reverse("worktime:sheet", args=[closing.pk])
    response = _client(staff, staff.emil).get(url)
    assert response.status_code == 404
