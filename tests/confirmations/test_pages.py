"""The landlord's page through HTTP: it shows only what the landlord confirms, takes the
answer once, and answers every token that opens nothing with one clear page."""

import datetime
import re

import pytest
from django.utils import timezone

from rathaus.cases.models import Task
from rathaus.confirmations.models import Confirmation

from .conftest import LINK, apply

pytestmark = pytest.mark.django_db

NOT_VALID = "Dieser Link ist nicht (mehr) gültig"


@pytest.fixture
def requested(moving_town, in_town, citizen, mailoutbox):
    """(case, token) of an application whose landlord was asked by e-mail."""
    case = apply(citizen, landlord=LINK)
    mail = next(m for m in mailoutbox if m.to == ["hausherr@example.org"])
    return case, re.search(r"/bestaetigung/([A-Za-z0-9_-]{40,})/", mail.body).group(1)


def without_nonces(response) -> str:
    return re.sub(r'nonce="[^"]*"', "", response.content.decode())


def page(client, token):
    return client.get(f"/bestaetigung/{token}/", HTTP_ACCEPT_LANGUAGE="de")


def test_the_landlord_sees_the_address_the_date_and_the_names_only(client, requested):
    case, token = requested
    html = page(client, token).content.decode()
    for shown in ("Marktstraße", "17", "42799", "Bettina", "Beispiel", "Jan", "Weber",
                  case.answers["move_in_date"].split("-")[0]):
        assert shown in html
    for hidden in ("1985", "1983", "Domstraße", "50667", "Köln", "Solingen",
                   "bettina@example.org", "Widerspruch", "Parteien", case.reference):
        assert hidden not in html


