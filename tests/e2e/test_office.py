"""Staff log in with password and TOTP code and work in their department's basket."""

import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.factories import PASSWORD, current_totp, make_department, make_staff

from .conftest import (
    PHONE,
    assert_page_ok,
    findings_at_both_widths,
    screenshot,
    submit_staff_login,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

def wrong_code(device) -> str:
    """A well-formed code that no time step within the device's tolerance accepts."""
    valid = {
        f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"
        for drift in range(-device.tolerance - 1, device.tolerance + 2)
    }
    candidate = int(current_totp(device))
    while f"{candidate:06d}" in valid:
        candidate = (candidate + 1) % 1_000_000
    return f"{candidate:06d}"


def test_staff_member_logs_in_with_totp_and_sees_the_work_basket(town, open_page):
    building = make_department(town, slug="bauamt", name="Bauamt")
    public_order = make_department(town, slug="ordnungsamt", name="Ordnungsamt")
    _user, device = make_staff(town, departments=[building, public_order])

    page = open_page()
    page.goto("/verwaltung/anmelden/")
    expect(page.locator("#id_otp_token")).to_be_visible()
    assert_page_ok(page, "office login")
    screenshot(page, "office-login")

    submit_staff_login(page, code=current_totp(device))
    expect(page).to_have_url(re.compile(r"/verwaltung/$"))
    expect(page.locator("h1")).to_have_text(re.compile("Arbeitskorb|Work basket"))
    heading = page.locator(".basket-head")
    # Departments are listed by name; the first one is active after login.
    expect(heading.locator(".kern-subline")).to_contain_text("Bauamt")
    expect(page.locator(".empty-state")).to_be_visible()
    expect(page.locator(".empty-state")).to_contain_text(re.compile("Nichts zu tun|Nothing to do"))
    expect(page.locator("header")).to_contain_text("Erika Mustermann")
    findings = findings_at_both_widths(page, "work basket", shot="office-basket", dark=True)
    assert not findings, "\n\n".join(findings)

    page.select_option("#department", label="Ordnungsamt")
    with page.expect_navigation():
        page.locator(".department-switch button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/verwaltung/$"))
    expect(heading.locator(".kern-subline")).to_contain_text("Ordnungsamt")
    expect(page.locator("#department option:checked")).to_have_text("Ordnungsamt")
    # The choice sticks to the session, not just to this response.
    page.goto("/verwaltung/")
    expect(heading.locator(".kern-subline")).to_contain_text("Ordnungsamt")
    findings = findings_at_both_widths(page, "work basket after switching department")
    assert not findings, "\n\n".join(findings)


def test_wrong_totp_code_is_refused(town, open_page):
    department = make_department(town, slug="ordnungsamt", name="Ordnungsamt")
    _user, device = make_staff(town, departments=[department])

    page = open_page(viewport=PHONE)
    page.goto("/verwaltung/anmelden/")
    submit_staff_login(page, code=wrong_code(device))

    expect(page).to_have_url(re.compile(r"/verwaltung/anmelden/$"))
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(re.compile("Sicherheitscode|security code", re.I))
    # The error is announced and the form is offered again, password not echoed back.
    expect(page.locator("#id_password")).to_have_value("")
    assert_page_ok(page, "office login with wrong code")

    page.goto("/verwaltung/")
    expect(page).to_have_url(re.compile(r"/verwaltung/anmelden/\?next=/verwaltung/$"))
    expect(page.locator("header")).not_to_contain_text("Erika Mustermann")
    expect(page.locator(".empty-state")).to_have_count(0)


# --- The case page, the work basket and the department switch, by role -----------------

def _clerk(town, slug, email, first, last, *, also=()):
    from tests.factories import departments_of

    user, device = make_staff(town, departments=[departments_of(town)[slug], *also],
                              email=email)
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user, device


