"""The payroll export: one row per closed month, every column as docs/worktime.md
describes it; months not closed are left out and counted on HR's page."""

import csv
import io

import pytest
from django.urls import reverse

from rathaus.audit.models import AccessLogEntry
from rathaus.authorities.tenancy import authority_context
from rathaus.worktime import payroll
from tests.factories import office_client

from .test_sheets import close_emils_month

pytestmark = pytest.mark.django_db


def test_minutes_are_decimal_hours_with_a_comma():
    assert payroll.decimal_hours(468) == "7,80"
    assert payroll.decimal_hours(-30) == "-0,50"
    assert payroll.decimal_hours(1) == "0,02"
    assert payroll.decimal_hours(0) == "0,00"


def test_a_closed_month_is_one_row_with_its_totals(staff, django_capture_on_commit_callbacks):
    closing = close_emils_month(staff, django_capture_on_commit_callbacks)
    totals = closing.totals
    with authority_context(staff.authority):
        rows = payroll.payroll_rows(closing.month)
        month = payroll.payroll_month(closing.month)
    assert rows == [[
        "1001", "Eins", "Emil", "Bürgerbüro", f"{closing.month:%Y-%m}",
        payroll.decimal_hours(totals["target_minutes"]), "18,00", "0,50", "0,00",
        payroll.decimal_hours(totals["difference_minutes"]),
        payroll.decimal_hours(totals["balance_minutes"]), "0", "0", "0", "0", "0,00", "0,00",
    ]]
    assert totals["break_deducted_minutes"] == 30
    assert len(rows[0]) == len(payroll.HEADER)
    not_closed = {employee.personnel_number for employee in month.not_closed}
    assert "1001" not in not_closed and {"1002", "1003"} <= not_closed


def test_a_confirmed_month_not_yet_closed_is_not_exported(staff):
    from rathaus.worktime.closing import confirm_month

    from .conftest import last_month

    with authority_context(staff.authority):
        confirm_month(actor=staff.paula, employee=staff.employee(staff.paula),
                      month=last_month())
        assert payroll.payroll_rows(last_month()) == []


def test_a_name_that_looks_like_a_formula_is_kept_as_text():
    assert payroll._text("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert payroll._text("Müller") == "Müller"


def test_hr_downloads_the_csv_and_each_exported_employee_sees_it_in_their_log(
        staff, django_capture_on_commit_callbacks):
    closing = close_emils_month(staff, django_capture_on_commit_callbacks)
    client = office_client(staff.hr, staff.devices[staff.hr.email])
    url = reverse("worktime:hr_payroll", args=[closing.month.year, closing.month.month])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert not text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert lines[0] == payroll.HEADER
    assert [line[0] for line in lines[1:]] == ["1001"]
    assert text.endswith("\r\n")
    with authority_context(staff.authority):
        logged = set(AccessLogEntry.objects.filter(staff=staff.hr)
                     .values_list("citizen_id", flat=True))
    assert logged == {staff.emil.pk}


@pytest.mark.parametrize("who", ["emil", "lead_a", "lead_b"])
def test_nobody_but_hr_gets_the_payroll_export(staff, who):
    user = getattr(staff, who)
    client = office_client(user, staff.devices[user.email])
    assert client.get(reverse("worktime:hr_payroll", args=[2025, 3])).status_code == 404


def test_a_month_that_does_not_exist_is_not_found(staff):
    client = office_client(staff.hr, staff.devices[staff.hr.email])
    assert client.get(reverse("worktime:hr_payroll", args=[2025, 13])).status_code == 404
