import datetime

from django.test import Client

from rathaus.authorities.tenancy import authority_context
from rathaus.cases.models import Task
from tests.factories import PASSWORD, current_totp, make_department, make_staff, wrong_totp


def _staff_login(client, staff, device, host="leichlingen.localhost", code=None):
    return client.post(
        "/verwaltung/anmelden/",
        {"username": staff.email, "password": PASSWORD, "otp_token": code or current_totp(device)},
        HTTP_HOST=host,
    )


def test_staff_logs_in_with_password_and_totp_and_sees_the_basket(town):
    tax = make_department(town, slug="steueramt", name="Steueramt")
    staff, device = make_staff(town, departments=[tax])
    client = Client()
    response = _staff_login(client, staff, device)
    assert response.status_code == 302
    page = client.get("/verwaltung/", HTTP_HOST="leichlingen.localhost")
    assert page.status_code == 200
    assert "Steueramt" in page.text
    assert page.context["rows"] == []


def test_staff_login_with_a_next_that_is_no_path_opens_the_basket(town):
    # Found by the hostile-input crawl: a bare word was taken for a view name (500).
    staff, device = make_staff(town, departments=[
        make_department(town, slug="steueramt", name="Steueramt")])
    response = Client().post("/verwaltung/anmelden/", {
        "username": staff.email, "password": PASSWORD, "otp_token": current_totp(device),
        "next": "basket"}, HTTP_HOST="leichlingen.localhost")
    assert response.status_code == 302 and response["Location"] == "/verwaltung/"


def test_staff_login_without_the_right_code_is_refused(town):
    staff, device = make_staff(town, departments=[make_department(town, slug="steueramt",
                                                                  name="Steueramt")])
    client = Client()
    response = _staff_login(client, staff, device, code="000000")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert client.get("/verwaltung/").status_code == 302


def test_staff_of_another_authority_cannot_log_in_here(town, district):
    road = make_department(district, slug="strassenverkehrsamt", name="Straßenverkehrsamt")
    staff, device = make_staff(district, departments=[road], email="klara@rbk.example")
    response = _staff_login(Client(), staff, device, host="leichlingen.localhost")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_every_failed_staff_login_gets_the_same_message(town, district):
    staff, device = make_staff(town, departments=[make_department(town, slug="steueramt",
                                                                  name="Steueramt")])
    road = make_department(district, slug="strassenverkehrsamt", name="Straßenverkehrsamt")
    foreign, foreign_device = make_staff(district, departments=[road], email="klara@rbk.example")
    wrong_password = Client().post(
        "/verwaltung/anmelden/",
        {"username": staff.email, "password": "falsch", "otp_token": current_totp(device)},
        HTTP_HOST="leichlingen.localhost",
    )
    wrong_code = _staff_login(Client(), staff, device, code=wrong_totp(device))
    no_access = _staff_login(Client(), foreign, foreign_device)
    messages = [r.context["form"].non_field_errors() for r in
                (wrong_password, wrong_code, no_access)]
    assert messages[0] == messages[1] == messages[2]
    assert [r.status_code for r in (wrong_password, wrong_code, no_access)] == [200] * 3


def test_staff_of_another_authority_are_locked_out_like_any_failed_login(
    town, district, settings
):
    road = make_department(district, slug="strassenverkehrsamt", name="Straßenverkehrsamt")
    foreign, device = make_staff(district, departments=[road], email="klara@rbk.example")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _staff_login(Client(), foreign, device).status_code == 200
        device.refresh_from_db()
        device.throttle_reset()
    assert _staff_login(Client(), foreign, device).status_code == 429


def test_staff_session_does_not_open_another_authoritys_office(town, district):
    tax = make_department(town, slug="steueramt", name="Steueramt")
    staff, device = make_staff(town, departments=[tax])
    client = Client()
    _staff_login(client, staff, device)
    response = client.get("/verwaltung/", HTTP_HOST="rbk.localhost")
    assert response.status_code == 302


def test_citizens_cannot_open_the_office(town, citizen):
    client = Client()
    client.post("/konto/anmelden/", {"username": citizen.email, "password": PASSWORD})
    assert client.get("/verwaltung/").status_code == 302


def _task(authority, department, title, **fields):
    with authority_context(authority):
        return Task.objects.create(department=department, title=title, **fields)


def test_basket_shows_only_the_active_departments_tasks_and_switches(town):
    tax = make_department(town, slug="steueramt", name="Steueramt")
    order = make_department(town, slug="ordnungsamt", name="Ordnungsamt")
    other = make_department(town, slug="personal", name="Personal")
    _task(town, tax, "Hundesteuer festsetzen", due_date=datetime.date(2026, 12, 1))
    _task(town, order, "Sachkunde prüfen")
    _task(town, other, "Personalakte")
    staff, device = make_staff(town, departments=[tax, order])
    client = Client()
    _staff_login(client, staff, device)

    client.post("/verwaltung/abteilung/", {"department": tax.pk})
    page = client.get("/verwaltung/").text
    assert "Hundesteuer festsetzen" in page
    assert "Sachkunde prüfen" not in page

    client.post("/verwaltung/abteilung/", {"department": order.pk})
    page = client.get("/verwaltung/").text
    assert "Sachkunde prüfen" in page
    assert "Hundesteuer festsetzen" not in page

    # A department the staff member does not work in cannot be chosen.
    response = client.post("/verwaltung/abteilung/", {"department": other.pk}, follow=True)
    assert "Personalakte" not in response.text
    assert "Sachkunde prüfen" in response.text


def test_basket_filters_by_status(town):
    tax = make_department(town, slug="steueramt", name="Steueramt")
    _task(town, tax, "Offene Aufgabe")
    _task(town, tax, "Erledigte Aufgabe", status=Task.Status.DONE)
    staff, device = make_staff(town, departments=[tax])
    client = Client()
    _staff_login(client, staff, device)
    assert "Erledigte Aufgabe" not in client.get("/verwaltung/").text
    page = client.get("/verwaltung/?status=done").text
    assert "Erledigte Aufgabe" in page and "Offene Aufgabe" not in page
    assert client.get("/verwaltung/?status=<script>").status_code == 200