def _log_in(open_page, user, device, *, viewport=None):
    page = open_page(**({"viewport": viewport} if viewport else {}))
    page.goto("/verwaltung/anmelden/")
    main = page.locator("main")
    main.get_by_label("E-Mail-Adresse").fill(user.email)
    main.get_by_label("Passwort").fill(PASSWORD)
    main.get_by_label("Sicherheitscode").fill(current_totp(device))
    with page.expect_navigation():
        main.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(re.compile(r"/verwaltung/$"))
    return page


def _switch(page, department: str):
    page.select_option("#department", label=department)
    with page.expect_navigation():
        page.locator(".department-switch button[type=submit]").click()
    expect(page.locator(".basket-head .kern-subline")).to_contain_text(department)


def _step(page, button: str, *, label: str | None = None, text: str = ""):
    main = page.locator("main")
    if label:
        main.get_by_label(label).fill(text)
    with page.expect_navigation():
        main.get_by_role("button", name=button).click()


def test_office_pages_of_every_role_pass_axe_and_show_their_steps(dog_town, open_page):
    import datetime

    from django.utils import timezone

    from rathaus.authorities.tenancy import authority_context
    from rathaus.cases.models import Task
    from tests.factories import make_case, make_citizen, make_department

    citizen = make_citizen()
    with authority_context(dog_town):
        case = make_case(citizen, large=True)
        later = make_case(citizen, large=False)
        # One task overdue, one due today: the basket marks both in words.
        Task.objects.filter(case=case).update(
            due_date=timezone.localdate() - datetime.timedelta(days=3))
        Task.objects.filter(case=later).update(due_date=timezone.localdate())
    buero = make_department(dog_town, slug="buergerbuero", name="Bürgerbüro")
    steuer = _clerk(dog_town, "steueramt", "max@x.example", "Max", "Steuer", also=[buero])
    second = _clerk(dog_town, "steueramt", "erika@x.example", "Erika", "Zweit")
    ordnung = _clerk(dog_town, "ordnungsamt", "otto@x.example", "Otto", "Ordnung")
    case_path = f"/verwaltung/vorgaenge/{case.pk}/"
    findings: list[str] = []

    def audit(page, where, shot):
        findings.extend(findings_at_both_widths(page, where, shot=shot, dark=True))

    # The Steueramt's basket: the overdue case first, said in words.
    page = _log_in(open_page, *steuer)
    _switch(page, "Steueramt")
    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(case.reference)
    expect(rows.nth(0)).to_contain_text("Überfällig seit 3 Tagen")
    expect(rows.nth(1)).to_contain_text("Heute fällig")
    expect(page.locator("header")).to_contain_text("Eingang (2)")
    audit(page, "work basket with an overdue task", "office-basket-overdue")
    page.locator("main").get_by_label("Nur mir zugewiesene Aufgaben").check()
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Filtern").click()
    expect(page.locator(".empty-state")).to_contain_text("Keine Aufgabe passt")

    # The case page of the deciding department: request, other departments, decision.
    page.goto(case_path)
    main = page.locator("main")
    expect(main.get_by_role("heading", name="Der Antrag")).to_be_visible()
    expect(main.get_by_role("heading", name="Aufgaben anderer Abteilungen")).to_be_visible()
    expect(main.get_by_role("heading", name="Entscheidung vorschlagen")).to_be_visible()
    expect(main.get_by_role("button", name="Entscheidung bestätigen")).to_have_count(0)
    audit(page, "case page, deciding department", "office-case-decide")
    _step(page, "Aufgabe übernehmen")
    expect(page.locator(".messages")).to_contain_text("Sie bearbeiten diese Aufgabe jetzt")
    expect(page.locator("header")).to_contain_text("Mir zugewiesen (1)")

    # The Ordnungsamt does its part.
    other = _log_in(open_page, *ordnung)
    other.goto(case_path)
    expect(other.locator("main").get_by_role("button", name="Genehmigen")).to_have_count(0)
    audit(other, "case page, department with a task", "office-case-task")
    _step(other, "Meine Aufgabe als erledigt markieren", label="Ergebnis Ihrer Prüfung",
          text="Sachkunde geprüft.")
    expect(other.locator(".messages")).to_contain_text("Aufgabe erledigt:")

    # The proposer, after proposing: no confirm button.
    page.goto(case_path)
    _step(page, "Genehmigen")
    expect(page.locator(".messages")).to_contain_text("Bescheid zur Bestätigung vorgelegt")
    expect(page.locator("main").get_by_role("button", name="Entscheidung bestätigen")
           ).to_have_count(0)
    expect(page.locator("main").get_by_role("button", name="Meinen Vorschlag zurücknehmen")
           ).to_be_visible()
    audit(page, "case page, the proposer", "office-case-proposer")

    # The confirmer: confirm or send back, nothing else.
    confirming = _log_in(open_page, *second)
    expect(confirming.locator("header")).to_contain_text("Zur Bestätigung (1)")
    confirming.goto(case_path)
    section = confirming.locator("#confirmation")
    expect(section.get_by_role("heading", name="Entscheidung bestätigen")).to_be_visible()
    expect(section.get_by_role("button", name="Entscheidung bestätigen")).to_be_visible()
    expect(confirming.locator("main")).not_to_contain_text("Warum?")
    audit(confirming, "case page, the confirmer", "office-case-confirm")
    _step(confirming, "Entscheidung bestätigen")
    expect(confirming.locator(".messages")).to_contain_text("Entscheidung bestätigt")
    history = confirming.locator("#history")
    expect(history).to_contain_text("Genehmigung vorgeschlagen von Max Steuer")
    expect(history).to_contain_text("Genehmigung bestätigt von Erika Zweit")
    audit(confirming, "case page, decided", "office-case-decided")

    # From the Bürgerbüro, the link offers the switch to the case's department.
    page.goto("/verwaltung/")
    _switch(page, "Bürgerbüro")
    page.goto(case_path)
    expect(page.locator("h1")).to_contain_text("gehört zu einer anderen Ihrer Abteilungen")
    audit(page, "case of another department", "office-case-elsewhere")
    with page.expect_navigation():
        page.locator("main").get_by_role(
            "button", name="Zur Abteilung Steueramt wechseln und den Vorgang öffnen").click()
    expect(page).to_have_url(re.compile(re.escape(case_path) + "$"))
    expect(page.locator("h1")).to_contain_text(case.reference)

    assert not findings, "\n\n".join(findings)


