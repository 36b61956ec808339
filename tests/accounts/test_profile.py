import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from rathaus.audit.models import AccessLogEntry, AuditEntry
from rathaus.audit.services import record_access
from rathaus.audit.tree_heads import sign_head
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


def test_profile_messages_say_what_is_wrong_and_how_to_fix_it(town, citizen):
    client = _logged_in(citizen)
    response = client.post("/konto/daten/", {**PROFILE, "first_name": "",
                                             "date_of_birth": "31.02.1990"})
    assert {name: list(messages) for name, messages in response.context["form"].errors.items()} == {
        "first_name": ["Geben Sie Ihren Vornamen ein."],
        "date_of_birth": ["Diesen Tag gibt es nicht: Der Februar 1990 hat 28 Tage."],
    }
    response = client.post("/konto/daten/", {**PROFILE, "date_of_birth": "12/04/1956"})
    assert list(response.context["form"].errors["date_of_birth"]) == [
        "Bitte geben Sie das Datum als TT.MM.JJJJ ein."]


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


def test_citizen_downloads_a_proof_of_an_access_that_checks_against_the_signed_head(
        town, tmp_path, capsys):
    citizen, other = make_citizen("a@example.org"), make_citizen("b@example.org")
    staff, _ = make_staff(town, departments=[make_department(town, slug="steueramt",
                                                             name="Steueramt")])
    with authority_context(town):
        mine = record_access(staff=staff, citizen=citizen, what="Hundeanmeldung 21-2026-1")
        theirs = record_access(staff=staff, citizen=other, what="Wohnsitzanmeldung 33-2026-9")
    client = _logged_in(citizen)
    proof_url = f"/konto/zugriffe/{mine.pk}/nachweis.json"
    assert proof_url in client.get("/konto/zugriffe/").text

    # Not yet covered by a signed head: the citizen is told to come back shortly.
    response = client.get(proof_url, follow=True)
    assert "within a few minutes" in response.text or "wenigen Minuten" in response.text

    sign_head(town)
    response = client.get(proof_url)
    assert response["Content-Disposition"].startswith("attachment")
    document = response.json()
    assert document["entry"]["action"] == "personal_data.viewed"
    assert document["entry"]["data"] == {"citizen": citizen.pk,
                                         "what": "Hundeanmeldung 21-2026-1"}
    path = tmp_path / "nachweis.json"
    path.write_text(json.dumps(document))
    call_command("audit_verify_proof", str(path))
    assert "is in the audit log" in capsys.readouterr().out

    document["entry"]["data"]["what"] = "etwas anderes"
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="do not lead to the signed root"):
        call_command("audit_verify_proof", str(path))
    # Another citizen's access is not there to download.
    assert client.get(f"/konto/zugriffe/{theirs.pk}/nachweis.json").status_code == 404
