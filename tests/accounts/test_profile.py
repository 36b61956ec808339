from django.test import Client

from rathaus.audit.models import AccessLogEntry, AuditEntry
from rathaus.audit.services import record_access
from rathaus.authorities.tenancy import authority_context
from tests.factories import PASSWORD, make_citizen, make_department, make_staff

PROFILE = {
    "first_name": "Bettina",
    "last_name": "Beispiel-Neu",
    "date_of_birth": "12.04.1956",
    "street": "Musterweg",
    "house_number": "12a",
    "postcode": "42799",
    "city": "Leichlingen",
    "phone": "",
}


def _logged_in(citizen):
    client = Client()
    client.post("/konto/anmelden/", {"username": citizen.email, "password": PASSWORD})
    return client


def test_citizen_saves_profile_for_later_forms(town, citizen):
    client = _logged_in(citizen)
    response = client.post("/konto/daten/", PROFILE)
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.last_name == "Beispiel-Neu"
    assert citizen.profile.date_of_birth.isoformat() == "1956-04-12"
    assert citizen.profile.house_number == "12a"
    entry = AuditEntry.all_authorities.get(action="account.profile_changed")
    # The audit log names the changed fields but does not copy personal data.
    assert "Musterweg" not in str(entry.data)
    assert "street" in entry.data["fields"]


def test_wrong_profile_values_get_messages(town, citizen):
    client = _logged_in(citizen)
    bad = {**PROFILE, "postcode": "4279", "date_of_birth": "31.02.1990"}
    response = client.post("/konto/daten/", bad)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"postcode", "date_of_birth"}
    citizen.refresh_from_db()
    assert citizen.last_name == "Beispiel"


def test_citizen_sees_who_opened_their_data_and_nobody_elses(town):
    citizen = make_citizen("a@example.org")
    other = make_citizen("b@example.org")
    staff, _ = make_staff(town, departments=[make_department(town, slug="steueramt",
                                                             name="Steueramt")])
    with authority_context(town):
        record_access(staff=staff, citizen=citizen, what="Hundeanmeldung 21-2026-1")
        record_access(staff=staff, citizen=other, what="Wohnsitzanmeldung 33-2026-9")
    page = _logged_in(citizen).get("/konto/zugriffe/").text
    assert "Hundeanmeldung 21-2026-1" in page
    assert "Erika Mustermann" in page
    assert "Wohnsitzanmeldung" not in page
    assert AccessLogEntry.all_authorities.count() == 2