def test_the_basket_works_without_javascript(dog_town, open_page):
    from rathaus.authorities.tenancy import authority_context
    from tests.factories import make_case, make_citizen

    citizen = make_citizen()
    with authority_context(dog_town):
        make_case(citizen, large=False)
    user, device = _clerk(dog_town, "steueramt", "max@x.example", "Max", "Steuer")
    page = open_page(javascript=False, viewport=PHONE)
    page.goto("/verwaltung/anmelden/")
    main = page.locator("main")
    main.get_by_label("E-Mail-Adresse").fill(user.email)
    main.get_by_label("Passwort").fill(PASSWORD)
    main.get_by_label("Sicherheitscode").fill(current_totp(device))
    with page.expect_navigation():
        main.get_by_role("button", name="Anmelden").click()
    page.select_option("#status", label="Entscheidung wartet auf Bestätigung")
    with page.expect_navigation():
        main.get_by_role("button", name="Filtern").click()
    expect(page).to_have_url(re.compile(r"status=awaiting_confirmation"))
    expect(page.locator(".empty-state")).to_be_visible()
    page.select_option("#status", label="Eingegangen")
    with page.expect_navigation():
        main.get_by_role("button", name="Filtern").click()
    expect(page.locator("main tbody tr")).to_have_count(1)