def test_the_page_speaks_each_visitors_language_one_after_the_other(client, requested):
    """The party's form is made once per language, not once for whoever came first."""
    _case, token = requested
    german = page(client, token).content.decode()
    english = client.get(f"/bestaetigung/{token}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    again = page(client, token).content.decode()
    assert "Ihre Anschrift: Postleitzahl" in german and "Your address: postcode" not in german
    assert "Your address: postcode" in english and "Ihre Anschrift: Postleitzahl" not in english
    assert "Ihre Anschrift: Postleitzahl" in again


def test_confirming_through_the_page_finishes_the_landlords_part(client, requested):
    case, token = requested
    response = client.post(f"/bestaetigung/{token}/", {
        "party_street": "Am Hang 3", "party_postcode": "42799", "party_city": "Leichlingen",
        "statement": "on", "confirm": "1"})
    assert response.status_code == 302
    assert "Vielen Dank" in client.get(response["Location"]).content.decode()
    assert Task.objects.get(case=case, workflow_task="landlord_confirmation").status == "done"
    assert Confirmation.objects.get(case=case).party_answers["party_city"] == "Leichlingen"


def test_a_page_answered_meanwhile_in_another_tab_confirms_nothing(client, requested):
    """The page read the request before the other tab's answer; its own answer is
    checked again when it is sent."""
    from rathaus.confirmations import services
    from rathaus.confirmations.selectors import open_request

    case, token = requested
    read_earlier = open_request(token=token)
    services.decline(token=token, reason="Falsche Wohnung")
    with pytest.raises(services.LinkNotValid):
        services.confirm(token=token, party_answers={}, opened=read_earlier.confirmation)
    assert Confirmation.objects.get(case=case).status == Confirmation.Status.DECLINED
    assert Task.objects.get(case=case, workflow_task="landlord_confirmation").status == "open"


def test_confirming_leaves_a_task_a_clerk_did_already_as_the_clerk_did_it(client, requested):
    case, token = requested
    done_at = timezone.now() - datetime.timedelta(hours=1)
    Task.objects.filter(case=case, workflow_task="landlord_confirmation").update(
        status="done", completed_at=done_at)
    response = client.post(f"/bestaetigung/{token}/", {
        "party_street": "Am Hang 3", "party_postcode": "42799", "party_city": "Leichlingen",
        "statement": "on", "confirm": "1"})
    assert response.status_code == 302
    assert Task.objects.get(case=case, workflow_task="landlord_confirmation").completed_at \
        == done_at
    assert Confirmation.objects.get(case=case).status == Confirmation.Status.CONFIRMED


def test_confirming_without_the_statement_is_asked_again_in_german(client, requested):
    case, token = requested
    response = client.post(f"/bestaetigung/{token}/", {
        "party_street": "Am Hang 3", "party_postcode": "4279", "party_city": "Leichlingen"},
        HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bitte bestätigen Sie die Erklärung" in html and "5 Ziffern" in html
    assert Confirmation.objects.get(case=case).status == Confirmation.Status.REQUESTED


def test_declining_through_the_page_with_a_reason(client, requested):
    case, token = requested
    response = client.post(f"/bestaetigung/{token}/", {"reason": "Falsche Wohnung",
                                                       "decline": "1"})
    assert response.status_code == 302
    confirmation = Confirmation.objects.get(case=case)
    assert confirmation.status == Confirmation.Status.DECLINED
    assert confirmation.decline_reason == "Falsche Wohnung"


def test_a_used_link_gets_the_clear_page(client, requested):
    _, token = requested
    client.post(f"/bestaetigung/{token}/", {"party_street": "Am Hang 3",
                                            "party_postcode": "42799",
                                            "party_city": "Leichlingen", "statement": "on"})
    response = page(client, token)
    assert response.status_code == 404
    assert NOT_VALID in response.content.decode()


def test_an_expired_link_gets_the_clear_page(client, requested):
    case, token = requested
    Confirmation.objects.filter(case=case).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = page(client, token)
    assert response.status_code == 404
    assert NOT_VALID in response.content.decode()
    assert "Bettina" not in response.content.decode()


def test_a_tampered_link_gets_the_same_page_as_a_made_up_one(client, requested):
    _, token = requested
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    changed, made_up = page(client, tampered), page(client, "x" * 43)
    assert changed.status_code == made_up.status_code == 404
    assert NOT_VALID in changed.content.decode()
    # The same page but for the address itself (the language links repeat it).
    assert (without_nonces(changed).replace(tampered, "TOKEN")
            == without_nonces(made_up).replace("x" * 43, "TOKEN"))


def test_guessing_tokens_is_rate_limited(client, moving_town, rate_clock):
    statuses = [client.post(f"/bestaetigung/{'g' * 42}{n % 10}/", {"confirm": "1"}).status_code
                for n in range(25)]
    assert set(statuses[:20]) == {404}
    assert statuses[-1] == 429


def test_a_landlord_can_confirm_first_and_get_a_code(client, moving_town):
    move_in = (timezone.localdate() - datetime.timedelta(days=3)).strftime("%d.%m.%Y")
    response = client.post("/bestaetigung/wohnsitzanmeldung/ausstellen/", {
        "landlord_name": "Hans Hausherr", "new_street": "Marktstraße",
        "new_house_number": "17", "new_postcode": "42799", "move_in_date": move_in,
        "persons": "Bettina Beispiel", "statement": "on"}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert re.search(r"WGB-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}",
                     response.content.decode())


def test_the_issue_page_says_in_german_what_is_missing(client, moving_town):
    response = client.post("/bestaetigung/wohnsitzanmeldung/ausstellen/", {},
                           HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert "Geben Sie Ihren Namen ein." in response.content.decode()


def test_a_service_without_confirmation_has_no_issue_page(client, moving_town):
    assert client.get("/bestaetigung/hundeanmeldung/ausstellen/").status_code == 404


def test_the_service_page_leads_the_landlord_to_confirming_first(client, moving_town):
    html = client.get("/leistungen/wohnsitzanmeldung/", HTTP_ACCEPT_LANGUAGE="de"
                      ).content.decode()
    assert 'href="/bestaetigung/wohnsitzanmeldung/ausstellen/"' in html
    assert "Jetzt vorab bestätigen: Wohnungsgeberbestätigung" in html
