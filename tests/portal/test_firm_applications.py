"""A firm account in the portal (ADR 0041): it applies for services open to its trade,
sees its own applications and its mailbox, and nothing of citizens' own matters."""

import pytest
from django.test import Client
from django.urls import resolve, reverse

from rathaus.authorities.tenancy import authority_context
from rathaus.mailbox.services import deliver_message
from tests.accounts.firms import (
    FIRM_SERVICE,
    firm_logged_in,
    install_firm_service,
    make_firm,
)
from tests.factories import (
    citizen_logged_in,
    make_citizen,
    make_staff,
    office_client,
)


@pytest.fixture
def firm_town(town, dog_service, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "storage"
    department = install_firm_service(monkeypatch, town)
    firm, user, device = make_firm(town, department)
    return department, firm, firm_logged_in(user, device), user


def _apply(client, deceased="Hermine Grabowski") -> str:
    """Start, fill in and send the test service; the case page's path."""
    started = client.post(f"/leistungen/{FIRM_SERVICE}/beantragen/")
    assert started.status_code == 302, started.content[:500]
    step = started["Location"]
    page = client.get(step)
    assert 'value="Bestattungshaus Wupperweg GmbH"' in page.text  # prefilled: firm_name
    assert 'value="Leichlingen"' in page.text  # firm_city
    done = client.post(step, {"firm_name": "Bestattungshaus Wupperweg GmbH",
                              "firm_city": "Leichlingen", "deceased": deceased})
    assert done.status_code == 302, done.content[:500]
    draft_id = resolve(step).kwargs["draft_id"]
    assert client.get(reverse("portal:summary", args=[draft_id])).status_code == 200
    sent = client.post(reverse("portal:send", args=[draft_id]))
    assert sent.status_code == 302, sent.content[:500]
    assert "/vorgaenge/" in sent["Location"], sent["Location"]
    return sent["Location"].split("?")[0]


def test_a_firm_account_applies_for_a_service_open_to_its_trade(firm_town, town):
    department, firm, client, user = firm_town
    service_page = client.get(f"/leistungen/{FIRM_SERVICE}/")
    assert "firm-access-note" in service_page.text
    case_url = _apply(client)
    page = client.get(case_url)
    assert page.status_code == 200
    overview = client.get("/konto/")
    assert "Bestattungshaus Wupperweg GmbH" in overview.text
    assert "Bestattung anmelden (Test)" in overview.text
    assert "/konto/daten/" not in overview.text  # no profile for a firm account
    # The office names the firm beside the applicant.
    staff, device = make_staff(town, departments=[department], email="f@leichlingen.example")
    office = office_client(staff, device)
    case_id = case_url.rstrip("/").split("/")[-1]
    office_page = office.get(f"/verwaltung/vorgaenge/{case_id}/")
    assert office_page.status_code == 200
    assert "Bestattungshaus Wupperweg GmbH" in office_page.text


def test_a_firm_account_cannot_start_a_citizens_service(firm_town):
    _, _, client, _ = firm_town
    refused = client.post("/leistungen/hundeanmeldung/beantragen/")
    assert refused.status_code == 403
    assert "Start application" not in client.get("/leistungen/hundeanmeldung/").text
    assert "Antrag starten" not in client.get("/leistungen/hundeanmeldung/").text


@pytest.mark.parametrize("path", ["/konto/daten/", "/konto/zwei-faktor/", "/konto/zugriffe/",
                                  "/konto/meine-daten/", "/hunde/1/abmelden/"])
def test_a_firm_account_cannot_open_a_citizens_own_pages(firm_town, path):
    _, _, client, _ = firm_town
    assert client.get(path).status_code == 403


def test_a_firm_of_another_trade_or_not_admitted_here_cannot_start(firm_town, town, district,
                                                                  monkeypatch):
    from rathaus.accounts.models import Firm, FirmMember

    _, firm, client, user = firm_town
    with authority_context(town):
        Firm.objects.filter(pk=firm.pk).update(trade="other")
    assert client.post(f"/leistungen/{FIRM_SERVICE}/beantragen/").status_code == 403
    with authority_context(town):
        FirmMember.objects.filter(user=user).update(active=False)
    assert client.get("/konto/").status_code == 403


def test_another_firm_and_a_citizen_do_not_see_the_case(firm_town, town):
    department, _, client, _ = firm_town
    case_url = _apply(client)
    _, other_user, other_device = make_firm(town, department, name="Pietät Rhein",
                                            email="paula@pietaet.example")
    other = firm_logged_in(other_user, other_device)
    assert other.get(case_url).status_code == 404
    citizen = citizen_logged_in(make_citizen())
    assert citizen.get(case_url).status_code == 404
    assert Client().get(case_url).status_code == 302  # to the login


def test_the_firm_account_has_a_mailbox(firm_town, town):
    _, _, client, user = firm_town
    with authority_context(town):
        message = deliver_message(recipient=user, subject="Gebührenbescheid Bestattung",
                                  body="Anbei der Bescheid.", reference="68-2026-0001",
                                  link_for="http://leichlingen.localhost/")
    inbox = client.get("/konto/postfach/")
    assert inbox.status_code == 200 and "Gebührenbescheid Bestattung" in inbox.text
    assert client.get(f"/konto/postfach/{message.pk}/").status_code == 200


def test_prefill_of_firm_values_is_empty_for_a_citizen(firm_town, town):
    from rathaus.catalog.registry import definition
    from rathaus.forms.engine import prefill_answers

    citizen = make_citizen("clara@example.org")
    with authority_context(town):
        answers = prefill_answers(definition(FIRM_SERVICE), citizen)
    assert "firm_name" not in answers and "firm_city" not in answers


def test_a_logged_in_firm_account_finds_its_account_and_logout_in_the_header(firm_town):
    _department, _firm, client, _user = firm_town
    page = client.get("/")
    assert reverse("accounts:overview") in page.text
    assert reverse("accounts:logout") in page.text
    assert reverse("accounts:register") not in page.text
